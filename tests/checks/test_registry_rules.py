"""RL102-RL108 on manifest data: rule, data path, words of the message, severity."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import make_document
from hypothesis import given, settings
from hypothesis import strategies as st

from reglint.checks.base import CheckSettings
from reglint.checks.manifest import REGISTRY_CHECKS
from reglint.decisions.caps import shown_text
from reglint.findings import Severity
from reglint.loading.document import DataPath, DocumentKind, Problem
from reglint.model.aws_partitions import botocore_version
from reglint.report import REPORTERS

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
# Shaped like a secret access key, but not AWS's documented example key: that one is in
# RL106's own bad example, which `reglint explain` and SARIF's rule help rightly print.
SECRET = "tQ4vN8kLz2/b7XwPc9JmG3/Hd6FyUaEXAMPLEKEY"  # two "/", like real keys often have
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
FROM_ENV = {"fromEnv": "AWS_SECRET_ACCESS_KEY"}
CHECKS = {rule: check for check in REGISTRY_CHECKS for rule in check.rules}
DROP = object()  # manifest(): remove this key

URL: DataPath = ("spec", "url")
PREFIX: DataPath = ("spec", "imagePrefix")
USERNAME: DataPath = ("spec", "auth", "username")
PASSWORD: DataPath = ("spec", "auth", "password")
METHOD: DataPath = ("spec", "auth", "method")


def manifest(
    url: object = f"{ECR}/ml-prod",
    *,
    environment: object = "production",
    auth: object = None,
    resources: object = None,
    **spec: object,
) -> dict[str, Any]:
    """A clean operational ECR manifest, with parts replaced (DROP removes a key)."""
    data: dict[str, Any] = {
        "apiVersion": "reglint/v1",
        "kind": "RegistryService",
        "metadata": {"name": "custom-docker-registry", "system": "ml-prod",
                     "environment": environment},
        "spec": {
            "type": "external",
            "role": "user",
            "url": url,
            "auth": {"method": "iam-role"} if auth is None else auth,
            "iamPolicies": ["../iam/ecr-push.json"],
            "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                          "limits": {"cpu": "1", "memory": "1Gi"}}
            if resources is None else resources,
            **spec,
        },
    }  # fmt: skip
    for section in (data["metadata"], data["spec"]):
        for key in [k for k, v in section.items() if v is DROP]:
            del section[key]
    return data


def problems(rule: str, data: Any) -> list[Problem]:
    found = list(CHECKS[rule].run(make_document(data, DocumentKind.MANIFEST), CheckSettings()))
    assert all(p.rule == rule for p in found)
    return found


def one(rule: str, data: Any) -> Problem:
    found = problems(rule, data)
    assert len(found) == 1, found
    return found[0]


def test_every_rule_has_its_own_check_on_manifests() -> None:
    assert sorted(CHECKS) == ["RL102", "RL103", "RL104", "RL105", "RL106", "RL107", "RL108"]
    assert all(check.kinds == {DocumentKind.MANIFEST} for check in REGISTRY_CHECKS)
    assert len({check.name for check in REGISTRY_CHECKS}) == len(REGISTRY_CHECKS)


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_a_clean_manifest_has_no_problems(rule: str) -> None:
    assert problems(rule, manifest()) == []


@pytest.mark.parametrize("rule", sorted(CHECKS))
@pytest.mark.parametrize(
    "data", [None, [], "text", {"spec": None}, {"spec": {"url": 7, "auth": [], "resources": 3}}]
)
def test_schema_invalid_data_never_raises(rule: str, data: Any) -> None:
    problems(rule, data)


_KEYS = ["metadata", "spec", "environment", "url", "imagePrefix", "auth", "method", "username",
         "password", "fromEnv", "resources", "requests", "limits", "cpu", "memory",
         "iamPolicies"]  # fmt: skip
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=50),
    st.sampled_from([ECR, f"https://{ECR}/ML", "public.ecr.aws/a", "access-keys", "iam-role",
                     "none", "basic", "playground", "250m", "1Gi", SECRET, KEY_ID]),
)  # fmt: skip
_MANIFESTS = st.recursive(
    _VALUES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_MANIFESTS)
def test_no_check_raises_on_any_data(data: Any) -> None:
    document = make_document(data, DocumentKind.MANIFEST)
    for check in REGISTRY_CHECKS:
        for problem in check.run(document, CheckSettings()):
            assert SECRET not in problem.message + problem.identity


# RL102 ---------------------------------------------------------------------------------


# fmt: off
RL102_BAD_CASES = [
    (f"https://{ECR}/ml-prod",
     ("invalid registry URL: a registry URL has no scheme: drop 'https://' and write "
      "host[:port][/path]"), "scheme:https://"),
    ("http://registry.example.com/ml", "drop 'http://'", "scheme:http://"),
    ("registry.example.com/ML-Prod",
     "the path 'ML-Prod' has upper case; repository paths are lower case: write 'ml-prod'",
     "uppercase-path:ML-Prod"),
    ("registry.example.com//ml", "the path has an empty segment ('//')", "empty-segment://"),
    ("registry.example.com/ml?x=1", "a registry URL has no query: drop '?'", "query:?"),
    ("registry.example.com/ml team", "the URL has whitespace inside it: remove it",
     "whitespace:"),
    ("registry.example.com:0/ml", "port '0' is outside 1-65535", "port:0"),
    ("registry.example.com:70000/ml", "port '70000' is outside 1-65535", "port:70000"),
    ("registry.example.com/ml:latest", "drop the tag ':latest'", "tag::latest"),
    ("myregistry.azurecr.io/Team", "write 'team'", "uppercase-path:Team"),
    ("ghcr.io/org//ml", "empty segment", "empty-segment://"),
    ("quay.io/org/ml-", "path component 'ml-' ends with '-'", "path-component:ml-"),
    ("europe-docker.pkg.dev/p/r?x", "no query", "query:?"),
    ("eu.gcr.io/Project", "write 'project'", "uppercase-path:Project"),
    ("public.ecr.aws/Alias", "write 'alias'", "uppercase-path:Alias"),
    ("docker.io/Team", "write 'team'", "uppercase-path:Team"),
    ("", "the URL is empty", "empty:"),
]
# fmt: on


@pytest.mark.parametrize(("url", "message", "identity"), RL102_BAD_CASES)
def test_rl102_bad(url: str, message: str, identity: str) -> None:
    found = problems("RL102", manifest(url))
    assert found, url
    matching = [p for p in found if message in p.message]
    assert matching, [p.message for p in found]
    assert matching[0].path == URL
    assert matching[0].identity == identity
    assert matching[0].severity is None  # the rule's default: error


@pytest.mark.parametrize(
    "url",
    [f"{ECR}/ml-prod", f"{ECR}/ml-prod/", ECR, "123456789012.dkr-ecr.us-east-2.on.aws/ml",
     "public.ecr.aws/my-alias/ml", "myregistry.azurecr.io/ml", "myregistry.azurecr.cn/ml",
     "europe-west4-docker.pkg.dev/project/repo", "gcr.io/project", "ghcr.io/org/ml",
     "quay.io/org", "docker.io/team", "index.docker.io/team", "team/ml",
     "localhost:5000/ml", "[::1]:5000/ml", "registry.example.com:8443/a__b/c--d"],
)  # fmt: skip
def test_rl102_good(url: str) -> None:
    assert problems("RL102", manifest(url)) == []


def test_rl102_reports_each_failure_in_one_problem() -> None:
    problem = one("RL102", manifest("https://registry.example.com/ML?x"))
    assert problem.path == URL
    assert problem.message == (
        "invalid registry URL: a registry URL has no scheme: drop 'https://' and write "
        "host[:port][/path]; a registry URL has no query: drop '?' and what follows it; the "
        "path 'ML' has upper case; repository paths are lower case: write 'ml'"
    )
    assert problem.identity == "scheme:https://+query:?+uppercase-path:ML"


def test_rl102_leaves_broken_ecr_hosts_to_rl103() -> None:
    assert problems("RL102", manifest("123456789012.dkr.ecr..amazonaws.com/ml")) == []
    found = problems("RL102", manifest("https://123456789012.dkr.ecr..amazonaws.com/ml"))
    assert [p.identity for p in found] == ["scheme:https://"]


def test_rl102_never_repeats_credentials() -> None:
    [problem] = problems("RL102", manifest(f"{KEY_ID}:hunter2-password@{ECR}/ml"))
    assert "credentials before '@' (not repeated here)" in problem.message
    assert "hunter2" not in problem.message + problem.identity
    assert KEY_ID not in problem.message + problem.identity


# RL103 ---------------------------------------------------------------------------------

# fmt: off
RL103_BAD_CASES = [
    ("12345678901.dkr.ecr.us-east-2.amazonaws.com/ml",
     ("malformed ECR host '12345678901.dkr.ecr.us-east-2.amazonaws.com': account ID "
      "'12345678901' has 11 digits: an AWS account ID is exactly 12 digits")),
    ("123456789012.dkr.ecr..amazonaws.com/ml",
     "malformed ECR host '123456789012.dkr.ecr..amazonaws.com': the region is empty"),
    ("123456789012.dkr.ecr.useast2.amazonaws.com/ml",
     ("region 'useast2' is malformed: regions look like 'us-east-1' (did you mean "
      "'us-east-2'?)")),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com/ml",
     ("region 'cn-north-1' is in partition aws-cn, whose DNS suffix is "
      "'.amazonaws.com.cn', not '.amazonaws.com'")),
    ("123456789012.dkr-ecr.us-east-2.amazonaws.com/ml",
     "a dual-stack ECR host ends in '.on.aws', not '.amazonaws.com'"),
    ("https://123456789012.dkr.ecr.eu-west-1.amazonaws.co/ml",
     "not '.amazonaws.co'"),
]
# fmt: on


@pytest.mark.parametrize(("url", "message"), RL103_BAD_CASES)
def test_rl103_bad(url: str, message: str) -> None:
    problem = one("RL103", manifest(url))
    assert message in problem.message
    assert problem.path == URL
    assert problem.severity is Severity.ERROR


def test_rl103_names_every_reason_in_one_problem() -> None:
    problem = one("RL103", manifest("1234.dkr.ecr..amazonaws.com/ml"))
    assert problem.message.startswith(
        "malformed ECR host '1234.dkr.ecr..amazonaws.com': account ID '1234' has 4 digits: "
        "an AWS account ID is exactly 12 digits (<account>.dkr.ecr.<region>.amazonaws.com); "
        "the region is empty ('dkr.ecr..')"
    )
    assert problem.identity == (
        "account:1234.dkr.ecr..amazonaws.com+region-missing:1234.dkr.ecr..amazonaws.com"
    )


def test_rl103_an_error_and_a_warning_of_one_host_are_one_error() -> None:
    problem = one("RL103", manifest("1234.dkr.ecr.us-east-9.amazonaws.com/ml"))
    assert problem.severity is Severity.ERROR
    assert problem.message.startswith(
        "malformed ECR host '1234.dkr.ecr.us-east-9.amazonaws.com': account ID '1234' has 4 "
    )
    assert "; region 'us-east-9' is not in botocore" in problem.message


def test_rl103_unknown_region_is_a_warning_naming_the_botocore_version() -> None:
    problem = one("RL103", manifest("123456789012.dkr.ecr.us-east-9.amazonaws.com/ml"))
    assert problem.severity is Severity.WARNING
    assert problem.path == URL
    assert problem.message.startswith(
        "ECR host '123456789012.dkr.ecr.us-east-9.amazonaws.com': region 'us-east-9' is not "
        f"in botocore {botocore_version()}'s data"
    )
    assert problem.identity == "unknown-region:123456789012.dkr.ecr.us-east-9.amazonaws.com"


@pytest.mark.parametrize(
    "url",
    [f"{ECR}/ml", "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/ml",
     "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/ml",
     "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/ml",
     "123456789012.dkr.ecr.us-iso-west-1.c2s.ic.gov/ml",
     "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/ml",
     "123456789012.dkr-ecr-fips.us-east-1.on.aws/ml",
     "123456789012.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn/ml",
     "123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn/ml",
     "123456789012.dkr-ecr.us-gov-east-1.on.aws/ml",
     "public.ecr.aws/my-alias", "ecr-public.aws.com/my-alias", "registry.example.com/ml",
     "ghcr.io/org", "team/ml"],
)  # fmt: skip
def test_rl103_good(url: str) -> None:
    assert problems("RL103", manifest(url)) == []


def test_china_dual_stack_host_through_the_engine(
    run_cli: Any, tmp_path: Any, with_registry_checks: None
) -> None:
    """SPEC §6.6: the China dual-stack host is ECR (RL105 knows it), and valid (no RL103)."""
    (tmp_path / ".git").mkdir()
    good = "123456789012.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn/ml"
    bad = "123456789012.dkr-ecr.cn-north-1.on.aws/ml"
    text = BLOCK.replace(f"{ECR}/ml-prod", good).replace(f"password: {SECRET}", "password: ''")
    (tmp_path / "good.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(text.replace(good, bad), encoding="utf-8")
    result = run_cli("check", ".", "--select", "RL102,RL103,RL105", "--format", "json",
                     cwd=tmp_path)  # fmt: skip
    found = [(f["rule"], f["path"], f["line"], f["column"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    host = bad.split("/")[0]
    assert found == [
        ("RL103", "bad.yaml", 8, 8,
         f"malformed ECR host '{host}': region 'cn-north-1' is in partition aws-cn, whose "
         "dual-stack ECR hosts end in '.on.amazonwebservices.com.cn', not '.on.aws'"),
        ("RL105", "bad.yaml", 10, 13, "Amazon ECR with auth.method access-keys has no password: "
         "set it to the secret access key as {fromSecret: …} or {fromEnv: …}"),
        ("RL105", "good.yaml", 10, 13, "Amazon ECR with auth.method access-keys has no "
         "password: set it to the secret access key as {fromSecret: …} or {fromEnv: …}"),
    ]  # fmt: skip


# RL104 ---------------------------------------------------------------------------------

# fmt: off
RL104_BAD_CASES = [
    ("Runtime-", ("image prefix 'Runtime-' cannot start a repository name (component "
                  "'Runtime-' has upper case; repository names are lower case): write "
                 "'runtime-'")),
    ("-ml", ("(component '-ml' starts with '-'; it must start with a letter or digit): "
             "start with a lower-case letter or digit")),
    ("_ml", "component '_ml' starts with '_'"),
    (".ml", "component '.ml' starts with '.'"),
    ("/ml", "(starts with '/')"),
    ("ml//", "(has an empty segment ('//'))"),
    ("ml team", "component 'ml team' has whitespace"),
    ("ml@", "component 'ml@' has '@'"),
    ("ml:", "component 'ml:' has ':'"),
    ("ml___", "has '___', which is not a separator"),
]
# fmt: on


@pytest.mark.parametrize(("prefix", "message"), RL104_BAD_CASES)
def test_rl104_bad(prefix: str, message: str) -> None:
    problem = one("RL104", manifest(imagePrefix=prefix))
    assert message in problem.message
    assert problem.path == PREFIX


@pytest.mark.parametrize(
    "prefix", ["runtime-", "ml-", "ml_", "ml.", "ml__", "team/", "ml-prod/runtime-", "", None]
)
def test_rl104_good(prefix: str | None) -> None:
    data = manifest() if prefix is None else manifest(imagePrefix=prefix)
    assert problems("RL104", data) == []


def test_rl104_names_every_failure_in_one_problem() -> None:
    problem = one("RL104", manifest("public.ecr.aws/alias", imagePrefix="/M" + "l" * 200))
    assert problem.path == PREFIX
    assert problem.message.startswith(
        f"image prefix '/M{'l' * 200}' cannot start a repository name (starts with '/'; and "
        f"component 'M{'l' * 200}' has upper case; repository names are lower case): "
    )
    assert problem.message.endswith(
        "; the URL path and image prefix take 208 of the 205 characters a repository name "
        "may have, leaving no room for image names: shorten them"
    )
    assert problem.identity.count("+") == 2


def test_rl104_counts_the_url_path_in_the_length_limit() -> None:
    path = "a" * 200
    problem = one("RL104", manifest(f"{ECR}/{path}", imagePrefix="b" * 54 + "-"))
    assert problem.message == (
        "the URL path and image prefix take 256 of the 255 characters a repository name "
        "may have, leaving no room for image names: shorten them"
    )
    assert problem.path == PREFIX
    assert problems("RL104", manifest(f"{ECR}/{path}", imagePrefix="b" * 52 + "-")) == []


def test_rl104_ecr_public_has_a_shorter_limit() -> None:
    problem = one("RL104", manifest("public.ecr.aws/alias", imagePrefix="p" * 199))
    assert "take 205 of the 205 characters" in problem.message


# RL105 ---------------------------------------------------------------------------------

# fmt: off
RL105_BAD_CASES = [
    (ECR, {"method": "iam-role", "username": KEY_ID}, USERNAME,
     ("Amazon ECR with auth.method iam-role has username set, but the instance role's "
      "credentials are used: delete username"), "iam-role-credentials"),
    (ECR, {"method": "iam-role", "password": FROM_ENV}, METHOD,
     "Amazon ECR with auth.method iam-role has password set", "iam-role-credentials"),
    (ECR, {"method": "iam-role", "username": KEY_ID, "password": FROM_ENV}, USERNAME,
     ("has username and password set, but the instance role's credentials are used: "
      "delete username and password"), "iam-role-credentials"),
    (ECR, {"method": "access-keys", "username": "admin", "password": FROM_ENV}, USERNAME,
     ("Amazon ECR with auth.method access-keys has a username that is not an AWS access "
      "key ID ('AKIA' or 'ASIA' and 16 characters of A-Z, 2-7)"), "access-keys"),
    (ECR, {"method": "access-keys", "username": "AKIAiosfodnn7example",
           "password": FROM_ENV}, USERNAME, "is not an AWS access key ID", "access-keys"),
    (ECR, {"method": "access-keys", "username": "AKIAIOSFODNN7EXAMPLE0",
           "password": FROM_ENV}, USERNAME, "is not an AWS access key ID", "access-keys"),
    (ECR, {"method": "access-keys", "username": "AKIA0OSFODNN7EXAMPLE",  # 0 is not base32
           "password": FROM_ENV}, USERNAME, "is not an AWS access key ID", "access-keys"),
    (ECR, {"method": "access-keys", "username": KEY_ID}, METHOD,
     ("has no password: set it to the secret access key as {fromSecret: …} or "
      "{fromEnv: …}"), "access-keys"),
    (ECR, {"method": "access-keys", "username": KEY_ID, "password": ""}, METHOD,
     "has no password", "access-keys"),
    (ECR, {"method": "access-keys", "password": FROM_ENV}, METHOD,
     "has no username: set it to the AWS access key ID (AKIA… or ASIA…)", "access-keys"),
    (ECR, {"method": "access-keys", "username": "", "password": FROM_ENV}, USERNAME,
     "has no username", "access-keys"),
    (ECR, {"method": "access-keys"}, METHOD,
     "has no username: set it to the AWS access key ID (AKIA… or ASIA…); and no password",
     "access-keys"),
    (ECR, {"method": "basic", "username": "u", "password": FROM_ENV}, METHOD,
     ("Amazon ECR cannot be pushed to without AWS credentials, but auth.method is basic: "
      "use iam-role (the instance role, no username or password) or access-keys"),
     "basic-on-ecr"),
    (ECR, {"method": "none"}, METHOD, "but auth.method is none:", "none-on-ecr"),
    (ECR, {}, ("spec", "auth"), "but auth.method is none (the default):", "none-on-ecr"),
    (ECR, DROP, ("spec",), "but auth.method is none (the default):", "none-on-ecr"),
    ("123456789012.dkr.ecr..amazonaws.com", {"method": "none"}, METHOD,
     "Amazon ECR cannot be pushed to", "none-on-ecr"),  # a broken attempt is ECR too
    ("123456789012.dkr-ecr.us-east-1.on.aws", {"method": "basic"}, METHOD,
     "Amazon ECR cannot be pushed to", "basic-on-ecr"),
    ("public.ecr.aws/alias", {"method": "basic"}, METHOD,
     "Amazon ECR Public cannot be pushed to without AWS credentials", "basic-on-ecr"),
    ("docker.io/team", {"method": "access-keys", "username": KEY_ID, "password": FROM_ENV},
     METHOD, ("auth.method access-keys signs in to Amazon ECR only, not to Docker Hub: use "
     "basic (a user and a password or token) or none"), "access-keys-not-ecr"),
    ("team/ml", {"method": "access-keys"}, METHOD, "not to Docker Hub",
     "access-keys-not-ecr"),
    ("ghcr.io/org", {"method": "access-keys"}, METHOD,
     "not to GitHub Container Registry", "access-keys-not-ecr"),
    ("quay.io/org", {"method": "access-keys"}, METHOD, "not to Quay",
     "access-keys-not-ecr"),
    ("myacr.azurecr.io/ml", {"method": "access-keys"}, METHOD,
     "not to Azure Container Registry", "access-keys-not-ecr"),
    ("us-docker.pkg.dev/p/r", {"method": "access-keys"}, METHOD,
     "not to Google Artifact Registry", "access-keys-not-ecr"),
    ("gcr.io/p", {"method": "access-keys"}, METHOD, "not to Google Container Registry",
     "access-keys-not-ecr"),
    ("registry.example.com/ml", {"method": "access-keys"}, METHOD, "not to this registry",
     "access-keys-not-ecr"),
]
# fmt: on


@pytest.mark.parametrize(("url", "auth", "path", "message", "identity"), RL105_BAD_CASES)
def test_rl105_bad(url: str, auth: object, path: DataPath, message: str, identity: str) -> None:
    problem = one("RL105", manifest(url, auth=auth))
    assert message in problem.message
    assert problem.path == path
    assert problem.identity == identity


# fmt: off
RL105_GOOD_CASES = [
    (ECR, {"method": "iam-role"}),
    (ECR, {"method": "iam-role", "username": "", "password": ""}),  # blank is blank
    (ECR, {"method": "access-keys", "username": KEY_ID, "password": FROM_ENV}),
    (ECR, {"method": "access-keys", "username": "ASIAIOSFODNN7EXAMPLE",
           "password": {"fromSecret": {"name": "s", "key": "k"}}}),
    ("public.ecr.aws/alias", {"method": "iam-role"}),
    ("public.ecr.aws/alias", {"method": "access-keys", "username": KEY_ID,
                              "password": FROM_ENV}),
    ("docker.io/team", {"method": "basic", "username": "u", "password": FROM_ENV}),
    ("ghcr.io/org", {"method": "basic", "username": "u", "password": FROM_ENV}),
    ("registry.example.com/ml", {"method": "none"}),
    ("registry.example.com/ml", {}),
    (ECR, {"method": "iam_role"}),           # unknown method: RL002's job
    ("https://", {"method": "access-keys"}),  # no idea which registry
]
# fmt: on


@pytest.mark.parametrize(("url", "auth"), RL105_GOOD_CASES)
def test_rl105_good(url: str, auth: object) -> None:
    assert problems("RL105", manifest(url, auth=auth)) == []


def test_rl105_never_quotes_the_username() -> None:
    problem = one("RL105", manifest(auth={"method": "access-keys", "username": SECRET,
                                          "password": FROM_ENV}))  # fmt: skip
    assert SECRET not in problem.message + problem.identity
    assert problem.path == USERNAME


# RL106 ---------------------------------------------------------------------------------


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


# Placeholders (SPEC §6.6): a templated value is not a literal ------------------------

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
         "spec.auth.password is a literal secret (not shown here): rotate it, then reference "
         "it as {fromSecret: {name: …, key: …}} or {fromEnv: VARIABLE}"),
    ]  # fmt: skip
    assert "hunter2" not in result.out


# RL107 ---------------------------------------------------------------------------------

# fmt: off
RL107_BAD_CASES = [
    ({"requests": {"cpu": "1GB", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "invalid cpu request: '1GB' is not a Kubernetes quantity"),
    ({"limits": {"cpu": "1", "memory": "512mb"}},
     ("spec", "resources", "limits", "memory"),
     "invalid memory limit: '512mb' is not a Kubernetes quantity"),
    ({"limits": {"cpu": "1", "memory": "512m"}},
     ("spec", "resources", "limits", "memory"),
     ("likely typo in memory limit: memory '512m' means 0.512 bytes ('m' is a fraction of "
      "a byte, and Kubernetes rounds it up to whole bytes): did you mean '512Mi' or "
      "'512M'?")),
    ({"requests": {"cpu": "0.0005"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "likely typo in cpu request: cpu '0.0005' is finer than 1m (0.001 cores)"),
    ({"limits": {"cpu": "1", "memory": "Mi"}},
     ("spec", "resources", "limits", "memory"),
     "likely typo in memory limit: 'Mi' has no digits, so Kubernetes reads it as 0"),
    ({"limits": {"cpu": "1", "memory": "-1Gi"}},
     ("spec", "resources", "limits", "memory"),
     "invalid memory limit: memory '-1Gi' is negative"),
    ({"limits": {"cpu": "1", "memory": "1e100"}},
     ("spec", "resources", "limits", "memory"),
     "likely typo in memory limit: '1e100' has an exponent beyond ±64"),
    ({"limits": {"cpu": True, "memory": "1Gi"}},
     ("spec", "resources", "limits", "cpu"), "invalid cpu limit: true is not a quantity"),
    ({"requests": {"cpu": "2"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     ("cpu request '2' is above its limit '1', so Kubernetes rejects the pod: lower the "
      "request or raise the limit")),
    ({"requests": {"memory": "2Gi"}, "limits": {"cpu": "1", "memory": "2G"}},
     ("spec", "resources", "requests", "memory"),
     "memory request '2Gi' is above its limit '2G' (2147483648 > 2000000000 bytes)"),
    ({"requests": {"cpu": 0.5}, "limits": {"cpu": "250m", "memory": "1Gi"}},
     ("spec", "resources", "requests", "cpu"),
     "cpu request '0.5' is above its limit '250m' (0.5 > 0.25 cores)"),
    ({"limits": {"memory": "1Gi"}}, ("spec", "resources", "limits"),
     ("the service (environment 'production') has no cpu limit: set "
      "spec.resources.limits.cpu (for example \"1\") so that a busy push cannot starve "
     "its node")),
    ({"limits": {"cpu": 1}}, ("spec", "resources", "limits"),
     "has no memory limit: set spec.resources.limits.memory (for example 1Gi)"),
]
# fmt: on


@pytest.mark.parametrize(("resources", "path", "message"), RL107_BAD_CASES)
def test_rl107_bad(resources: dict[str, Any], path: DataPath, message: str) -> None:
    problem = one("RL107", manifest(resources=resources))
    assert message in problem.message
    assert problem.path == path
    assert problem.severity is None  # the rule's default: warning


@pytest.mark.parametrize(
    ("data", "path"),
    [(manifest(resources={"requests": {"cpu": "1"}}), ("spec", "resources")),
     (manifest(resources=DROP), ("spec",)),
     (manifest(resources=DROP, environment=DROP), ("spec",))],
)  # fmt: skip
def test_rl107_missing_limits_sit_on_the_mapping_that_lacks_them(
    data: dict[str, Any], path: DataPath
) -> None:
    problem = one("RL107", data)  # one finding per node, naming both limits
    assert problem.path == path
    assert problem.identity == "missing-limit.cpu+missing-limit.memory"
    assert problem.message.endswith(
        "has no cpu limit and no memory limit: set spec.resources.limits.cpu (for example "
        '"1") and spec.resources.limits.memory (for example 1Gi) so that a busy push cannot '
        "starve its node"
    )


def test_rl107_a_service_without_environment_is_operational() -> None:
    found = problems("RL107", manifest(resources=DROP, environment=DROP))
    assert "the service (no environment, so operational) has no cpu limit" in found[0].message


# Kubernetes compares quantities as it stores them: rounded up to whole nano-units,
# binary quantities capped at 2^63-1. These pairs are equal to Kubernetes.
@pytest.mark.parametrize(
    ("asked", "limit"),
    [("9Ei", "9223372036854775807"), ("10Ei", "9Ei"), ("9223372036854775807Ki", "8Ei")],
)
def test_rl107_saturated_quantities_are_equal(asked: str, limit: str) -> None:
    resources = {"requests": {"memory": asked}, "limits": {"cpu": "1", "memory": limit}}
    assert problems("RL107", manifest(resources=resources)) == []


def test_rl107_rounded_quantities_are_equal() -> None:
    resources = {"requests": {"memory": "1.5n"}, "limits": {"cpu": "1", "memory": "2n"}}
    found = problems("RL107", manifest(resources=resources))
    assert [p.message.split(":")[0] for p in found] == [
        "likely typo in memory request", "likely typo in memory limit"
    ]  # fmt: skip
    assert not any("above its limit" in p.message for p in found)


def test_rl107_a_likely_typo_still_takes_part_in_the_comparison() -> None:
    resources = {"requests": {"cpu": "1500u"}, "limits": {"cpu": "1m", "memory": "1Gi"}}
    problem = one("RL107", manifest(resources=resources))  # one finding at requests.cpu
    assert problem.path == ("spec", "resources", "requests", "cpu")
    assert problem.message == (
        "likely typo in cpu request: cpu '1500u' is finer than 1m (0.001 cores), the "
        "smallest CPU amount Kubernetes uses: it rounds it up to '2m'; write whole "
        "millicores; cpu request '1500u' is above its limit '1m' (0.0015 > 0.001 cores), so "
        "Kubernetes rejects the pod: lower the request or raise the limit"
    )
    assert problem.identity == "invalid-request.cpu:1500u+request-above-limit.cpu"


@pytest.mark.parametrize(
    "resources",
    [DROP, {}, {"requests": {"cpu": "250m"}}, {"limits": {"cpu": "1"}}],
)
def test_rl107_playground_needs_no_limits(resources: object) -> None:
    assert problems("RL107", manifest(environment="playground", resources=resources)) == []


def test_rl107_playground_still_gets_invalid_quantities_and_requests_above_limits() -> None:
    data = manifest(environment="playground",
                    resources={"requests": {"cpu": "2", "memory": "1 Gi"},
                               "limits": {"cpu": "1"}})  # fmt: skip
    found = problems("RL107", data)
    assert [p.identity for p in found] == [
        "request-above-limit.cpu", "invalid-request.memory:1 Gi"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "resources",
    [{"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
     {"requests": {"cpu": "1000m", "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1024Mi"}},
     {"limits": {"cpu": 0.5, "memory": "1e9"}},
     {"requests": {"cpu": 0.1}, "limits": {"cpu": "100m", "memory": "1G"}}],
)  # fmt: skip
def test_rl107_good(resources: dict[str, Any]) -> None:
    assert problems("RL107", manifest(resources=resources)) == []


# RL108 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["iam-role", "access-keys"])
def test_rl108_operational_ecr_without_policies(method: str) -> None:
    problem = one("RL108", manifest(auth={"method": method}, iamPolicies=DROP))
    assert problem.path == ("spec",)
    assert problem.message == (
        f"this operational ECR registry authenticates with {method} but lists no "
        "spec.iamPolicies, so its push rights cannot be checked: list the policy files that "
        "grant the nine ECR push actions (paths relative to this manifest)"
    )


def test_rl108_an_empty_list_is_reported_on_the_list() -> None:
    problem = one("RL108", manifest(iamPolicies=[]))
    assert problem.path == ("spec", "iamPolicies")


# fmt: off
RL108_GOOD_CASES = [
    manifest(),                                                     # policies listed
    manifest(environment="playground", iamPolicies=DROP),          # not operational
    manifest(auth={"method": "basic"}, iamPolicies=DROP),          # RL105's business
    manifest(auth={"method": "none"}, iamPolicies=DROP),
    manifest("public.ecr.aws/alias", iamPolicies=DROP),            # ECR Public
    manifest("registry.example.com/ml", iamPolicies=DROP),
    manifest("ghcr.io/org", iamPolicies=DROP),
]
# fmt: on


@pytest.mark.parametrize("data", RL108_GOOD_CASES)
def test_rl108_good(data: dict[str, Any]) -> None:
    assert problems("RL108", data) == []


def test_rl108_broken_ecr_attempt_still_counts() -> None:
    data = manifest("12345678901.dkr.ecr.us-east-2.amazonaws.com/ml", iamPolicies=DROP)
    assert one("RL108", data).path == ("spec",)


# The Iguazio pair ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["my-igz-system-runtime", "my-igz-system"])
def test_iguazio_user_and_system_urls_are_clean(suffix: str) -> None:
    data = manifest(f"{ECR}/{suffix}")
    for rule in CHECKS:
        assert problems(rule, copy.deepcopy(data)) == []


# Through the engine: positions and every output format ---------------------------------

BLOCK = f"""\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: custom-docker-registry
  system: ml-prod
  environment: production
