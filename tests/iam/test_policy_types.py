"""Identity, resource and trust policies (SPEC §6.1): each is read with its own grammar.

Trust policies, bucket policies and ECR repository policies used to get two RL002
errors each (a Principal "not allowed", a Resource "missing"); now each type is
validated against its own schema, and the config's `policy-types` overrides the
classification per file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, POLICY, write_tree

TRUST = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}
"""

BUCKET = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadFromTheOrg",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::ml-artifacts/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
"""

REPOSITORY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PushFromCi",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::210987654321:role/ci"},
      "Action": ["ecr:BatchCheckLayerAvailability", "ecr:PutImage"]
    }
  ]
}
"""

REPOSITORY_WITH_RESOURCE = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PushFromCi",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::210987654321:role/ci"},
      "Action": ["ecr:BatchCheckLayerAvailability", "ecr:PutImage"],
      "Resource": "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/app"
    }
  ]
}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def findings(run_cli: Any, root: Path, *args: str, rules: str = "ALL") -> list[dict[str, Any]]:
    result = run_cli("check", *(args or (".",)), "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]  # type: ignore[no-any-return]


def where(found: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    return [(f["rule"], f["path"], f["line"], f["column"]) for f in found]


@pytest.mark.parametrize(
    ("name", "text"),
    [("trust.json", TRUST), ("bucket.json", BUCKET), ("repository.json", REPOSITORY)],
)
def test_real_resource_and_trust_policies_are_clean(
    run_cli: Any, root: Path, name: str, text: str
) -> None:
    write_tree(root, {name: text})
    assert findings(run_cli, root) == []


def test_trust_policy_in_yaml_with_a_federated_principal_list_is_clean(
    run_cli: Any, root: Path
) -> None:
    write_tree(
        root,
        {
            "trust.yaml": (
                'Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Principal:\n'
                "      Federated:\n        - arn:aws:iam::123456789012:oidc-provider/token.actions."
                "githubusercontent.com\n    Action: [sts:AssumeRoleWithWebIdentity, sts:TagSession]\n"
                "    Condition:\n      StringLike:\n        token.actions.githubusercontent.com:sub:"
                ' "repo:acme/ml:*"\n'
            )
        },
    )
    assert findings(run_cli, root) == []


def test_ecr_repository_policy_with_a_resource_is_rl002_at_the_key(
    run_cli: Any, root: Path
) -> None:
    write_tree(root, {"repository.json": REPOSITORY_WITH_RESOURCE})
    (finding,) = findings(run_cli, root)
    assert where([finding]) == [("RL002", "repository.json", 9, 7)]
    assert "'Resource' in Statement[0]" in finding["message"]
    assert "Invalid repository policy provided" in finding["message"]


def test_resource_policy_statement_without_a_principal_is_rl002(run_cli: Any, root: Path) -> None:
    policy = json.loads(BUCKET)
    policy["Statement"].append({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"})
    write_tree(root, {"bucket.json": json.dumps(policy, indent=2)})
    (finding,) = findings(run_cli, root)
    assert where([finding]) == [("RL002", "bucket.json", 16, 5)]
    assert finding["message"] == (
        "Statement[1] needs exactly one of 'Principal' or 'NotPrincipal' and has neither"
    )


def test_principal_and_not_principal_together_is_one_rl002(run_cli: Any, root: Path) -> None:
    policy = json.loads(TRUST)
    policy["Statement"][0]["NotPrincipal"] = {"AWS": "arn:aws:iam::123456789012:root"}
    write_tree(root, {"trust.json": json.dumps(policy, indent=2)})
    (finding,) = findings(run_cli, root)
    assert (finding["rule"], finding["line"], finding["column"]) == ("RL002", 10, 7)
    assert "has both 'Principal' and 'NotPrincipal'" in finding["message"]


def test_resource_and_not_resource_together_is_rl002_at_the_second(
    run_cli: Any, root: Path
) -> None:
    policy = json.loads(BUCKET)
    policy["Statement"][0]["NotResource"] = "arn:aws:s3:::ml-artifacts/secret/*"
    write_tree(root, {"bucket.json": json.dumps(policy, indent=2)})
    (finding,) = findings(run_cli, root)
    assert (finding["rule"], finding["line"], finding["column"]) == ("RL002", 15, 7)
    assert "'NotResource' in Statement[0]" in finding["message"]
    assert "at most one of 'Resource' and 'NotResource'" in finding["message"]


@pytest.mark.parametrize(
    ("principal", "words"),
    [
        ({"AWS": 123456789012}, "Statement[0].Principal.AWS must be a string or a list of strings"),
        ({"Aws": "arn:aws:iam::123456789012:root"}, "did you mean 'AWS'?"),
        ({}, "Statement[0].Principal must not be an empty mapping"),
        ("arn:aws:iam::123456789012:root", "Statement[0].Principal must be '*' or a mapping"),
        ([1, {"x": None}], "Statement[0].Principal must be '*' or a mapping, but it is a list"),
        ({"AWS": []}, "Statement[0].Principal.AWS must not be an empty list"),
    ],
)
def test_principal_of_odd_shape_is_one_precise_rl002(
    run_cli: Any, root: Path, principal: Any, words: str
) -> None:
    policy = json.loads(TRUST)
    policy["Statement"][0]["Principal"] = principal
    write_tree(root, {"trust.json": json.dumps(policy, indent=2)})
    (finding,) = findings(run_cli, root)
    assert finding["rule"] == "RL002"
    assert words in finding["message"]


def test_policy_types_identity_makes_a_principal_rl002(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "policy-types: {'iam/*.json': identity}\n", "iam/trust.json": TRUST})
    found = findings(run_cli, root, rules="RL002")
    assert where(found) == [("RL002", "iam/trust.json", 4, 5), ("RL002", "iam/trust.json", 6, 7)]
    assert "needs exactly one of 'Resource' or 'NotResource'" in found[0]["message"]
    assert "'Principal' in Statement[0] is not allowed in an identity-based policy" in found[1]["message"]


def test_policy_types_resource_requires_a_principal(run_cli: Any, root: Path) -> None:
    identity = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    write_tree(
        root,
        {".reglint.yaml": "policy-types:\n  policies/bucket-*.json: resource\n", "policies/bucket-a.json": json.dumps(identity, indent=2)},
    )
    (finding,) = findings(run_cli, root, rules="RL002")
    assert where([finding]) == [("RL002", "policies/bucket-a.json", 4, 5)]
    assert "needs exactly one of 'Principal' or 'NotPrincipal'" in finding["message"]


def test_policy_types_rejects_an_unknown_type(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "policy-types: {'*.json': bucket}\n", "p.json": TRUST})
    result = run_cli("check", ".", cwd=root)
    assert result.code == 2
    assert "policy-types" in result.err and "'identity', 'resource' or 'trust'" in result.err


def test_policy_types_rejects_a_bad_glob(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "policy-types: {'[z-a].json': trust}\n", "p.json": TRUST})
    result = run_cli("check", ".", cwd=root)
    assert result.code == 2
    assert "policy-types: invalid glob '[z-a].json'" in result.err


def test_push_policy_rules_do_not_apply_to_a_repository_policy(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "ecr-push-policies: ['iam/*.json']\n", "iam/repository.json": REPOSITORY})
    assert findings(run_cli, root, rules="RL201,RL202,RL204") == []


