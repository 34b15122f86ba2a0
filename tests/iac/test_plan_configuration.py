"""A plan value unknown only because the provider computes it (issue 15, SPEC §6.2).

The AWS provider's `aws_iam_role` has `inline_policy` and `managed_policy_arns` as
Optional+Computed attributes: a role that leaves them unset has them marked `true` in
`after_unknown`, filled after the apply from the attachment resources reglint reads
apart. The plan's `configuration` section tells an attribute the module sets (unknown
because it refers to what is not created yet: a placeholder) from one it leaves to the
provider (absent) — through `reglint check`, with rule, file, line and words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iac.iac_cli import at, check

URL = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/serving"
PUSH = [
    "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
    "ecr:CreateRepository", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
    "ecr:PutImage", "ecr:UploadLayerPart",
]  # fmt: skip
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "codebuild.amazonaws.com"}},
]})  # fmt: skip
ROLE_COMPUTED = {"arn": True, "id": True, "inline_policy": True, "managed_policy_arns": True,
                 "name_prefix": True, "unique_id": True, "tags_all": True}  # fmt: skip


def manifest(entry: str) -> str:
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\n"
        "metadata: {name: ecr-user-registry, system: serving, environment: production}\n"
        f"spec:\n  url: {URL}\n  auth:\n    method: iam-role\n"
        f"  iamPolicies:\n    - {entry}\n  resources:\n    limits: {{cpu: '1', memory: 1Gi}}\n"
    )


def push_policy(actions: list[str]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"Effect": "Allow", "Action": actions,
         "Resource": "arn:aws:ecr:eu-central-1:123456789012:repository/serving/*"},
    ]})  # fmt: skip


def resource(module: str, address: str, values: dict[str, Any]) -> dict[str, Any]:
    kind, name = address.split("[")[0].split(".")[-2:]
    return {"address": module + address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "values": values}  # fmt: skip


def plan(
    actions: list[str],
    role_expressions: dict[str, Any],
    *,
    calls: tuple[tuple[str, str], ...] = (),
    instance: str = "",
    configuration: bool = True,
) -> str:
    """A plan of a role `pusher` and its inline `aws_iam_role_policy`, both in the module
    that `calls` ((name, instance key) pairs) name, as instance `instance` (`[1]`), with
    the role's expressions in the configuration as `role_expressions`."""
    module = _prefix(calls)
    role = resource(module, f"aws_iam_role.pusher{instance}",
                    {"name": "pusher", "path": "/", "assume_role_policy": TRUST})  # fmt: skip
    policy = resource(module, f"aws_iam_role_policy.push{instance}",
                      {"name": "push", "role": "pusher", "policy": push_policy(actions)})  # fmt: skip
    changes = [
        {"address": role["address"], "mode": "managed", "type": "aws_iam_role", "name": "pusher",
         "change": {"actions": ["create"], "before": None, "after": role["values"],
                    "after_unknown": ROLE_COMPUTED}},
        {"address": policy["address"], "mode": "managed", "type": "aws_iam_role_policy",
         "name": "push", "change": {"actions": ["create"], "before": None,
                                    "after": policy["values"], "after_unknown": {"id": True}}},
    ]  # fmt: skip
    config_module: dict[str, Any] = {"resources": [
        {"address": "aws_iam_role.pusher", "mode": "managed", "type": "aws_iam_role",
         "name": "pusher", "provider_config_key": "aws",
         "expressions": {"name": {"constant_value": "pusher"},
                         "assume_role_policy": {"constant_value": TRUST}, **role_expressions},
         "schema_version": 0},
        {"address": "aws_iam_role_policy.push", "mode": "managed", "type": "aws_iam_role_policy",
         "name": "push", "provider_config_key": "aws",
         "expressions": {"name": {"constant_value": "push"},
                         "role": {"references": ["aws_iam_role.pusher.name", "aws_iam_role.pusher"]},
                         "policy": {"references": ["data.aws_iam_policy_document.push.json"]}},
         "schema_version": 0},
    ]}  # fmt: skip
    planned: dict[str, Any] = {"resources": [role, policy]}
    for depth in range(len(calls), 0, -1):  # the innermost module first
        name = calls[depth - 1][0]
        planned = {"address": _prefix(calls[:depth])[:-1], **planned}
        planned = {"child_modules": [planned]}
        config_module = {"module_calls": {name: {"source": f"./{name}", "module": config_module}}}
    root = planned
    document: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": root},
        "resource_changes": changes,
    }
    if configuration:
        document["configuration"] = {
            "provider_config": {
                "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}
            },
            "root_module": config_module,
        }
    return json.dumps(document, indent=1)


def _prefix(calls: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"module.{name}{key}." for name, key in calls)


def test_a_role_that_leaves_its_computed_attributes_to_the_provider_gets_no_note(
    run_cli: Any, tmp_path: Path
) -> None:
    files = {
        "systems/r.yaml": manifest("../plan.json#aws_iam_role.pusher"),
        "plan.json": plan(PUSH, {}),
    }
    assert check(run_cli, tmp_path, files, ".") == []


