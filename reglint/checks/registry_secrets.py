"""The rules of one Kubernetes registry Secret (SPEC §6.3): RL002 (a payload Kubernetes or
Docker would reject), RL102/RL103 (its registry hosts), RL106 (literal credentials) and
RL110 (a static ECR token). The Secrets a system's settings name are checked in
checks/mlrun_systems.py.

A payload (`.dockerconfigjson`, `.dockercfg`, an AWS `credentials` file) is one base64
string or one JSON text: nothing inside it has a position of its own, so every finding
about it sits at its data key (`on_key`), and names the hosts or profiles it is about.
One finding per rule and data key. No message quotes a decoded value: only host keys
(credentials in a key shown as `<redacted>`), field names and profile names.

Decisions where the SPEC is silent:

- A payload that cannot be decoded (not base64, not JSON, not UTF-8, over 1 MiB) and a
  layout that no client reads are RL002, not RL001: the file parses, the API server (or
  every Docker client) rejects the Secret, and an inline ignore comment still works.
- A value that SOPS encrypted (`ENC[…]`) is unknown, never malformed.
- RL110 also reports ECR Public hosts: their tokens expire as fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reglint.checks.base import CheckSettings, DocumentCheck, DocumentCheckFn
from reglint.checks.registry_urls import ecr_host_verdict, url_verdict
from reglint.checks.systems import listing
from reglint.findings import Severity
from reglint.loading.document import DataPath, Document, DocumentKind, Problem

if TYPE_CHECKING:
    from reglint.platform.secrets import RegistryCredentials, SecretRecord

__all__ = ["REGISTRY_SECRET_CHECKS", "is_sops_encrypted", "joined_at_nodes"]


def is_sops_encrypted(value: Any) -> bool:
    """True for a value SOPS encrypted: `ENC[AES256_GCM,data:…,type:str]`."""
    return isinstance(value, str) and value.startswith("ENC[") and value.rstrip().endswith("]")


def value_at(data: Any, path: DataPath) -> Any:
    """The value at `path` in `data`, or None."""
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def joined_at_nodes(problems: list[Problem]) -> Iterator[Problem]:
    """One problem per rule and node: the messages of a node's problems joined by `;`."""
    by_node: dict[tuple[str, DataPath], list[Problem]] = {}
    for problem in problems:
        by_node.setdefault((problem.rule, problem.path), []).append(problem)
    for group in by_node.values():
        first = group[0]
        if len(group) == 1:
            yield first
        else:
            yield Problem(
                first.rule,
                "; ".join(dict.fromkeys(p.message for p in group)),
                path=first.path,
                on_key=first.on_key,
                identity="+".join(p.identity for p in group),
            )


def secret_records(document: Document) -> tuple[SecretRecord, ...]:
    """The Secrets of a PLATFORM document. The platform readers are imported only by a
    run that has a platform source: the checks run only on PLATFORM documents."""
    from reglint.platform.documents import platform_records

    return platform_records(document).secrets


def _payloads(document: Document) -> Iterator[RegistryCredentials]:
    """The registry payloads of a document's Secrets that were decoded and read."""
    from reglint.platform.secrets import PayloadState

    for record in secret_records(document):
        for payload in record.registry:
            if payload.state is PayloadState.KNOWN:
                yield payload


def _key(path: DataPath) -> str:
    """`data['.dockerconfigjson']`: a data key as the messages name it."""
    return f"{path[-2]}['{path[-1]}']"


