"""Hostile infrastructure code through the CLI (SPEC §4, §6.2): huge and deep
CloudFormation templates, huge `.tf` files, deeply nested HCL expressions, plans with huge
resource counts, and `file()`/`templatefile()` paths that try to leave the project.

Each run is `python -m reglint check` in a child process killed after `TIMEOUT_S`, whose
peak RSS must stay under `RSS_BOUND_MIB`; none may print a traceback, and the good
manifest's finding is still reported beside whatever the hostile file becomes.

Measured on 2 loaded cores (CPython 3.11, python-hcl2 8.1.4; wall time of the child, peak
RSS): the 1.9 MB template of 4,000 roles 10 s and 140 MiB, the plan of 15,000 resources
3 s and 165 MiB, the 250 KiB `.tf` of 1,500 heredoc policies 1 s and 60 MiB, a 100,000
level HCL expression 3 s and 90 MiB; the base project alone 0.3 s and 35 MiB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import Measured, run_measured
from hostile.project_tree import GOOD_LINE, make_project

TIMEOUT_S = 120  # generous for a loaded machine: the slowest case takes about 10 s
RSS_BOUND_MIB = 400
SECRET = "SECRET-OUTSIDE-THE-PROJECT-7f3a"


def run(root: Path, *args: str) -> tuple[Measured, list[dict[str, Any]]]:
    measured = run_measured(root, "check", ".", "--format", "json", *args, timeout=TIMEOUT_S)
    assert measured.code == 1, measured
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"
    findings: list[dict[str, Any]] = json.loads(measured.out)["findings"]
    assert ("RL104", "good.yaml", GOOD_LINE) in [
        (f["rule"], f["path"], f["line"]) for f in findings
    ]
    return measured, findings


def of(findings: list[dict[str, Any]], path: str) -> list[tuple[str, int]]:
    return sorted((f["rule"], f["line"]) for f in findings if f["path"] == path)


def assert_capped(findings: list[dict[str, Any]], path: str, lines: list[int]) -> None:
    """RL203 at each of `lines`: the first 100 reported, then how many more (SPEC §4)."""
    found = [(f["rule"], f["line"], f["message"]) for f in findings if f["path"] == path]
    assert [line for _, line, _ in found[:100]] == lines[:100]
    assert {rule for rule, _, _ in found} == {"RL203"}
    assert len(found) == 101 and f"{len(lines) - 100} more RL203 findings" in found[100][2]


STATEMENT = '{"Effect": "Allow", "Action": ["ecr:PutImages"], "Resource": "*"}'
POLICY = '{"Version": "2012-10-17", "Statement": [' + STATEMENT + "]}"


def huge_template(roles: int) -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for index in range(roles):
        lines += [
            f"  Role{index}:",
            "    Type: AWS::IAM::Role",
            "    Properties:",
            f"      RoleName: !Sub 'role-${{AWS::Region}}-{index}'",
            "      AssumeRolePolicyDocument:",
            "        Version: '2012-10-17'",
            "        Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]",
            "      Policies:",
            "        - PolicyName: push",
            "          PolicyDocument:",
            "            Version: '2012-10-17'",
            "            Statement:",
            f"              - {{Effect: Allow, Action: [ecr:PutImages], Resource: !GetAtt Role{index}.Arn}}",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_huge_template_is_read_in_bounded_time_and_memory(tmp_path: Path) -> None:
    text = huge_template(4000)
    assert 1_500_000 < len(text) < 5 * 1024 * 1024  # under the default max-file-size
    make_project(tmp_path, {"infra/huge.yaml": text})
    _, findings = run(tmp_path)
    assert_capped(findings, "infra/huge.yaml", [15 + 13 * i for i in range(4000)])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nested-sequences", "Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: "
         + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("nested-fn-if", "Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: "
         + "{'Fn::If': [c, " * 5_000 + "x" + ", y]}" * 5_000 + "\n"),
        ("nested-json", '{"Resources": {"R": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": '
         + '{"Fn::Join": ["", [' * 50_000 + '"x"' + "]]}" * 50_000 + "}}}}"),
    ],
)  # fmt: skip
def test_a_deep_template_is_rl001_at_its_place(tmp_path: Path, name: str, text: str) -> None:
    suffix = "json" if text.startswith("{") else "yaml"
    make_project(tmp_path, {f"infra/deep.{suffix}": text})
    measured, findings = run(tmp_path)
    deep = [f for f in findings if f["path"] == f"infra/deep.{suffix}"]
    assert [f["rule"] for f in deep] == ["RL001"], measured.out[-2000:]
    assert "deeper than 200 levels" in deep[0]["message"], deep[0]["message"]


def test_a_tf_file_over_the_hcl_limit_is_rl001_before_parsing(tmp_path: Path) -> None:
    block = 'resource "aws_iam_policy" "p{}" {{\n  policy = jsonencode({{ Version = "2012-10-17" }})\n}}\n'
    text = "".join(block.format(index) for index in range(8_000))  # 620 KB
    make_project(tmp_path, {"infra/main.tf": text})
    _, findings = run(tmp_path)
    (found,) = [f for f in findings if f["path"] == "infra/main.tf"]
    assert (found["rule"], found["line"]) == ("RL001", 1)
    assert "larger than 256 KiB" in found["message"]


def test_a_tf_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    block = 'resource "aws_iam_policy" "p{}" {{\n  policy = <<EOF\n{}\nEOF\n}}\n'
    text = "".join(block.format(index, POLICY) for index in range(1_500))
    assert 200 * 1024 < len(text) < 256 * 1024
    make_project(tmp_path, {"infra/main.tf": text})
    _, findings = run(tmp_path)
    assert_capped(findings, "infra/main.tf", [2 + 5 * i for i in range(1_500)])


@pytest.mark.parametrize(
    ("name", "expression"),
    [
        ("brackets", "[" * 50_000 + "]" * 50_000),
        ("objects", "{ a = " * 20_000 + "1" + " }" * 20_000),
        ("parentheses", "(" * 50_000 + "1" + ")" * 50_000),
        ("conditionals", "true ? " * 20_000 + "1" + " : 2" * 20_000),
        ("function-calls", "jsonencode(" * 20_000 + "1" + ")" * 20_000),
    ],
)
def test_a_deeply_nested_hcl_expression_is_rl001(
    tmp_path: Path, name: str, expression: str
) -> None:
    text = f'resource "aws_iam_policy" "p" {{\n  policy = {expression}\n}}\n'
    make_project(tmp_path, {"infra/main.tf": text})
    measured, findings = run(tmp_path)
    found = [f for f in findings if f["path"] == "infra/main.tf"]
    assert [(f["rule"], f["line"]) for f in found] == [("RL001", 2)], measured.out[-2000:]


@pytest.mark.slow
def test_a_plan_with_a_huge_resource_count(tmp_path: Path) -> None:
    resources = [
        {"address": f"aws_iam_policy.p[{index}]", "mode": "managed", "type": "aws_iam_policy",
         "name": "p", "index": index, "values": {"policy": POLICY}}
        for index in range(15_000)
    ]  # fmt: skip
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}
    make_project(tmp_path, {"plan.json": json.dumps(plan)})
    _, findings = run(tmp_path)
    assert_capped(findings, "plan.json", [1] * 15_000)


def test_a_plan_with_deep_child_modules_is_rl001(tmp_path: Path) -> None:
    depth = 5_000
    module = (
        '{"child_modules": [' * depth + '{"resources": [{"type": "aws_iam_role"}]}' + "]}" * depth
    )
    text = '{"format_version": "1.2", "planned_values": {"root_module": ' + module + "}}"
    make_project(tmp_path, {"plan.json": text})
    _, findings = run(tmp_path)
    (found,) = [f for f in findings if f["path"] == "plan.json"]
    assert found["rule"] == "RL001" and "deeper than 200 levels" in found["message"]


# --- file() and templatefile() stay in the project ---------------------------------------

MANIFEST_OF_ROLE = """\
apiVersion: reglint/v1
kind: RegistryService
metadata: {name: ecr-user-registry, system: ml-prod, environment: production}
spec:
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  auth:
    method: iam-role
  iamPolicies:
    - ../infra/main.tf#aws_iam_role.r
  resources:
    limits: {cpu: '1', memory: 1Gi}