def test_rl201_judges_the_role_by_its_attachments_alone(run_cli: Any, tmp_path: Path) -> None:
    entry = "../plan.json#aws_iam_role.pusher"
    files = {"systems/r.yaml": manifest(entry), "plan.json": plan(PUSH[:3] + PUSH[4:], {})}
    found = check(run_cli, tmp_path, files, ".")
    assert [(f.rule, f.severity, f.path, f.line, f.column) for f in found] == [
        ("RL201", "error", "systems/r.yaml", *at(files["systems/r.yaml"], "iamPolicies"))
    ]
    assert found[0].message == (
        "1 of the 9 required ECR push actions is not allowed for "
        "arn:aws:ecr:eu-central-1:123456789012:repository/serving/*: ecr:CreateRepository "
        "(not allowed by any statement) (rights of aws_iam_role.pusher (plan.json)) "
        "(fix available for plain policy files only)"
    )


def test_a_managed_policy_list_the_module_sets_to_a_policy_not_yet_created_stays_unknown(
    run_cli: Any, tmp_path: Path
) -> None:
    arns = {
        "managed_policy_arns": {"references": ["aws_iam_policy.extra.arn", "aws_iam_policy.extra"]}
    }
    entry = "../plan.json#aws_iam_role.pusher"
    files = {"systems/r.yaml": manifest(entry), "plan.json": plan(PUSH[:3] + PUSH[4:], arns)}
    found = check(run_cli, tmp_path, files, ".")
    manifest_text = files["systems/r.yaml"]
    assert [(f.rule, f.severity, f.line, f.column) for f in found] == [
        ("RL201", "error", *at(manifest_text, "iamPolicies")),
        ("RL302", "note", *at(manifest_text, entry)),
    ]
    assert "it may be granted by what reglint cannot read: a policy ARN that is known only after the apply" in found[0].message
    assert found[1].message == (
        f"iamPolicies entry '{entry}': a policy ARN that is known only after the apply, so it "
        "grants nothing here; RL201 counts only the rights reglint can read"
    )
    assert "inline policy" not in found[1].message  # the module leaves inline_policy unset


def test_child_module_and_instance_addresses_match_their_configuration(
    run_cli: Any, tmp_path: Path
) -> None:
    calls = (("a", '["k"]'), ("b", "[0]"))
    entry = "'../plan.json#module.a[\"k\"].module.b[0].aws_iam_role.pusher'"
    unset = plan(PUSH, {}, calls=calls, instance="[1]")
    files = {"systems/r.yaml": manifest(entry), "plan.json": unset}
    assert '"module.a[\\"k\\"].module.b[0].aws_iam_role.pusher[1]"' in unset
    assert check(run_cli, tmp_path, files, ".") == []
    arns = {"managed_policy_arns": {"references": ["aws_iam_policy.extra.arn"]}}
    found = check(
        run_cli, tmp_path, {"plan.json": plan(PUSH, arns, calls=calls, instance="[1]")}, "."
    )
    assert [(f.rule, f.severity) for f in found] == [("RL302", "note")]
    assert "a policy ARN that is known only after the apply" in found[0].message


def test_a_plan_without_configuration_keeps_every_unknown_value_a_placeholder(
    run_cli: Any, tmp_path: Path
) -> None:
    entry = "../plan.json#aws_iam_role.pusher"
    files = {"systems/r.yaml": manifest(entry), "plan.json": plan(PUSH, {}, configuration=False)}
    found = check(run_cli, tmp_path, files, ".")
    assert [(f.rule, f.severity) for f in found] == [("RL302", "note")]
    assert "inline policy aws_iam_role.pusher is known only after the apply" in found[0].message


def test_a_policy_document_whose_statements_are_known_after_apply_is_no_empty_policy(
    run_cli: Any, tmp_path: Path
) -> None:
    """A data source read during the apply, its `dynamic "statement"` iterating over what
    is not created yet: `statement` is unknown as a whole. It is a placeholder statement,
    as a `dynamic "statement"` in a `.tf` file, not "Statement must not be an empty list"
    (RL002); the literal document beside it is still checked."""
    address = "data.aws_iam_policy_document.later"
    document = {
        "address": address, "mode": "data", "type": "aws_iam_policy_document", "name": "later",
        "values": {"version": "2012-10-17", "policy_id": None},
    }  # fmt: skip
    known = {
        "address": "data.aws_iam_policy_document.known", "mode": "data",
        "type": "aws_iam_policy_document", "name": "known",
        "values": {"version": "2012-10-17", "statement": [
            {"effect": "Allow", "actions": ["ecr:PutImages"], "resources": ["*"]}]},
    }  # fmt: skip
    unknown = {"id": True, "json": True, "minified_json": True, "statement": True}
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [document]}},
        "resource_changes": [
            {"address": address, "mode": "data", "change": {"actions": ["read"], "after_unknown": unknown}}
        ],
        "prior_state": {"values": {"root_module": {"resources": [known]}}},
        "configuration": {"root_module": {"resources": [
            {"address": address, "mode": "data", "type": "aws_iam_policy_document", "name": "later"},
        ]}},
    }  # fmt: skip
    text = json.dumps(plan, indent=1)
    found = check(run_cli, tmp_path, {"plan.json": text}, ".")
    assert [(f.rule, f.path) for f in found] == [("RL203", "plan.json")]
    assert "ecr:PutImages" in found[0].message
    assert (found[0].line, found[0].column) == at(text, '"ecr:PutImages"')
