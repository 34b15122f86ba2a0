"""RL208 policy-size: a policy longer than its quota, where reglint knows the quota."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, write_tree

from reglint.checks.policy_size import iam_policy_size

TOKEN = {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
COMPACT = {"separators": (",", ":")}


def identity_of_size(size: int) -> dict[str, Any]:
    """An identity policy whose compact JSON, whitespace excluded, has exactly `size` characters."""
    policy = {"Version": "2012-10-17", "Statement": [TOKEN, {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/"}]}
    overhead = len(json.dumps(policy, **COMPACT))  # type: ignore[arg-type]
    policy["Statement"][1]["Resource"] += "x" * (size - overhead)  # type: ignore[index]
    return policy


def trust_of_size(size: int) -> dict[str, Any]:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:role/"}, "Action": "sts:AssumeRole"}]}
    overhead = len(json.dumps(policy, **COMPACT))  # type: ignore[arg-type]
    policy["Statement"][0]["Principal"]["AWS"] += "r" * (size - overhead)  # type: ignore[index]
    return policy


def repository_policy(principals: int) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Pull",
                "Effect": "Allow",
                "Principal": {"AWS": [f"arn:aws:iam::{n:012d}:role/puller" for n in range(principals)]},
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            }
        ],
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def findings(run_cli: Any, root: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("check", *(args or (".",)), "--select", "RL208", "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return json.loads(result.out)["findings"]  # type: ignore[no-any-return]


def test_iam_size_counts_non_whitespace_characters_of_the_compact_json() -> None:
    assert iam_policy_size(identity_of_size(6145)) == 6145
    spaced = {"Statement": {"Effect": "Allow", "Action": "a:b", "Resource": "*", "Condition": {"StringEquals": {"k": "a b c"}}}}
    compact = json.dumps(spaced, **COMPACT)  # type: ignore[arg-type]
    assert iam_policy_size(spaced) == len(compact) - 2  # the spaces inside the value
    # A tab in a value is the two characters `\t` in JSON text, none of them whitespace.
    spaced["Statement"]["Condition"]["StringEquals"]["k"] = "a\tb"  # type: ignore[index]
    assert iam_policy_size(spaced) == len(json.dumps(spaced, **COMPACT))  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [{"Statement": {1: 2, None: [1.5, True]}}, {"Version": __import__("datetime").date(2012, 10, 17)}, {"x": {b"raw"}}])
def test_iam_size_of_odd_yaml_data_never_raises(data: Any) -> None:
    assert isinstance(iam_policy_size(data), int | type(None))


def test_linked_identity_policy_over_6144_is_an_error(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/registry.yaml": MANIFEST, "svc/iam/push.json": json.dumps(identity_of_size(6145), indent=2)})
    (finding,) = findings(run_cli, root)
    assert (finding["rule"], finding["severity"], finding["path"], finding["line"], finding["column"]) == (
        "RL208", "error", "svc/iam/push.json", 1, 1
    )
    assert finding["message"].startswith(
        "the policy is 6,145 characters long (whitespace excluded, as IAM counts), over the 6,144 "
        "quota of a customer managed policy"
    )


def test_exactly_the_quota_is_fine_and_whitespace_does_not_count(run_cli: Any, root: Path) -> None:
    indented = json.dumps(identity_of_size(6144), indent=8)
    assert len(indented) > 6300
    write_tree(root, {"svc/registry.yaml": MANIFEST, "svc/iam/push.json": indented})
    assert findings(run_cli, root) == []


def test_named_policy_file_linked_from_an_unnamed_manifest_is_checked(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/registry.yaml": MANIFEST, "svc/iam/push.json": json.dumps(identity_of_size(7000))})
    (finding,) = findings(run_cli, root, "svc/iam/push.json")
    assert finding["path"] == "svc/iam/push.json" and "7,000 characters" in finding["message"]


def test_push_policy_matched_by_the_config_is_checked(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "ecr-push-policies: ['iam/*']\n", "iam/push.yaml": json.dumps(identity_of_size(6200))})
    (finding,) = findings(run_cli, root)
    assert finding["path"] == "iam/push.yaml" and "6,200 characters" in finding["message"]


def test_other_standalone_identity_policies_are_not_size_checked(run_cli: Any, root: Path) -> None:
    # It may be an AWS managed policy, which no quota binds.
    write_tree(root, {"AmazonHugeAccess.json": json.dumps(identity_of_size(20_000))})
    assert findings(run_cli, root) == []


def test_trust_policy_over_2048_is_a_warning(run_cli: Any, root: Path) -> None:
    write_tree(root, {"roles/ci-trust.json": json.dumps(trust_of_size(2049), indent=2)})
    (finding,) = findings(run_cli, root)
    assert (finding["severity"], finding["path"], finding["line"]) == ("warning", "roles/ci-trust.json", 1)
    assert "2,049 characters" in finding["message"]
    assert "2,048 default quota of a role trust policy; it can be raised" in finding["message"]


def test_trust_policy_of_2048_is_fine(run_cli: Any, root: Path) -> None:
    write_tree(root, {"roles/ci-trust.json": json.dumps(trust_of_size(2048), indent=2)})
    assert findings(run_cli, root) == []


def test_policy_types_trust_puts_a_policy_under_the_trust_quota(run_cli: Any, root: Path) -> None:
    # Not all of its actions are sts: ones, so only the config makes it a trust policy.
    policy = trust_of_size(2100)
    policy["Statement"][0]["Action"] = ["sts:AssumeRole", "iam:PassRole"]
    write_tree(root, {"roles/ci-trust.json": json.dumps(policy)})
    assert findings(run_cli, root) == []
    write_tree(root, {".reglint.yaml": "policy-types: {roles/: trust}\n"})
    (finding,) = findings(run_cli, root)
    assert finding["severity"] == "warning" and "2,048" in finding["message"]


def test_ecr_repository_policy_counts_its_text_as_sent(run_cli: Any, root: Path) -> None:
    data = repository_policy(245)
    compact = json.dumps(data, **COMPACT)  # type: ignore[arg-type]
    indented = json.dumps(data, indent=4) + "\n"
    assert len(compact) < 10_240 < len(indented)
    write_tree(root, {"ecr/repository-policy.json": indented})
    (finding,) = findings(run_cli, root)
    assert (finding["severity"], finding["line"], finding["column"]) == ("error", 1, 1)
    assert finding["message"].startswith(
        f"the policy text is {len(indented):,} characters long (whitespace included, as ECR "
        "counts the text it is sent), over the 10,240 limit of an ECR repository policy"
    )
    assert f"without the whitespace it is {len(compact):,}" in finding["message"]


def test_crlf_line_breaks_count_twice_in_the_text_as_sent(run_cli: Any, root: Path) -> None:
    texts = (json.dumps(repository_policy(n), indent=1) for n in range(200, 260))
    text = next(t for t in texts if len(t) < 10_240 < len(t) + t.count("\n"))
    write_tree(root, {"ecr/lf.json": text, "ecr/crlf.json": text.replace("\n", "\r\n").encode()})
    assert [f["path"] for f in findings(run_cli, root)] == ["ecr/crlf.json"]


def test_ecr_repository_policy_in_yaml_is_measured_as_compact_json(run_cli: Any, root: Path) -> None:
    import yaml

    data = repository_policy(300)
    compact = json.dumps(data, **COMPACT)  # type: ignore[arg-type]
    write_tree(root, {"ecr/repository-policy.yaml": yaml.safe_dump(data)})
    (finding,) = findings(run_cli, root)
    assert f"the policy text is {len(compact):,} characters long" in finding["message"]


def test_other_resource_policies_are_not_size_checked(run_cli: Any, root: Path) -> None:
    data = repository_policy(400)
    data["Statement"][0]["Action"] = "s3:GetObject"
    write_tree(root, {"bucket-policy.json": json.dumps(data, indent=4)})
    assert findings(run_cli, root) == []