"""


def reading(call: str) -> str:
    return (
        f'resource "aws_iam_policy" "p" {{\n  policy = {call}\n}}\n'
        'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({ Version = "2012-10-17",'
        '  Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",'
        '    Principal = { Service = "ec2.amazonaws.com" } }] })\n'
        "  managed_policy_arns = [aws_iam_policy.p.arn]\n}\n"
    )


@pytest.mark.parametrize(
    ("call", "words"),
    [
        ('file("../../etc/passwd")', "reads ../../etc/passwd, which lies outside the project root"),
        ('file("${path.module}/../../../../../../../../etc/passwd")',
         "reads ../../../../../../../../etc/passwd, which lies outside the project root"),
        ('file("/etc/passwd")', "reads /etc/passwd, which is an absolute path: reglint reads only files of the project"),
        ('templatefile("/etc/passwd", {})', "reads /etc/passwd, which is an absolute path"),
        ('file("${path.module}/link.json")', "reads link.json, which leads outside the project root through a symbolic link"),
        ('templatefile("${path.module}/out/secret.json", {})',
         "reads out/secret.json, which leads outside the project root through a symbolic link"),
    ],
)  # fmt: skip
def test_a_file_read_outside_the_project_is_refused_with_a_note(
    tmp_path: Path, call: str, words: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text(f'{{"Version": "{SECRET}", "Statement": []}}')
    root = make_project(tmp_path / "project", {
        "systems/r.yaml": MANIFEST_OF_ROLE, "infra/main.tf": reading(call),
    })  # fmt: skip
    (root / "infra/link.json").symlink_to(outside / "secret.json")
    (root / "infra/out").symlink_to(outside)
    measured, findings = run(root)
    assert SECRET not in measured.out + measured.err
    assert "root:" not in measured.out  # nothing of /etc/passwd either
    notes = [f for f in findings if f["rule"] == "RL302" and f["path"] == "systems/r.yaml"]
    assert [(f["line"], f["severity"]) for f in notes] == [(9, "note")], measured.out[-2000:]
    assert words in notes[0]["message"], notes[0]["message"]
    (missing,) = [f for f in findings if f["rule"] == "RL201"]
    assert (
        "it may be granted by what reglint cannot read: customer managed policy"
        in missing["message"]
    )


def test_a_file_of_the_project_outside_the_module_folder_is_read(tmp_path: Path) -> None:
    push = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}'
    root = make_project(tmp_path, {
        "systems/r.yaml": MANIFEST_OF_ROLE,
        "infra/main.tf": reading('file("${path.module}/../policies/push.json")'),
        "policies/push.json": push,
    })  # fmt: skip
    _, findings = run(root)
    assert [f for f in findings if f["path"] != "good.yaml"] == []  # the role can push
