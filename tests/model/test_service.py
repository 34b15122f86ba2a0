"""The typed manifest view: SPEC §1.1 defaults, tolerance of schema-invalid data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reglint.model.service import (
    AuthMethod,
    RegistryService,
    ResourceValues,
    SecretSource,
    ServiceRole,
    ServiceType,
    is_access_key_id,
    looks_like_secret_access_key,
    redact_secret_access_keys,
)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS's documented example key

FULL: dict[str, Any] = {
    "apiVersion": "reglint/v1",
    "kind": "RegistryService",
    "metadata": {"name": "docker-registry", "system": "ml-prod", "environment": "production",
                 "tenant": "team-a"},
    "spec": {
        "type": "external",
        "role": "system",
        "url": "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod",
        "imagePrefix": "runtime-",
        "auth": {"method": "access-keys", "username": "AKIAIOSFODNN7EXAMPLE",
                 "password": {"fromEnv": "AWS_SECRET_ACCESS_KEY"}},
        "iamPolicies": ["../iam/ecr-push.json"],
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                      "limits": {"cpu": "1", "memory": "1Gi"}},
    },
}  # fmt: skip


def test_a_full_manifest() -> None:
    service = RegistryService.from_data(FULL)
    assert service.name == "docker-registry"
    assert service.system == "ml-prod"
    assert service.environment == "production"
    assert service.tenant == "team-a"
    assert service.type is ServiceType.EXTERNAL
    assert service.role is ServiceRole.SYSTEM
    assert service.url == "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod"
    assert service.image_prefix == "runtime-"
    assert service.auth_method is AuthMethod.ACCESS_KEYS
    assert service.auth_method_given
    assert service.username == "AKIAIOSFODNN7EXAMPLE"
    assert service.password is SecretSource.FROM_ENV
    assert service.iam_policies == ("../iam/ecr-push.json",)
    assert service.resources.requests == ResourceValues(cpu="250m", memory="256Mi")
    assert service.resources.limits == ResourceValues(cpu="1", memory="1Gi")
    assert service.resources.given and service.resources.limits_given
    assert service.operational


def test_defaults_of_a_minimal_manifest() -> None:
    service = RegistryService.from_data({"kind": "RegistryService", "metadata": {"name": "r"}})
    assert service.type is ServiceType.ON_CLUSTER  # no url
    assert service.role is ServiceRole.USER
    assert service.auth_method is AuthMethod.NONE and not service.auth_method_given
    assert service.tenant == "default"
    assert service.environment is None and service.operational  # not playground
    assert service.password is SecretSource.ABSENT and service.password.is_blank
    assert service.username is None and service.username_blank
    assert service.iam_policies == () and not service.iam_policies_given
    assert not service.resources.given and not service.resources.limits_given


def test_type_defaults_to_external_when_a_url_is_set() -> None:
    service = RegistryService.from_data({"spec": {"url": "reg.example.com/ml"}})
    assert service.type is ServiceType.EXTERNAL


@pytest.mark.parametrize(
    ("environment", "operational"),
    [
        ("playground", False),
        ("development", True),
        ("staging", True),
        ("production", True),
        (None, True),
        ("Playground", True),
    ],
)
def test_operational_unless_playground(environment: str | None, operational: bool) -> None:
    data = {"metadata": {"environment": environment}}
    assert RegistryService.from_data(data).operational is operational


# fmt: off
PASSWORD_SOURCES_CASES = [
    ("hunter2", SecretSource.LITERAL),
    ("${REGISTRY_PASSWORD}", SecretSource.PLACEHOLDER),
    ("{{ .Values.registry.password }}", SecretSource.PLACEHOLDER),
    ("hunter2${X}", SecretSource.LITERAL),    # a literal part is still a literal
    (123456, SecretSource.LITERAL),           # YAML made it a number: still a literal
    ("", SecretSource.BLANK),
    (None, SecretSource.ABSENT),
    ({"fromEnv": "AWS_SECRET_ACCESS_KEY"}, SecretSource.FROM_ENV),
    ({"fromSecret": {"name": "s", "key": "k"}}, SecretSource.FROM_SECRET),
    ({"fromEnv": "A", "fromSecret": {"name": "s"}}, SecretSource.OTHER),
    ({"fromVault": "x"}, SecretSource.OTHER),
    (True, SecretSource.OTHER),
    (["x"], SecretSource.OTHER),
]
# fmt: on


@pytest.mark.parametrize(("password", "source"), PASSWORD_SOURCES_CASES)
def test_password_sources(password: object, source: SecretSource) -> None:
    data = {"spec": {"auth": {"password": password}}}
    assert RegistryService.from_data(data).password is source


@pytest.mark.parametrize(
    ("auth", "given"),
    [({}, ()), ({"username": "", "password": ""}, ()), ({"username": "u"}, ("username",)),
     ({"password": {"fromEnv": "P"}}, ("password",)),
     ({"username": "u", "password": "p"}, ("username", "password")),
     ({"username": "${U}", "password": "${P}"}, ("username", "password"))],
)  # fmt: skip
def test_credentials_given(auth: dict[str, Any], given: tuple[str, ...]) -> None:
    assert RegistryService.from_data({"spec": {"auth": auth}}).credentials_given == given


@pytest.mark.parametrize(
    ("username", "placeholder"),
    [("${AWS_ACCESS_KEY_ID}", True), ("<access-key-id>", True), ("AKIA${X}", False),
     ("admin", False), (None, False)],
)  # fmt: skip
def test_username_placeholder(username: str | None, placeholder: bool) -> None:
    data = {"spec": {"auth": {"username": username}}}
    assert RegistryService.from_data(data).username_placeholder is placeholder


def test_the_password_value_is_never_kept() -> None:
    service = RegistryService.from_data(
        {"spec": {"auth": {"password": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}}
    )
    assert "wJalr" not in repr(service)


# fmt: off
WRONG_TYPES_ARE_ABSENT_AND_UNKNOWN_VALUES_ARE_NONE_CASES = [
    ({"spec": {"type": "cloud"}}, "type", None),                   # unknown: None
    ({"spec": {"type": 3, "url": "r.io/x"}}, "type", ServiceType.EXTERNAL),  # wrong type
    ({"spec": {"role": "admin"}}, "role", None),
    ({"spec": {"role": ["user"]}}, "role", ServiceRole.USER),
    ({"spec": {"auth": {"method": "iam_role"}}}, "auth_method", None),
    ({"spec": {"auth": {"method": True}}}, "auth_method", AuthMethod.NONE),
    ({"spec": {"auth": "iam-role"}}, "auth_method", AuthMethod.NONE),
    ({"spec": {"url": 42}}, "url", None),
    ({"spec": {"imagePrefix": 7}}, "image_prefix", None),
    ({"spec": {"auth": {"username": 12345}}}, "username", None),
    ({"metadata": {"system": False}}, "system", None),              # `system: no`
    ({"metadata": {"tenant": ""}}, "tenant", "default"),
    ({"metadata": {"tenant": 5}}, "tenant", "default"),
    ({"spec": {"iamPolicies": "p.json"}}, "iam_policies", ()),
    ({"spec": {"iamPolicies": ["a.json", 3, None]}}, "iam_policies", ("a.json",)),
    ({"metadata": "oops"}, "name", None),
    ({"spec": []}, "url", None),
]
# fmt: on


@pytest.mark.parametrize(
    ("data", "attribute", "value"), WRONG_TYPES_ARE_ABSENT_AND_UNKNOWN_VALUES_ARE_NONE_CASES
)
def test_wrong_types_are_absent_and_unknown_values_are_none(
    data: dict[str, Any], attribute: str, value: object
) -> None:
    assert getattr(RegistryService.from_data(data), attribute) == value


def test_iam_policies_given_but_empty() -> None:
    service = RegistryService.from_data({"spec": {"iamPolicies": []}})
    assert service.iam_policies == () and service.iam_policies_given


def test_resources_shapes() -> None:
    only_requests = RegistryService.from_data({"spec": {"resources": {"requests": {"cpu": 1}}}})
    assert only_requests.resources.given and not only_requests.resources.limits_given
    assert only_requests.resources.requests.get("cpu") == 1
    assert only_requests.resources.limits.get("memory") is None
    assert RegistryService.from_data({"spec": {"resources": "1cpu"}}).resources.given is False


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["metadata", "spec", "auth", "url", "password",
                                       "resources", "limits", "requests", "cpu", "method",
                                       "iamPolicies", "environment", "type"]),
                      children, max_size=4),
    max_leaves=20,
)  # fmt: skip


@given(_JSON)
def test_any_data_gives_a_service(data: object) -> None:
    service = RegistryService.from_data(data)
    assert isinstance(service.tenant, str)
    assert isinstance(service.password, SecretSource)


@pytest.mark.parametrize(
    ("text", "shaped"),
    [(SECRET, True), (f"key={SECRET};", True), (f"aws_secret_access_key={SECRET}", True),
     ("a" * 40, False),
     ("0123456789abcdef0123456789abcdef01234567", False),  # a hex digest
     (SECRET[:39], False), ("AKIAIOSFODNN7EXAMPLE", False),
     ("registry.example.com/ml-prod/runtime-aaaaaaaaaaaaa", False),
     # Wherever it starts: after or across a `/`, inside a longer base64 run, in an ARN.
     (f"team/{SECRET}", True), (SECRET + "X", True), (f"x{SECRET}==", True),
     (f"arn:aws:ecr:us-east-2:123456789012:repository/{SECRET}", True),
     # Ordinary long identifiers: hex digests, all-lower-case or upper-case paths.
     ("sha256:" + "0123456789abcdef" * 4, False), ("0123456789ABCDEF" * 4, False),
     ("team/project-one/images/" + "component0/" * 8, False), ("A" * 60 + "b1", True),
     # Upper case, lower case and digits never within 40 characters of each other.
     ("A" + "b" * 50 + "1", False), (SECRET.lower(), False)],
)  # fmt: skip
def test_secret_access_key_shape(text: str, shaped: bool) -> None:
    assert looks_like_secret_access_key(text) is shaped


@pytest.mark.parametrize(
    ("text", "redacted"),
    [(f"image prefix 'team/{SECRET}' is wrong", "image prefix '<redacted>' is wrong"),
     (f"`arn:aws:ecr:us-east-2:1:repository/{SECRET}` is not", "`arn:aws:ecr:us-east-2:1:<redacted>` is not"),
     (f"{SECRET}: {SECRET}", "<redacted>: <redacted>"),
     ("digest sha256:" + "ab" * 32, "digest sha256:" + "ab" * 32)],
)  # fmt: skip
def test_secret_access_keys_are_redacted_token_wise(text: str, redacted: str) -> None:
    assert redact_secret_access_keys(text) == redacted


@pytest.mark.parametrize(
    ("text", "is_key_id"),
    [("AKIAIOSFODNN7EXAMPLE", True), ("ASIAIOSFODNN7EXAMPLE", True),
     ("AKIAIOSFODNN7EXAMPL", False), ("AKIAIOSFODNN7EXAMPLE1", False),
     ("AKIA0OSFODNN7EXAMPLE", False),  # 0 and 1 are not base32
     ("akiaiosfodnn7example", False), ("AIDAIOSFODNN7EXAMPLE", False), ("", False)],
)  # fmt: skip
def test_access_key_id(text: str, is_key_id: bool) -> None:
    assert is_access_key_id(text) is is_key_id


def test_role_arn_is_read_from_auth() -> None:
    """`spec.auth.roleArn` (SPEC §6.4): the role `reglint aws verify` checks; absent or
    not a string, None."""
    arn = "arn:aws:iam::123456789012:role/platform/ml-prod-nodes"
    data = {"spec": {"auth": {"method": "iam-role", "roleArn": arn}}}
    assert RegistryService.from_data(data).role_arn == arn
    assert RegistryService.from_data({"spec": {"auth": {"roleArn": 12}}}).role_arn is None
    assert RegistryService.from_data({}).role_arn is None


def test_an_aws_managed_policy_arn_is_public_and_never_redacted() -> None:
    """Messages name deployed AWS managed policies by ARN (SPEC §6.2, §6.4): such an ARN
    is public, though its `policy/NAME` token looks secret-shaped (40+ characters
    mixing upper case, lower case and digits). Only names the snapshot holds count."""
    arn = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"
    assert looks_like_secret_access_key(arn)
    assert redact_secret_access_keys(f"{arn} (v3) does not allow ecr:CreateRepository").startswith(arn + " (v3)")
    assert redact_secret_access_keys(f"policy/{SECRET}") == "<redacted>"
    assert redact_secret_access_keys("policy/AmazonEC2ContainerRegistryPowerUser2") == "<redacted>"
