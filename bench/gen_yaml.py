"""Write a generated service as YAML by hand, the way people do: block or flow
mappings, optional defaults spelled out or left out, comments, suppression comments,
and the text-level mistakes (a misspelt key, a repeated key, an unquoted number, a tab)
that a YAML dumper would never produce."""

from __future__ import annotations

import random
from typing import Any

from corpus_tree import Tree
from gen_manifests import Service, render_json

COMMENTS = (
    "# Managed by the platform team; ask in #registry before changing.",
    "# Registry service of this system (see the platform's Docker Registry docs).",
    "# Images built by the platform land here.",
    "# Operational clusters need an external registry: the on-cluster one loses images on restart.",
)


def scalar(value: Any, rng: random.Random) -> str:
    """A YAML scalar: numbers stay numbers; strings quoted where YAML needs it, else sometimes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if (
        text.isdigit()
        or text.replace(".", "", 1).isdigit()
        or text in ("yes", "no", "on", "off", "true", "false")
    ):
        return f'"{text}"'
    if (
        any(c in text for c in ":#{}[],&*!|>'\"%@`")
        or text.startswith(("-", " "))
        or text != text.strip()
    ):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"'{text}'" if rng.random() < 0.05 else text


def flow(mapping: dict[str, Any], rng: random.Random) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, rng)}" for k, v in mapping.items()) + "}"


def render_yaml(service: Service, rng: random.Random) -> str:
    lines: list[str] = []
    if rng.random() < 0.4:
        lines.append(rng.choice(COMMENTS))
    lines += [
        "apiVersion: reglint/v1",
        "kind: RegistryService",
        "metadata:",
        f"  name: {scalar(service.name, rng)}",
    ]
    system = scalar(service.system, rng)
    if service.mistake == "unquoted-number":
        system = "2024"  # YAML reads a number; the schema wants a string: RL002 says quote it
    lines.append(f"  system: {system}")
    if service.mistake != "missing-environment":
        lines.append(f"  environment: {service.environment}")
    if service.mistake == "duplicate-key":
        lines.append("  environment: production")
    if service.tenant:
        lines.append(f"  tenant: {scalar(service.tenant, rng)}")
    lines.append("spec:")
    if service.on_cluster:
        lines.append("  type: on-cluster")
    else:
        assert service.registry is not None
        if rng.random() < 0.7:
            lines.append("  type: external")
        if service.role != "user" or rng.random() < 0.5:
            lines.append(f"  role: {service.role}")
        lines.append(f"  url: {scalar(service.registry.url, rng)}")
        if service.prefix:
            key = "imagePrefx" if service.mistake == "typo-key" else "imagePrefix"
            lines.append(f"  {key}: {scalar(service.prefix, rng)}")
        lines += _auth(service.auth, rng)
        if service.policies:
            lines.append("  iamPolicies:")
            lines += [f"    - {p}" for p in service.policies]
    if service.resources:
        lines.append("  resources:")
        for kind, values in service.resources.items():
            if rng.random() < 0.6:
                lines.append(f"    {kind}: {flow(values, rng)}")
            else:
                lines.append(f"    {kind}:")
                lines += [f"      {k}: {scalar(v, rng)}" for k, v in values.items()]
    if service.mistake == "broken-yaml":
        lines.insert(len(lines) // 2, "\t  oops: [unclosed")
    return "\n".join(lines) + "\n"


def _auth(auth: dict[str, Any], rng: random.Random) -> list[str]:
    if not auth:
        return []
    lines = ["  auth:"]
    method = auth.get("method")
    if method:
        note = (
            "        # the instance role reaches ECR: no username/password"
            if method == "iam-role" and rng.random() < 0.3
            else ""
        )
        lines.append(f"    method: {method}{note}")
    if "username" in auth:
        lines.append(f"    username: {scalar(auth['username'], rng)}")
    password = auth.get("password")
    if isinstance(password, str):
        suppress = (
            "  # reglint: ignore[RL106] -- throwaway test registry" if rng.random() < 0.3 else ""
        )
        lines.append(f"    password: {scalar(password, rng)}{suppress}")
    elif isinstance(password, dict) and "fromEnv" in password:
        lines.append(f"    password: {{fromEnv: {password['fromEnv']}}}")
    elif isinstance(password, dict):
        secret = password["fromSecret"]
        if rng.random() < 0.5:
            lines.append(
                f"    password: {{fromSecret: {{name: {secret['name']}, key: {secret['key']}}}}}"
            )
        else:
            lines += [
                "    password:",
                "      fromSecret:",
                f"        name: {secret['name']}",
                f"        key: {secret['key']}",
            ]
    return lines


def render_documents(services: list[Service], rng: random.Random) -> str:
    """Several services in one file, `---` separated (sometimes with a leading `---`)."""
    head = "---\n" if rng.random() < 0.3 else ""
    return head + "---\n".join(render_yaml(s, rng) for s in services)


def write_system(tree: Tree, services: list[Service], rng: random.Random, folder: str) -> int:
    """The files of one system: one file per service, or all in one multi-document file."""
    if len(services) > 1 and rng.random() < 0.15:
        tree.add(f"{folder}/registries.yaml", render_documents(services, rng))
        return 1
    for service in services:
        if rng.random() < 0.02:
            tree.add(f"{folder}/{service.name}.json", render_json(service))
        else:
            suffix = ".yml" if rng.random() < 0.1 else ".yaml"
            tree.add(f"{folder}/{service.name}{suffix}", render_yaml(service, rng))
    return len(services)
