"""RL106 plaintext-secret: literal secrets in manifest data, placeholders that are not
literals, the finding's position, and the secret never printed in any output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rules.manifest_cases import (
    BLOCK,
    ECR,
    FLOW,
    FROM_ENV,
    KEY_ID,
    PASSWORD,
    PREFIX,
    SECRET,
    URL,
    USERNAME,
    manifest,
    one,
    problems,
)

from reglint.decisions.caps import shown_text
from reglint.loading.document import DataPath
from reglint.report import REPORTERS


@pytest.mark.parametrize("password", [SECRET, "hunter2", 12345678])
def test_rl106_literal_password(password: object) -> None:
    data = manifest(auth={"method": "access-keys", "username": KEY_ID, "password": password})
    problem = one("RL106", data)
    assert problem.path == PASSWORD
    assert problem.message == (
        "spec.auth.password is a literal secret (not shown here): rotate it, then reference "
        "it as {fromSecret: {name: …, key: …}} or {fromEnv: VARIABLE}"
    )
    assert problem.identity == "password"
    assert str(password) not in problem.message + problem.identity


# fmt: off
RL106_SECRET_ACCESS_KEY_ANYWHERE_CASES = [
    ({"method": "access-keys", "username": SECRET, "password": FROM_ENV}, USERNAME),
    ({"method": "access-keys", "username": KEY_ID, "password": {"fromEnv": SECRET}},
     ("spec", "auth", "password", "fromEnv")),
    ({"method": "basic", "username": f"aws_secret_access_key={SECRET}",
      "password": FROM_ENV}, USERNAME),
]
# fmt: on


@pytest.mark.parametrize(("auth", "path"), RL106_SECRET_ACCESS_KEY_ANYWHERE_CASES)
def test_rl106_secret_access_key_anywhere(auth: dict[str, Any], path: DataPath) -> None:
    problem = one("RL106", manifest("registry.example.com/ml", auth=auth))
    assert problem.path == path
    assert "looks like an AWS secret access key (not shown here): rotate the key" in (
        problem.message
    )
    assert problem.identity == "secret-access-key"
    assert SECRET not in problem.message + problem.identity


@pytest.mark.parametrize(
    ("spec", "path"),
    [({"url": f"https://{KEY_ID}:{SECRET}@registry.example.com/ML"}, URL),
     ({"url": f"{SECRET.replace('/', '')}Ab.dkr.ecr..amazonaws.com/ml"}, URL),
     ({"imagePrefix": f"{SECRET}-"}, PREFIX)],
)  # fmt: skip
def test_rl106_a_key_in_the_url_or_prefix_is_not_quoted_by_other_rules(
    spec: dict[str, str], path: DataPath
) -> None:
    data = manifest(**spec)
    assert one("RL106", data).path == path
    for rule in ("RL102", "RL103", "RL104"):
        assert problems(rule, data) == []


def test_no_message_quotes_a_secret_shaped_value() -> None:
    """The Decider redacts what a check quoted (decider.shown_text), for every rule."""
    data = manifest(resources={"limits": {"cpu": SECRET, "memory": "1Gi"}})
    problem = one("RL107", data)
    assert shown_text(problem.message) == (
        "invalid cpu limit: '<redacted>' is not a Kubernetes quantity: write a number with an "
        "optional suffix, such as '250m', '0.5', '512Mi' or '1G'"
    )


def test_rl106_a_literal_key_in_a_list() -> None:
    problem = one("RL106", manifest(iamPolicies=["a.json", SECRET]))
    assert problem.path == ("spec", "iamPolicies", 1)
    assert problem.message.startswith("spec.iamPolicies[1] holds a literal that looks like")


@pytest.mark.parametrize(
    "password",
    [FROM_ENV, {"fromSecret": {"name": "ecr", "key": "aws_secret_access_key"}}, "", None],
)
def test_rl106_good(password: object) -> None:
    auth = {"method": "access-keys", "username": KEY_ID, "password": password}
    assert problems("RL106", manifest(auth=auth)) == []


# Placeholders (SPEC §6.6): a templated value is not a literal.

# fmt: off
TEMPLATED_CREDENTIALS_CASES = [
    (ECR, {"method": "access-keys", "username": "${AWS_ACCESS_KEY_ID}",
           "password": "${REGISTRY_PASSWORD}"}),
    (ECR, {"method": "access-keys", "username": "{{ .Values.registry.username }}",
           "password": "{{ .Values.registry.password }}"}),
    (ECR, {"method": "access-keys", "username": "<access-key-id>",
           "password": "<secret-access-key>"}),
    (ECR, {"method": "access-keys", "username": KEY_ID,
           "password": "${{ secrets.AWS_SECRET_ACCESS_KEY }}"}),
    ("registry.example.com/ml", {"method": "basic", "username": "{{ .Values.user }}",
                                 "password": "{{ .Values.registry.password }}"}),
]
# fmt: on


@pytest.mark.parametrize(("url", "auth"), TEMPLATED_CREDENTIALS_CASES)
def test_templated_credentials_are_given_and_not_literal(url: str, auth: object) -> None:
    data = manifest(url, auth=auth)
    assert problems("RL106", data) == []
    assert problems("RL105", data) == []


def test_a_templated_username_and_password_still_count_as_set_for_iam_role() -> None:
    auth = {"method": "iam-role", "username": "${USER}", "password": "{{ .Values.password }}"}
    problem = one("RL105", manifest(auth=auth))
    assert "has username and password set" in problem.message
    assert problem.path == USERNAME


@pytest.mark.parametrize(
    "password", ["hunter2${X}", "${X}hunter2", "${REGISTRY_PASSWORD:-hunter2}"]
)
def test_a_partly_templated_password_is_still_a_literal_secret(password: str) -> None:
    auth = {"method": "access-keys", "username": KEY_ID, "password": password}
    problem = one("RL106", manifest(auth=auth))
    assert problem.path == PASSWORD
    assert problem.message.startswith("spec.auth.password is a literal secret (not shown here)")
    assert "hunter2" not in problem.message + problem.identity


def test_placeholder_password_through_the_engine(
    run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    (tmp_path / ".git").mkdir()
    templated = BLOCK.replace(f"password: {SECRET}", 'password: "${REGISTRY_PASSWORD}"')
    helm = BLOCK.replace(f"password: {SECRET}", 'password: "{{ .Values.registry.password }}"')
    partly = BLOCK.replace(f"password: {SECRET}", 'password: "hunter2${X}"')
    (tmp_path / "templated.yaml").write_text(templated, encoding="utf-8")
    (tmp_path / "helm.yaml").write_text(helm, encoding="utf-8")
    (tmp_path / "partly.yaml").write_text(partly, encoding="utf-8")
    result = run_cli("check", ".", "--select", "RL105,RL106", "--format", "json", cwd=tmp_path)
    found = [(f["rule"], f["path"], f["line"], f["column"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    assert found == [
        ("RL106", "partly.yaml", 12, 15,
         ("spec.auth.password is a literal secret (not shown here): rotate it, then reference "
          "it as {fromSecret: {name: …, key: …}} or {fromEnv: VARIABLE}")),
    ]  # fmt: skip
    assert "hunter2" not in result.out


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (BLOCK, 12, BLOCK.splitlines()[11].index(SECRET) + 1),
        (BLOCK.replace("\n", "\r\n"), 12, BLOCK.splitlines()[11].index(SECRET) + 1),
        (FLOW, 4, FLOW.splitlines()[3].index(f"'{SECRET}") + 1),  # the quote opens the node
    ],
    ids=["block", "crlf", "flow"],
)
def test_rl106_position_through_the_engine(
    text: str, line: int, column: int, run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "registry.yaml").write_bytes(text.encode())
    result = run_cli("check", ".", "--select", "RL106", "--format", "json", cwd=tmp_path)
    findings = json.loads(result.out)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("RL106", line, column)]
    assert SECRET not in result.out + result.err


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_the_secret_never_appears_in_any_output(
    output_format: str, run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "registry.yaml").write_text(BLOCK, encoding="utf-8")
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    result = run_cli("check", ".", "--format", output_format, cwd=tmp_path)
    assert "RL106" in result.out
    assert SECRET not in result.out + result.err


def test_the_secret_never_appears_in_a_baseline(
    run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    assert "--write-baseline" in run_cli("check", "--help").out
    (tmp_path / ".git").mkdir()
    (tmp_path / "registry.yaml").write_text(BLOCK, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    result = run_cli("check", ".", "--write-baseline", str(baseline), cwd=tmp_path)
    assert SECRET not in result.out + result.err
    assert SECRET not in baseline.read_text(encoding="utf-8")
