"""RL105 registry-auth-mismatch on manifest data: rule, data path, words of the message."""

from __future__ import annotations

import pytest
from rules.manifest_cases import (
    DROP,
    ECR,
    FROM_ENV,
    KEY_ID,
    METHOD,
    SECRET,
    USERNAME,
    manifest,
    one,
    problems,
)

from reglint.loading.document import DataPath

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
