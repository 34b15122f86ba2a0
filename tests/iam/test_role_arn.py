"""One role-ARN pattern: the manifest schema's `auth.roleArn`, `aws verify --role`, and
what the cross-account check and the loader take for a role in another account."""

from __future__ import annotations


def test_is_role_arn_is_the_schemas_pattern() -> None:
    import json

    from reglint.model.iam.arns import ROLE_ARN_PATTERN, is_role_arn
    from reglint.package_data import data_path

    schema = json.loads((data_path("schemas") / "registry-service.schema.json").read_text(encoding="utf-8"))
    pattern = schema["properties"]["spec"]["properties"]["auth"]["properties"]["roleArn"]["pattern"]
    assert pattern == f"^{ROLE_ARN_PATTERN}$"
    assert is_role_arn("arn:aws-us-gov:iam::123456789012:role/a/b")
    assert not is_role_arn("arn:aws:iam::123456789012:user/a") and not is_role_arn("arn:aws:iam::1234:role/a")
    assert not is_role_arn("arn:aws:iam::123456789012:role/a b") and not is_role_arn("arn:aws:iam::123456789012:role/")
