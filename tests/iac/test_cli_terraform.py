"""Terraform through `reglint check` (SPEC §6.2): one row per resource type that holds a
policy and per way of writing one (`jsonencode`, heredoc, `file()`, `templatefile()`,
`data "aws_iam_policy_document"`, `.tf.json`), each with its finding — rule, file,
line, column, words — or none where a value is known only at deploy time; plans
(`terraform show -json`) with child modules and values known after apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from iac.iac_cli import at, check

BAD = '{ Effect = "Allow", Action = ["ecr:PutImages"], Resource = "*" }'


def encoded(statement: str = BAD) -> str:
    return f'jsonencode({{\n    Version = "2012-10-17"\n    Statement = [{statement}]\n  }})'


CASES: list[tuple[str, str, tuple[str, str, str] | None]] = [
    # (case, main.tf, (rule, needle, words) or None)
    ("aws_iam_policy", f'resource "aws_iam_policy" "p" {{\n  policy = {encoded()}\n}}\n',
     ("RL203", '"ecr:PutImages"', "did you mean `ecr:PutImage`")),
    ("aws_iam_role_policy", f'resource "aws_iam_role_policy" "p" {{\n  role = "r"\n  policy = {encoded()}\n}}\n',
     ("RL203", '"ecr:PutImages"', "unknown action")),
    ("aws_iam_user_policy", f'resource "aws_iam_user_policy" "p" {{\n  user = "u"\n  policy = {encoded()}\n}}\n',
     ("RL203", '"ecr:PutImages"', "unknown action")),
    ("aws_iam_group_policy", f'resource "aws_iam_group_policy" "p" {{\n  group = "g"\n  policy = {encoded()}\n}}\n',
     ("RL203", '"ecr:PutImages"', "unknown action")),
    ("aws_iam_role inline_policy",
     f'resource "aws_iam_role" "r" {{\n  inline_policy {{\n    name = "i"\n    policy = {encoded()}\n  }}\n}}\n',
     ("RL203", '"ecr:PutImages"', "unknown action")),
    ("aws_iam_role assume_role_policy is a trust policy",
     ('resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n'
     '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole" }]\n  })\n}\n'),
     ("RL002", '{ Effect = "Allow", Action = "sts:AssumeRole" }', "Principal")),
    ("aws_ecr_repository_policy",
     ('resource "aws_ecr_repository_policy" "p" {\n  repository = "ml"\n  policy = jsonencode({\n'
     '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:PutImage" }]\n  })\n}\n'),
     ("RL209", '"*"', "lets anyone push")),
    ("aws_ecr_registry_policy",
     ('resource "aws_ecr_registry_policy" "p" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
     '    Statement = [{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "ecr:ReplicateImage" }]\n  })\n}\n'),
     ("RL002", '{ Effect = "Allow", Principal', "Resource")),
    ("aws_ecr_repository_creation_template",
     ('resource "aws_ecr_repository_creation_template" "t" {\n  prefix = "ml"\n  applied_for = ["CREATE_ON_PUSH"]\n'
     '  repository_policy = jsonencode({\n    Version = "2012-10-17"\n'
     '    Statement = [{ Effect = "Allow", Principal = { AWS = ["*"] }, Action = "ecr:*" }]\n  })\n}\n'),
     ("RL209", '"*"', "lets anyone push")),
    ("heredoc JSON",
     ('resource "aws_iam_policy" "p" {\n  policy = <<-EOF\n    {"Version": "2012-10-17", "Statement": '
     '[{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "arn:aws:ecr:${var.region}:${local.a}:repository/x"}]}\n  EOF\n}\n'),
     ("RL203", "<<-EOF", "ecr:PutImages")),
    ("data aws_iam_policy_document",
     ('data "aws_iam_policy_document" "d" {\n  statement {\n    sid = "Push"\n    actions = ["ecr:PutImage"]\n'
     '    resources = ["arn:aws:ecr:us-east-1:123:repository/x"]\n  }\n}\n'
     'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\n'),
     ("RL206", '"arn:aws:ecr:us-east-1:123:repository/x"', "account `123`")),
    ("data aws_iam_policy_document principals and conditions, typed by its use",
     ('data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["ecr:PutImage"]\n'
     '    principals {\n      type = "AWS"\n      identifiers = ["*"]\n    }\n'
     '    condition {\n      test = "StringEquals"\n      variable = "aws:SourceVpc"\n      values = ["vpc-1"]\n    }\n  }\n}\n'
     'resource "aws_ecr_repository_policy" "p" {\n  repository = "ml"\n  policy = data.aws_iam_policy_document.d.json\n}\n'),
     ("RL209", '"*"', "its Condition does not restrict the caller")),
    ("placeholders and a dynamic statement are no finding",
     ('data "aws_iam_policy_document" "d" {\n  statement {\n    effect = var.effect\n    actions = ["ecr:${var.verb}", var.action]\n'
     '    resources = [aws_ecr_repository.r.arn, "arn:${data.aws_partition.c.partition}:ecr:${var.region}:${data.aws_caller_identity.c.account_id}:repository/x", var.arn]\n  }\n'
     '  dynamic "statement" {\n    for_each = var.extra\n    content {\n      actions = ["x"]\n    }\n  }\n}\n'
     'resource "aws_ecr_repository" "r" {\n  name = "ml"\n}\n'),
     None),
    ("a conditional policy: both branches",
     ('resource "aws_iam_policy" "p" {\n  policy = var.prod ? jsonencode({ Version = "2012-10-17", Statement = '
     '[{ Effect = "Allow", Action = "ecr:PutImage", Resource = "*" }] }) : jsonencode({ Version = "2012-10-17", '
     'Statement = [{ Effect = "Allow", Action = "ecr:PutImages", Resource = "*" }] })\n}\n'),
     ("RL203", '"ecr:PutImages"', "unknown action")),
]


@pytest.mark.parametrize(("main", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_terraform_resource_types(
    run_cli: Any, tmp_path: Path, main: str, expected: tuple[str, str, str] | None
) -> None:
    found = check(run_cli, tmp_path, {"infra/main.tf": main}, "infra/main.tf")
    if expected is None:
        assert found == []
        return
    rule, needle, words = expected
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        (rule, "infra/main.tf", *at(main, needle))
    ], [f.message for f in found]
    assert words in found[0].message


def test_findings_sit_in_the_file_that_writes_the_policy(run_cli: Any, tmp_path: Path) -> None:
    """A module is a folder: a named file reads its folder as context, and findings are
    reported on the named files only."""
    docs = (
        'data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["ecr:PutImages"]\n'
        '    resources = [local.repo]\n  }\n}\n'
    )
    files = {
        "infra/docs.tf": docs,
        "infra/locals.tf": 'locals {\n  repo = "arn:aws:ecr:us-east-1:123:repository/x"\n}\n',
        "infra/main.tf": 'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\n',
    }
    named = check(run_cli, tmp_path, files, "infra/main.tf")
    assert named == []  # the policy document's findings belong to docs.tf
    found = check(run_cli, tmp_path, {}, "infra/docs.tf")
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("RL203", "infra/docs.tf", *at(docs, '"ecr:PutImages"')),
        ("RL206", "infra/docs.tf", *at(docs, "local.repo")),  # the local folded in
    ]


def test_file_reads_a_policy_of_the_module(run_cli: Any, tmp_path: Path) -> None:
    files = {
        "infra/main.tf": 'resource "aws_iam_policy" "p" {\n  policy = file("${path.module}/p.json")\n}\n',
        "infra/p.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]}',
    }
    found = check(run_cli, tmp_path, files, "infra")
    # Checked once, in the JSON file itself: not again at the `file()` call.
    assert [(f.rule, f.path) for f in found] == [("RL203", "infra/p.json")]


def test_templatefile_has_unknown_variables(run_cli: Any, tmp_path: Path) -> None:
    main = 'resource "aws_iam_policy" "p" {\n  policy = templatefile("${path.module}/p.json.tpl", { account = var.a })\n}\n'
    template = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "arn:aws:ecr:us-east-1:${account}:repository/x"}]}'
    found = check(run_cli, tmp_path, {"infra/main.tf": main, "infra/p.json.tpl": template}, "infra")
    assert [(f.rule, f.path, f.line, f.column) for f in found] == [
        ("RL203", "infra/main.tf", *at(main, 'templatefile("'))
    ]


def test_tf_json_files(run_cli: Any, tmp_path: Path) -> None:
    text = json.dumps(
        {
            "resource": {
                "aws_iam_policy": {
                    "p": {
                        "policy": '${jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", '
                        'Action = ["ecr:PutImages"], Resource = "*"}]})}'
                    }
                }
            }
        },
        indent=1,
    )
    found = check(run_cli, tmp_path, {"infra/main.tf.json": text}, "infra/main.tf.json")
    assert [(f.rule, f.line) for f in found] == [("RL203", at(text, '"${jsonencode')[0])]


def test_a_broken_walked_file_is_rl001_only_when_it_mentions_iam(run_cli: Any, tmp_path: Path) -> None:
    files = {
        "infra/broken.tf": 'resource "aws_iam_policy" "p" {\n  policy = \n',
        "other/broken.tf": 'resource "null_resource" "x" {\n',
    }
    (tmp_path / ".git").mkdir()
    from helpers import write_tree

    write_tree(tmp_path, files)
    result = run_cli("check", ".", cwd=tmp_path)
    assert "infra/broken.tf:2:10: RL001 error parse-error: HCL syntax error" in result.out
    assert "other/broken.tf" not in result.out
    assert "reglint: other/broken.tf: skipped: HCL syntax error" in result.err


PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_iam_policy.p",
                    "mode": "managed",
                    "type": "aws_iam_policy",
                    "name": "p",
                    "values": {
                        "policy": json.dumps(
                            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:PutImages", "Resource": "*"}]}
                        )
                    },
                }
            ],
            "child_modules": [
                {
                    "address": "module.eks",
                    "resources": [
                        {
                            "address": "module.eks.aws_iam_role_policy.later[0]",
                            "mode": "managed",
                            "type": "aws_iam_role_policy",
                            "name": "later",
                            "index": 0,
                            "values": {"role": "nodes"},
                        }
                    ],
                }
            ],
        }
    },
    "resource_changes": [
        {
            "address": "module.eks.aws_iam_role_policy.later[0]",
            "change": {"actions": ["create"], "after_unknown": {"policy": True}},
        }
    ],
}


def test_a_plan_with_a_child_module_and_a_value_known_after_apply(run_cli: Any, tmp_path: Path) -> None:
    text = json.dumps(PLAN, indent=1)
    found = check(run_cli, tmp_path, {"plan.json": text}, "plan.json")
    # The policy known only after the apply is no finding; the literal one is checked.
    line, column = at(text, '"policy": "{')
    assert [(f.rule, f.line, f.column) for f in found] == [("RL203", line, column + len('"policy": '))]
    assert "ecr:PutImages" in found[0].message


def test_a_plan_of_another_format_version_is_skipped_with_its_reason(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plan.json").write_text(json.dumps({**PLAN, "format_version": "2.0"}))
    result = run_cli("check", "plan.json", "-v", cwd=tmp_path)
    assert "(1 skipped)" in result.out
    assert "plan.json: skipped: a Terraform plan of format_version 2.0: reglint reads 1.x" in result.err


PUSHER = """\
resource "aws_iam_role" "pusher" {
  name               = "ml-dev-pusher"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "codebuild.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "push" {
  role = aws_iam_role.pusher.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ecr:*"],
                   Resource = "arn:aws:ecr:${var.region}:${var.account_id}:repository/ml-dev/*" }]
  })
}
"""


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_rl201_with_ecr_star_on_a_placeholder_resource_is_said_in_full(
    run_cli: Any, tmp_path: Path, output_format: str
) -> None:
    """The message's own words are never cut: the closing quote of `Resource "*"` opened
    no 200-character "quoted value" that ended in `ecr…` (issue 12's cap is for values)."""
    manifest = (
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: ecr-user-registry, system: ml-dev, environment: production}\n"
        "spec:\n  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-dev\n"
        "  auth:\n    method: iam-role\n  iamPolicies:\n"
        "    - ../terraform/registry#aws_iam_role.pusher\n"
        "  resources:\n    limits: {cpu: '1', memory: 1Gi}\n"
    )
    (tmp_path / ".git").mkdir()
    from helpers import write_tree

    write_tree(tmp_path, {"systems/ml-dev.yaml": manifest, "terraform/registry/main.tf": PUSHER})
    result = run_cli("check", "systems/ml-dev.yaml", "--format", output_format, cwd=tmp_path)
    assert result.code == 1, result.err
    line, column = at(manifest, "iamPolicies")
    expected = (
        "1 of the 9 required ECR push actions is not allowed for "
        "arn:aws:ecr:us-east-2:123456789012:repository/ml-dev/*: ecr:GetAuthorizationToken "
        '(not allowed on Resource "*", the only resource it takes); ecr:CreateRepository, '
        "ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:CompleteLayerUpload, "
        "ecr:GetDownloadUrlForLayer, ecr:InitiateLayerUpload, ecr:PutImage, "
        "ecr:UploadLayerPart are allowed only assuming ${var.region} is the registry's region "
        "and ${var.account_id} is the registry's account "
        "(rights of aws_iam_role.pusher (terraform/registry)) "
        "(fix available for plain policy files only)"
    )
    if output_format == "text":
        assert result.out.splitlines()[0] == (
            f"systems/ml-dev.yaml:{line}:{column}: RL201 error ecr-push-actions-missing: {expected}"
        )
    else:
        [finding] = json.loads(result.out)["findings"]
        assert (finding["rule"], finding["path"], finding["line"], finding["column"]) == (
            "RL201", "systems/ml-dev.yaml", line, column
        )  # fmt: skip
        assert finding["message"] == expected
