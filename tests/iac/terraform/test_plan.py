"""A Terraform plan (`terraform show -json PLAN`) -> its resources, child modules and data
sources, with values unknown until the apply as placeholders.

The fixture follows HashiCorp's "JSON Output Format" page
(https://developer.hashicorp.com/terraform/internals/json-format): see
fixtures/plan/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reglint.findings import Span
from reglint.iac.model import IacResource
from reglint.iac.terraform.plan import (
    KNOWN_AFTER_APPLY,
    is_terraform_plan,
    looks_like_plan,
    plan_resources,
)
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import LoadError
from reglint.loading.json_loader import load_json

PLAN = Path(__file__).parent / "fixtures" / "plan" / "registry-plan.json"


def load_plan(text: str) -> ParsedDocument:
    [document] = load_json(text, Limits())
    return document


def resources() -> tuple[dict[str, IacResource], ParsedDocument, str]:
    text = PLAN.read_text(encoding="utf-8")
    document = load_plan(text)
    return {r.address: r for r in plan_resources(document)}, document, text


def test_recognised_plans() -> None:
    assert is_terraform_plan(json.loads(PLAN.read_text()))
    assert is_terraform_plan({"format_version": "1.0", "planned_values": {}})
    assert not is_terraform_plan({"format_version": "2.0", "planned_values": {}})
    assert looks_like_plan({"format_version": "2.0", "planned_values": {}})
    assert not is_terraform_plan({"format_version": "1.0", "values": {}})  # a state, not a plan
    assert not is_terraform_plan({"format_version": 1.0, "planned_values": {}})
    assert not is_terraform_plan({"format_version": "1.0", "planned_values": []})
    assert not is_terraform_plan([{"format_version": "1.0", "planned_values": {}}])


def test_resources_of_the_root_and_every_child_module_and_data_sources() -> None:
    found, _, _ = resources()
    assert [(address, r.type) for address, r in found.items()] == [
        ("data.aws_caller_identity.current", "aws_caller_identity"),
        ("data.aws_iam_policy_document.repository", "aws_iam_policy_document"),
        ("aws_ecr_repository.models", "aws_ecr_repository"),
        ("aws_ecr_repository_policy.models", "aws_ecr_repository_policy"),
        ("module.eks.aws_iam_role.nodes[0]", "aws_iam_role"),
        ("module.eks.aws_iam_role_policy.push[0]", "aws_iam_role_policy"),
        ("module.eks.data.aws_iam_policy_document.push[0]", "aws_iam_policy_document"),
        (
            'module.eks.module.irsa["ci"].aws_iam_role_policy_attachment.this',
            "aws_iam_role_policy_attachment",
        ),
    ]
    # read during planning: from prior_state, not from the stale copy in planned_values
    repository = found["data.aws_iam_policy_document.repository"]
    assert repository.path == ("prior_state", "values", "root_module", "resources", 1, "values")
    assert repository.properties["statement"][0]["condition"][0]["values"] == ["o-a1b2c3d4e5"]
    assert found["module.eks.aws_iam_role.nodes[0]"].path == (
        "planned_values", "root_module", "child_modules", 0, "resources", 0, "values"
    )  # fmt: skip


def test_unknown_values_become_placeholders() -> None:
    found, _, _ = resources()
    repository = found["aws_ecr_repository.models"].properties
    # the configuration writes only its name: its ARN and URL are the provider's, absent
    assert "arn" not in repository and "repository_url" not in repository
    assert repository["name"] == "ml-platform/models"
    assert repository["encryption_configuration"] == [{"encryption_type": "AES256", "kms_key": ""}]
    role = found["module.eks.aws_iam_role.nodes[0]"].properties
    assert role["arn"] == KNOWN_AFTER_APPLY  # the configuration does not show the module's
    assert role["managed_policy_arns"] == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"
    ]
    assert json.loads(role["inline_policy"][0]["policy"])["Statement"][0]["Sid"] == "Token"
    # absent from planned_values, marked unknown by after_unknown: a placeholder
    push = found["module.eks.aws_iam_role_policy.push[0]"].properties
    assert push == {"name": "push", "id": KNOWN_AFTER_APPLY, "name_prefix": KNOWN_AFTER_APPLY,
                    "policy": KNOWN_AFTER_APPLY, "role": KNOWN_AFTER_APPLY}  # fmt: skip
    # a leaf inside a nested block of a data source read during the apply
    statement = found["module.eks.data.aws_iam_policy_document.push[0]"].properties["statement"][0]
    assert statement["resources"] == KNOWN_AFTER_APPLY
    assert statement["actions"] == ["ecr:InitiateLayerUpload", "ecr:PutImage"]
    attachment = found[
        'module.eks.module.irsa["ci"].aws_iam_role_policy_attachment.this'
    ].properties
    assert attachment["role"] == KNOWN_AFTER_APPLY
    assert KNOWN_AFTER_APPLY.text == "(known after apply)"


def test_paths_point_into_the_plan_document() -> None:
    found, document, text = resources()
    role = found["module.eks.aws_iam_role.nodes[0]"]
    line = text[: text.index('"ml-platform-nodes"')].count("\n") + 1
    assert document.positions.span((*role.path, "name")) == Span(line, 25, line, 44)
    # a placeholder the plan does not hold resolves to the nearest value it does hold
    push = found["module.eks.aws_iam_role_policy.push[0]"]
    assert document.positions.span((*push.path, "policy")) == document.positions.span(push.path)


def test_an_unsupported_major_version_is_refused() -> None:
    document = load_plan('{"format_version": "2.0", "planned_values": {}}')
    with pytest.raises(LoadError) as caught:
        plan_resources(document)
    assert (
        "format_version 2.0" in caught.value.message and "reglint reads 1.x" in caught.value.message
    )


@pytest.mark.parametrize(
    "plan",
    [
        {"planned_values": {"root_module": []}},
        {"planned_values": {"root_module": {"resources": {"a": 1}, "child_modules": "x"}}},
        {
            "planned_values": {
                "root_module": {"resources": [1, None, {"address": 3}, {"address": "a.b"}]}
            }
        },
        {
            "planned_values": {
                "root_module": {"resources": [{"address": "a.b", "type": "a", "values": [1]}]}
            }
        },
        {
            "planned_values": {
                "root_module": {
                    "resources": [{"address": "a.b", "type": "a", "values": {"x": [1]}}]
                }
            },
            "resource_changes": [
                {
                    "address": "a.b",
                    "change": {"after_unknown": {"x": {"y": True}, "z": [True, {"q": True}]}},
                },
                7,
            ],
            "prior_state": {"values": []},
        },
    ],
)
def test_malformed_plans_are_read_without_errors(plan: dict[str, Any]) -> None:
    plan["format_version"] = "1.2"
    found = plan_resources(load_plan(json.dumps(plan)))
    assert all(isinstance(r, IacResource) for r in found)


def test_deeply_nested_child_modules() -> None:
    module: dict[str, Any] = {"resources": [{"address": "deep.x", "type": "deep", "values": {}}]}
    for i in range(95):  # 194 JSON levels: under the loader's limit of 200
        module = {"address": f"module.m{i}", "child_modules": [module]}
    plan = {"format_version": "1.2", "planned_values": {"root_module": module}}
    [resource] = plan_resources(load_plan(json.dumps(plan)))
    assert resource.address == "deep.x" and len(resource.path) == 2 + 2 * 95 + 3


def _plan_with_configuration(address: str, unknown: Any, module: dict[str, Any]) -> str:
    kind, name = address.split("[")[0].split(".")[-2:]
    resource = {"address": address, "mode": "managed", "type": kind, "name": name,
                "values": {"name": "nodes", "inline_policy": [{"name": "a"}]}}  # fmt: skip
    return json.dumps({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [resource]}},
        "resource_changes": [{"address": address, "change": {"after_unknown": unknown}}],
        "configuration": {"root_module": module},
    })  # fmt: skip


ROLE_UNKNOWN = {"arn": True, "managed_policy_arns": True, "inline_policy": [{"policy": True}]}


@pytest.mark.parametrize(
    ("address", "module"),
    [
        ("aws_iam_role.x", {"resources": [{"address": "aws_iam_role.x", "expressions": {}}]}),
        (  # instance keys dropped, even a string key holding `.`, `]`, `"` and `module.`
            'module.a["k.]\\".module.z"].module.b[0].aws_iam_role.x["y"]',
            {
                "module_calls": {
                    "a": {
                        "module": {
                            "module_calls": {
                                "b": {"module": {"resources": [{"address": "aws_iam_role.x"}]}}
                            }
                        }
                    }
                }
            },  # no expressions: sets nothing
        ),
    ],
)
def test_values_the_configuration_leaves_to_the_provider_are_absent(
    address: str, module: dict[str, Any]
) -> None:
    [role] = plan_resources(load_plan(_plan_with_configuration(address, ROLE_UNKNOWN, module)))
    # unset and unknown as a whole: absent; a value the plan holds stays, with its own
    # unknown leaves (the provider planned a structure: something set it, a dynamic block)
    assert role.properties == {
        "name": "nodes", "inline_policy": [{"name": "a", "policy": KNOWN_AFTER_APPLY}]
    }  # fmt: skip


@pytest.mark.parametrize(
    "module",
    [
        {
            "resources": [
                {
                    "address": "aws_iam_role.x",
                    "expressions": {
                        "managed_policy_arns": {"references": ["aws_iam_policy.p.arn"]}
                    },
                }
            ]
        },
        {"resources": [{"address": "aws_iam_role.other", "expressions": {}}]},  # not in it
        {"resources": [{"address": "aws_iam_role.x", "expressions": []}]},  # malformed
        {"resources": "x", "module_calls": {"a": 1, "b": {"module": []}}},
        [],
    ],
)
def test_values_the_configuration_sets_or_does_not_show_stay_placeholders(module: Any) -> None:
    [role] = plan_resources(
        load_plan(_plan_with_configuration("aws_iam_role.x", ROLE_UNKNOWN, module))
    )
    assert role.properties["managed_policy_arns"] == KNOWN_AFTER_APPLY


def test_a_data_source_read_during_the_apply_keeps_its_unknown_values() -> None:
    """Terraform omits `dynamic` blocks from `expressions`: an unknown `statement` that
    they do not hold is a `dynamic "statement"` whose `for_each` is unknown."""
    address = 'module.m["a"].data.aws_iam_policy_document.d'
    module = {"module_calls": {"m": {"module": {"resources": [
        {"address": "data.aws_iam_policy_document.d", "mode": "data", "expressions": {}}]}}}}  # fmt: skip
    text = _plan_with_configuration(address, {"statement": True, "json": True}, module)
    [document] = plan_resources(load_plan(text))
    assert document.properties["statement"] == KNOWN_AFTER_APPLY