def check_secret_problems(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL002: what Kubernetes or Docker would reject in a Secret."""
    found = [
        Problem(
            "RL002",
            problem.message,
            path=problem.path,
            # A payload's problem sits at its data key; others at the node itself.
            on_key=len(problem.path) >= 2 and problem.path[-2] in ("data", "stringData"),
            identity=problem.kind.value,
        )
        for record in secret_records(document)
        for problem in record.problems
        if not is_sops_encrypted(value_at(document.data, problem.path))
    ]
    yield from joined_at_nodes(found)


def check_secret_hosts(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL102: each host key of a registry Secret is a registry URL."""
    for payload in _payloads(document):
        parts, identities = [], []
        for entry in payload.entries:
            verdict = url_verdict(entry.url) if entry.checkable else None
            if verdict is not None:
                parts.append(f"'{entry.key}' ({'; '.join(verdict.reasons)})")
                identities.append(f"{entry.key}|{verdict.identity}")
        if parts:
            yield Problem(
                "RL102",
                f"{_key(payload.path)} has invalid registry hosts: {listing(parts)}; a host key is "
                "host[:port], optionally with a scheme and a path",
                path=payload.path, on_key=True, identity="+".join(identities),
            )  # fmt: skip


def check_secret_ecr_hosts(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL103: each ECR host key of a registry Secret fits the ECR host grammar."""
    for payload in _payloads(document):
        parts, identities, error = [], [], False
        for entry in payload.entries:
            verdict = ecr_host_verdict(entry.url) if entry.checkable else None
            if verdict is not None:
                parts.append(f"'{entry.key}' ({'; '.join(verdict.reasons)})")
                identities.append(verdict.identity)
                error = error or verdict.error
        if parts:
            yield Problem(
                "RL103",
                f"{_key(payload.path)} has {'malformed' if error else 'doubtful'} ECR hosts: {listing(parts)}",
                path=payload.path, on_key=True,
                severity=Severity.ERROR if error else Severity.WARNING, identity="+".join(identities),
            )  # fmt: skip


def check_secret_literals(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL106: literal registry credentials, and literal keys in an AWS credentials file."""
    from reglint.platform.secrets import PayloadState

    for record in secret_records(document):
        for payload in record.registry:
            if payload.state is not PayloadState.KNOWN:
                continue
            hosts = [(e.key, e.literal_secrets) for e in payload.entries if e.literal_secrets]
            if hosts:
                what = listing([f"'{key}' ({', '.join(fields)})" for key, fields in hosts])
                encoded = " (base64 is not encryption)" if payload.path[-2] == "data" else ""
                yield Problem(
                    "RL106",
                    f"{_key(payload.path)} holds literal credentials (not shown here) for {what}"
                    f"{encoded}: rotate them, then keep them out of the repository (create the "
                    "Secret in the cluster, or commit a SealedSecret, an ExternalSecret or a "
                    "SOPS-encrypted file instead)",
                    path=payload.path, on_key=True,
                    identity="+".join(f"{key}:{'/'.join(fields)}" for key, fields in hosts),
                )  # fmt: skip
        for credentials in record.aws:
            profiles = [(p.name or "(no section)", p.literal_secrets) for p in credentials.profiles if p.literal_secrets]
            if profiles:
                what = listing([f"{', '.join(keys)} in profile '{name}'" for name, keys in profiles])
                yield Problem(
                    "RL106",
                    f"{_key(credentials.path)} holds an AWS credentials file with a literal {what} "
                    "(not shown here): rotate the access key, then let the nodes' instance role "
                    "(or IRSA) reach ECR, or keep the key out of the repository (a SealedSecret, "
                    "an ExternalSecret or a SOPS-encrypted file)",
                    path=credentials.path, on_key=True,
                    identity="aws:" + "+".join(f"{name}:{'/'.join(keys)}" for name, keys in profiles),
                )  # fmt: skip


def check_static_ecr_tokens(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL110: an ECR host with the user name AWS and a literal token."""
    for payload in _payloads(document):
        hosts = [entry.key for entry in payload.entries if entry.static_ecr_token]
        if hosts:
            shown = listing([f"'{host}'" for host in hosts])
            yield Problem(
                "RL110",
                f"{_key(payload.path)} holds a static ECR token (user name AWS) for "
                f"{shown}: ECR tokens expire after 12 hours, so "
                "pulls and builds with this Secret fail from then on; let the nodes' instance role "
                "(or IRSA) authenticate to ECR, or have a job refresh the Secret",
                path=payload.path, on_key=True, identity="+".join(hosts),
            )  # fmt: skip


def _check(name: str, rule: str, run: DocumentCheckFn) -> DocumentCheck:
    return DocumentCheck(name, frozenset({rule}), frozenset({DocumentKind.PLATFORM}), run)


REGISTRY_SECRET_CHECKS: tuple[DocumentCheck, ...] = (
    _check("secret-schema", "RL002", check_secret_problems),
    _check("secret-registry-hosts", "RL102", check_secret_hosts),
    _check("secret-ecr-hosts", "RL103", check_secret_ecr_hosts),
    _check("secret-plaintext-credentials", "RL106", check_secret_literals),
    _check("static-ecr-credentials", "RL110", check_static_ecr_tokens),
)
