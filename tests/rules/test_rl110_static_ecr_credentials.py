"""RL110 static-ecr-credentials (SPEC §6.3): a registry Secret with an ECR host, the user
name AWS and a literal token, at the data key; never the token."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
TOKEN = "eyJwYXlsb2FkIjoiVG9rM25QbDRudGVkIiwidmVyc2lvbiI6IjIifQ"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secret(payload: dict[str, Any], *, section: str = "data", key: str = ".dockerconfigjson") -> str:
    text = json.dumps(payload)
    value = b64(text) if section == "data" else json.dumps(text)
    kind = "kubernetes.io/dockercfg" if key == ".dockercfg" else "kubernetes.io/dockerconfigjson"
    return (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n"
        f"type: {kind}\n{section}:\n  {key}: {value}\n"
    )


def findings(run_cli: Any, root: Path, text: str) -> list[tuple[str, int, int, str, str]]:
    write_tree(root, {"secret.yaml": text})
    result = run_cli("check", ".", "--select", "RL110", "--format", "json", cwd=root)
    assert result.code == 0, result  # a warning
    assert TOKEN not in result.out + result.err and b64(f"AWS:{TOKEN}") not in result.out
    return [(f["rule"], f["line"], f["column"], f["severity"], f["message"]) for f in json.loads(result.out)["findings"]]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("data password", secret({"auths": {ECR: {"username": "AWS", "password": TOKEN}}})),
        ("stringData password", secret({"auths": {ECR: {"username": "AWS", "password": TOKEN}}}, section="stringData")),
        ("auth field", secret({"auths": {f"https://{ECR}": {"auth": b64(f"AWS:{TOKEN}")}}})),
        ("dockercfg", secret({ECR: {"username": "AWS", "password": TOKEN}}, key=".dockercfg")),
        ("ECR Public", secret({"auths": {"public.ecr.aws": {"username": "AWS", "password": TOKEN}}})),
    ],
)
def test_a_static_ecr_token_is_reported_at_the_data_key(run_cli: Any, root: Path, name: str, text: str) -> None:
    [(rule, line, column, severity, message)] = findings(run_cli, root, text)
    assert (rule, line, column, severity) == ("RL110", 7, 3, "warning"), name
    assert "holds a static ECR token (user name AWS)" in message
    assert "ECR tokens expire after 12 hours" in message


@pytest.mark.parametrize(
    ("name", "entry", "host"),
    [
        ("a placeholder token", {"username": "AWS", "password": "{{ .Values.ecrToken }}"}, ECR),
        ("another user", {"username": "ci", "password": TOKEN}, ECR),
        ("another registry", {"username": "AWS", "password": TOKEN}, "registry.example.com"),
        ("no token", {"username": "AWS"}, ECR),
    ],
)
def test_what_is_no_static_ecr_token(run_cli: Any, root: Path, name: str, entry: dict[str, str], host: str) -> None:
    assert findings(run_cli, root, secret({"auths": {host: entry}})) == [], name


def test_a_payload_written_by_a_template_is_unknown(run_cli: Any, root: Path) -> None:
    text = secret({"auths": {ECR: {"username": "AWS", "password": TOKEN}}}).replace(
        "  .dockerconfigjson: ", "  .dockerconfigjson: '{{ .Values.dockerconfig | b64enc }}' # "
    )
    assert findings(run_cli, root, text) == []


def test_one_finding_names_every_host_of_a_payload(run_cli: Any, root: Path) -> None:
    west = ECR.replace("us-east-2", "us-west-2")
    auths = {ECR: {"username": "AWS", "password": TOKEN}, west: {"auth": b64(f"AWS:{TOKEN}")},
             "registry.example.com": {"username": "AWS", "password": TOKEN}}  # fmt: skip
    [finding] = findings(run_cli, root, secret({"auths": auths}))
    assert f"for '{ECR}', '{west}': ECR tokens expire" in finding[4]
    assert "registry.example.com" not in finding[4]


def test_the_finding_sits_on_the_key_of_a_block_scalar(run_cli: Any, root: Path) -> None:
    payload = json.dumps({"auths": {ECR: {"username": "AWS", "password": TOKEN}}})
    text = secret({}).replace("  .dockerconfigjson: e30=\n", f"  .dockerconfigjson: |\n    {payload}\n")
    text = text.replace("data:", "stringData:")
    assert [f[:3] for f in findings(run_cli, root, text)] == [("RL110", 7, 3)]