spec:
  url: {ECR}/ml-prod
  auth:
    method: access-keys
    username: {KEY_ID}
    password: {SECRET}
  iamPolicies: [iam.json]
  resources:
    requests: {{cpu: 250m, memory: 256Mi}}
    limits: {{cpu: "1", memory: 1Gi}}
"""
FLOW = (
    "{apiVersion: reglint/v1, kind: RegistryService,\n"
    " metadata: {name: r, system: ml-prod, environment: production},\n"
    f" spec: {{url: {ECR}/ml-prod, iamPolicies: [iam.json],\n"
    f"        auth: {{method: access-keys, username: {KEY_ID}, password: '{SECRET}'}},\n"
    "        resources: {limits: {cpu: 1, memory: 1Gi}}}}\n"
)


@pytest.fixture
def with_registry_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the engine with these checks (until `reglint.checks.all` registers them)."""
    from reglint.checks.all import DOCUMENT_CHECKS

    present = {check.name for check in DOCUMENT_CHECKS}
    extra = tuple(check for check in REGISTRY_CHECKS if check.name not in present)
    monkeypatch.setattr("reglint.engine.run.DOCUMENT_CHECKS", DOCUMENT_CHECKS + extra)


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


def test_rl107_through_the_engine(run_cli: Any, tmp_path: Any, with_registry_checks: None) -> None:
    (tmp_path / ".git").mkdir()
    text = BLOCK.replace(f"password: {SECRET}", "password: {fromEnv: P}").replace(
        '    requests: {cpu: 250m, memory: 256Mi}\n    limits: {cpu: "1", memory: 1Gi}\n',
        "    requests:\n      cpu: 2n\n      memory: 9Ei\n"
        "    limits:\n      cpu: 1.5n\n      memory: 9223372036854775807\n",
    )
    (tmp_path / "registry.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", ".", "--select", "RL107", "--format", "json", cwd=tmp_path)
    found = [(f["rule"], f["path"], f["line"], f["column"], f["severity"], f["message"])
             for f in json.loads(result.out)["findings"]]  # fmt: skip
    assert found == [
        ("RL107", "registry.yaml", 16, 12, "warning",
         "likely typo in cpu request: cpu '2n' is finer than 1m (0.001 cores), the smallest "
         "CPU amount Kubernetes uses: it rounds it up to '1m'; write whole millicores"),
        ("RL107", "registry.yaml", 19, 12, "warning",
         "likely typo in cpu limit: cpu '1.5n' is finer than 1m (0.001 cores), the smallest "
         "CPU amount Kubernetes uses: it rounds it up to '1m'; write whole millicores"),
    ]  # fmt: skip
    assert result.code == 0  # warnings only: 2n and 1.5n are equal to Kubernetes


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
    if "--write-baseline" not in run_cli("check", "--help").out:
        pytest.skip("the CLI has no --write-baseline yet")
    (tmp_path / ".git").mkdir()
    (tmp_path / "registry.yaml").write_text(BLOCK, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    result = run_cli("check", ".", "--write-baseline", str(baseline), cwd=tmp_path)
    assert SECRET not in result.out + result.err
    assert SECRET not in baseline.read_text(encoding="utf-8")