def test_document_rules_still_apply_to_resource_policies(run_cli: Any, root: Path) -> None:
    policy = json.loads(REPOSITORY)
    policy["Statement"][0]["Action"][1] = "ecr:PutImages"
    policy["Statement"].append(dict(policy["Statement"][0]))
    write_tree(root, {"repository.json": json.dumps(policy, indent=2)})
    found = findings(run_cli, root, rules="RL2")
    assert [(f["rule"], f["line"]) for f in found] == [("RL203", 12), ("RL207", 16), ("RL203", 23)]
    assert "did you mean `ecr:PutImage`?" in found[0]["message"]


def test_a_policy_linked_as_push_rights_is_an_identity_policy(run_cli: Any, root: Path) -> None:
    # A manifest's iamPolicies names the pusher's own rights: a Principal there is a
    # mistake in an identity policy, not the sign of an ECR repository policy.
    manifest = MANIFEST.replace("iam/push.json", "push.json")
    policy = json.loads(POLICY)
    policy["Statement"][1]["Principal"] = "*"
    write_tree(root, {"registry.yaml": manifest, "push.json": json.dumps(policy, indent=2)})
    found = findings(run_cli, root, rules="RL002,RL209")
    assert where(found) == [("RL002", "push.json", 24, 7)]
    assert "'Principal' in Statement[1] is not allowed in an identity-based policy" in found[0]["message"]


def test_ecr_cli_outputs_say_which_policy_they_hold(run_cli: Any, root: Path) -> None:
    # The same policy text: ECR's own output says a repository policy (which may not name
    # a Resource) or a registry policy (which must).
    repository = {"registryId": "123456789012", "repositoryName": "ml-prod/app", "policyText": REPOSITORY_WITH_RESOURCE}
    registry = {"registryId": "123456789012", "policyText": REPOSITORY}
    write_tree(root, {"repository.json": json.dumps(repository, indent=2), "registry.json": json.dumps(registry, indent=2)})
    found = findings(run_cli, root, rules="RL002")
    assert where(found) == [("RL002", "registry.json", 3, 17), ("RL002", "repository.json", 4, 17)]
    assert found[0]["message"] == "Statement[0] needs one of 'Resource' or 'NotResource'"
    assert "Invalid repository policy provided" in found[1]["message"]


def test_a_declared_trust_policy_is_not_overridden_by_the_config(run_cli: Any, root: Path) -> None:
    role = {"Role": {"RoleName": "nodes", "AssumeRolePolicyDocument": json.loads(TRUST)}}
    write_tree(root, {".reglint.yaml": "policy-types: {'*.json': identity}\n", "role.json": json.dumps(role, indent=2)})
    assert findings(run_cli, root) == []
