"""The rules of one registry Secret through `reglint check` (SPEC §6.3): RL002 for what
Kubernetes or Docker rejects, RL102/RL103 on its hosts, RL106 on literal credentials —
each at the data key's line, one finding per rule and key, no value ever printed."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
PASSWORD = "Pl4nted-Passw0rd-9x7"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(value: str, *, section: str = "data", key: str = ".dockerconfigjson", kind: str | None = None) -> str:
    kind = kind or ("kubernetes.io/dockercfg" if key == ".dockercfg" else "kubernetes.io/dockerconfigjson")
    return (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n"
        f"type: {kind}\n{section}:\n  {key}: {value}\n"
    )


def auths(hosts: dict[str, dict[str, str]], *, section: str = "data") -> str:
    text = json.dumps({"auths": hosts})
    return secret(b64(text) if section == "data" else json.dumps(text), section=section)


def check(run_cli: Any, root: Path, text: str, rules: str) -> list[tuple[str, int, int, str, str]]:
    write_tree(root, {"secret.yaml": text})
    result = run_cli("check", ".", "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    assert PASSWORD not in result.out + result.err
    return [(f["rule"], f["line"], f["column"], f["severity"], f["message"]) for f in json.loads(result.out)["findings"]]


# -- RL002 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("not%base64", "data['.dockerconfigjson'] is not valid base64"),
        (b64("{not json"), "data['.dockerconfigjson'] is not valid JSON (line 1, column 2)"),
        (b64(json.dumps({ECR: {"auth": b64("AWS:x")}})), "has no `auths` key: in .dockerconfigjson, registry hosts belong under `auths`"),
        (b64(json.dumps({"auths": {ECR: {"auth": "%%%"}}})), f"has an `auth` for '{ECR}' that is not valid base64"),
    ],
)
def test_a_payload_kubernetes_or_docker_rejects_is_rl002(run_cli: Any, root: Path, value: str, words: str) -> None:
    [(rule, line, column, severity, message)] = check(run_cli, root, secret(value), "RL002")
    assert (rule, line, column, severity) == ("RL002", 7, 3, "error")
    assert words in message


def test_a_docker_type_without_its_key_is_rl002_at_the_type(run_cli: Any, root: Path) -> None:
    text = secret(b64("x"), key="password")
    assert [f[:3] for f in check(run_cli, root, text, "RL002")] == [("RL002", 5, 7)]


def test_a_sops_encrypted_payload_is_not_malformed(run_cli: Any, root: Path) -> None:
    text = secret("ENC[AES256_GCM,data:8Jk=,iv:q1w=,tag:Zx0=,type:str]") + "sops:\n  version: 3.8.1\n"
    assert check(run_cli, root, text, "RL002,RL102,RL106") == []


# -- RL102 / RL103 -------------------------------------------------------------------------


def test_host_keys_are_registry_urls(run_cli: Any, root: Path) -> None:
    hosts = {"https://index.docker.io/v1/": {}, "registry.example.com:99999": {}, "ghcr.io/Acme": {}, "*.gcr.io": {}}
    [(rule, line, column, severity, message)] = check(run_cli, root, auths(hosts), "RL102")
    assert (rule, line, column, severity) == ("RL102", 7, 3, "error")
    assert message.startswith("data['.dockerconfigjson'] has invalid registry hosts: 'registry.example.com:99999' (")
    assert "'ghcr.io/Acme' (" in message and "index.docker.io" not in message and "gcr.io'" not in message


def test_ecr_host_keys_fit_the_ecr_grammar(run_cli: Any, root: Path) -> None:
    hosts = {"12345678901.dkr.ecr.us-east-2.amazonaws.com": {}, "123456789012.dkr-ecr.us-east-2.on.aws": {}}
    [(rule, line, _, severity, message)] = check(run_cli, root, auths(hosts), "RL102,RL103")
    assert (rule, line, severity) == ("RL103", 7, "error")
    assert "'12345678901.dkr.ecr.us-east-2.amazonaws.com' (account ID '12345678901' has 11 digits" in message
    assert "on.aws" not in message


# -- RL106 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["data", "stringData"])
def test_literal_credentials_are_rl106_without_the_value(run_cli: Any, root: Path, section: str) -> None:
    hosts = {"registry.example.com": {"username": "ci", "password": PASSWORD},
             "ghcr.io": {"auth": b64(f"bot:{PASSWORD}"), "identitytoken": PASSWORD},
             "quay.io": {"username": "ci", "password": "${QUAY_PASSWORD}"}}  # fmt: skip
    [(rule, line, column, _, message)] = check(run_cli, root, auths(hosts, section=section), "RL106")
    assert (rule, line, column) == ("RL106", 7, 3)
    assert f"{section}['.dockerconfigjson'] holds literal credentials (not shown here) for " in message
    assert "'registry.example.com' (password), 'ghcr.io' (auth, identitytoken)" in message
    assert "quay.io" not in message
    assert ("base64 is not encryption" in message) is (section == "data")
    assert b64(f"bot:{PASSWORD}") not in message


def test_a_literal_key_in_an_aws_credentials_file_is_rl106(run_cli: Any, root: Path) -> None:
    credentials = f"[default]\naws_access_key_id = AKIAQ3EGRTHS5EXAMPLE\naws_secret_access_key = {PASSWORD}\n"
    credentials += "[ci]\naws_access_key_id = ${ID}\naws_secret_access_key = ${KEY}\n"
    text = secret(b64(credentials), key="credentials", kind="Opaque")
    [(rule, line, column, _, message)] = check(run_cli, root, text, "RL106")
    assert (rule, line, column) == ("RL106", 7, 3)
    assert "data['credentials'] holds an AWS credentials file with a literal aws_secret_access_key in profile 'default'" in message
    assert "'ci'" not in message


# -- Suppressions and fingerprints ---------------------------------------------------------


def test_an_ignore_comment_above_the_data_key_suppresses_its_findings(run_cli: Any, root: Path) -> None:
    text = auths({ECR: {"username": "AWS", "password": PASSWORD}}).replace(
        "  .dockerconfigjson:", "  # reglint: ignore[RL110] -- refreshed hourly by a CronJob\n  .dockerconfigjson:"
    )
    write_tree(root, {"secret.yaml": text})
    result = run_cli("check", ".", "--format", "json", cwd=root)
    findings = {f["rule"]: f for f in json.loads(result.out)["findings"]}
    assert set(findings) == {"RL106", "RL110"}
    assert findings["RL110"]["suppressed"] == {"kind": "inline", "justification": "refreshed hourly by a CronJob"}
    assert findings["RL106"]["suppressed"] is None and findings["RL106"]["line"] == 8


def test_fingerprints_do_not_move_with_the_lines(run_cli: Any, root: Path) -> None:
    text = auths({ECR: {"username": "AWS", "password": PASSWORD}})

    def prints(body: str) -> list[tuple[str, int, str]]:
        write_tree(root, {"secret.yaml": body})
        found = json.loads(run_cli("check", ".", "--format", "json", cwd=root).out)["findings"]
        return [(f["rule"], f["line"], f["fingerprint"]) for f in found]

    before, after = prints(text), prints("# the registry Secret\n\n" + text)
    assert [(r, line + 2) for r, line, _ in before] == [(r, line) for r, line, _ in after]
    assert [p for *_, p in before] == [p for *_, p in after]
