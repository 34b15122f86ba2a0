"""A real local AWS API server for `reglint aws verify`'s tests (SPEC §6.4), the
environment its runs get, and a guard that no request leaves 127.0.0.1.

- `moto_server`: moto in server mode (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`, so AWS
  managed policies such as `AmazonEC2ContainerRegistryPowerUser` exist), started once
  per session on 127.0.0.1 on a free port and stopped after.
- `aws`: a test's world on it: moto reset (`POST /moto-api/reset`), an environment of
  fake, distinctive credentials (`CANARY_*`: tests grep every output for them), no
  profile or config file of the machine, no instance metadata, and HTTP(S) proxies
  that point at a closed port of 127.0.0.1 (so a request that is not for 127.0.0.1
  fails instead of leaving the machine); `seed()` creates what a test describes.
- The guard: an audit hook (sys.addaudithook) that, while a live test runs, refuses
  and records every socket connection and name lookup that is not for the loopback
  address; each test fails at teardown when one was recorded.

A test names the fixtures it uses by importing them (`from live_aws import aws, …`).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from resources import require_module

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-2"
# Distinctive fake credentials: no output may ever contain them.
CANARY_KEY_ID = "AKIAREGLINTCANARY7QX"
CANARY_SECRET = "reglintCanarySecret/Never+Print+This+0123"
CANARY_TOKEN = "ReglintCanarySessionToken//Never+Print+This+IQoJb3JpZ2luX2VjEC8aCXVzLWVhc3QtMiJGMEQ"
CANARIES = (CANARY_KEY_ID, CANARY_SECRET, CANARY_TOKEN, "Never+Print")
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
NINE = [
    "ecr:CreateRepository", "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage",
    "ecr:UploadLayerPart",
]


def push_policy(namespace: str = "ml-prod/*", account: str = ACCOUNT) -> dict[str, Any]:
    """An identity policy that grants the nine push actions on a namespace."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Token", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Sid": "Push", "Effect": "Allow", "Action": [a for a in NINE if a != "ecr:GetAuthorizationToken"],
             "Resource": f"arn:aws:ecr:{REGION}:{account}:repository/{namespace}"},
        ],
    }



def ecr_manifest(
    role_arn: str | None = None,
    url: str = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/ml-prod",
    system: str = "ml-prod",
    tenant: str | None = None,
    extra: str = "",
) -> str:
    """A production ECR registry service pushed with `iam-role` (and `auth.roleArn` when
    given): the manifest the live tests run `aws verify` on. `extra` goes before `auth`."""
    tenant_line = f"  tenant: {tenant}\n" if tenant else ""
    role_line = f"    roleArn: {role_arn}\n" if role_arn else ""
    return (
        "apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: docker-registry\n"
        f"  system: {system}\n{tenant_line}  environment: production\nspec:\n  url: {url}\n{extra}"
        f"  auth:\n    method: iam-role\n{role_line}"
    )

# -- the network guard --------------------------------------------------------------------

_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@dataclass
class _Guard:
    active: bool = False
    leaks: list[str] = field(default_factory=list)


GUARD = _Guard()


def _loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return isinstance(host, str) and (host in _LOOPBACK_NAMES or host.startswith("127."))


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not GUARD.active:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address and not _loopback(address[0]):
            GUARD.leaks.append(f"connect {address[0]!r}")
            raise ConnectionRefusedError(f"test guard: no connection may leave 127.0.0.1 ({address[0]!r})")
    elif event == "socket.getaddrinfo" and args and args[0] is not None and not _loopback(args[0]):
        GUARD.leaks.append(f"lookup {args[0]!r}")
        raise OSError(f"test guard: no name lookup but the loopback's ({args[0]!r})")


sys.addaudithook(_audit)


@pytest.fixture
def network_guard() -> Iterator[_Guard]:
    """While the test runs, no socket leaves 127.0.0.1; a leak fails it at teardown."""
    GUARD.active, GUARD.leaks = True, []
    try:
        yield GUARD
    finally:
        GUARD.active = False
    assert not GUARD.leaks, f"requests left 127.0.0.1: {GUARD.leaks}"


# -- the environment ----------------------------------------------------------------------

_CLEARED = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_RETRY_MODE",
    "ALL_PROXY", "all_proxy",
)


def aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, credentials: bool = True) -> None:
    """Fake credentials (or none), nothing of the machine's AWS set-up, dead proxies."""
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    settings = {
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "2",
        # Anything not for 127.0.0.1 goes to a port nothing listens on.
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    }
    if credentials:
        settings |= {
            "AWS_ACCESS_KEY_ID": CANARY_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": CANARY_SECRET,
            "AWS_SESSION_TOKEN": CANARY_TOKEN,
        }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


# -- moto ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto in server mode on 127.0.0.1, a free port; its URL."""
    import os

    server_module = require_module("moto.server", "moto[server] is needed: pip install -e '.[test]'")
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class World:
    """A test's AWS account on the moto server."""

    url: str

    def client(self, service: str, region: str = REGION, **credentials: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.url, region_name=region, **credentials)

    def in_account(self, account: str, service: str, region: str = REGION) -> Any:
        """A client acting in another account (a role session there, as moto keys it)."""
        sts = self.client("sts")
        answer = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/seeder", RoleSessionName="seed")
        creds = answer["Credentials"]
        return self.client(
            service, region, aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"],
        )

    def role(self, name: str, *, path: str = "/", managed: tuple[str, ...] = (), inline: dict[str, Any] | None = None,
             boundary: str | None = None, iam: Any = None) -> str:
        """Create a role with its policies; its ARN."""
        iam = iam or self.client("iam")
        extra = {"PermissionsBoundary": boundary} if boundary else {}
        arn = iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(TRUST), **extra)["Role"]["Arn"]
        for policy_arn in managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        for policy_name, document in (inline or {}).items():
            iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document))
        return str(arn)

    def policy(self, name: str, document: dict[str, Any], iam: Any = None) -> str:
        """Create a customer managed policy; its ARN."""
        iam = iam or self.client("iam")
        return str(iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))["Policy"]["Arn"])

    def repository(self, name: str, *, tags: dict[str, str] | None = None, policy: dict[str, Any] | None = None,
                   mutability: str = "MUTABLE", ecr: Any = None) -> None:
        ecr = ecr or self.client("ecr")
        ecr.create_repository(
            repositoryName=name, imageTagMutability=mutability,
            tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
        )
        if policy is not None:
            ecr.set_repository_policy(repositoryName=name, policyText=json.dumps(policy))

    def seed(self, spec: dict[str, Any]) -> None:
        """What a rule example's `aws-account.json` describes (rules/RL401.yaml)."""
        for repository in spec.get("repositories", ()):
            ecr = self.client("ecr", repository.get("region", REGION))
            self.repository(repository["name"], tags=repository.get("tags"), policy=repository.get("policy"), ecr=ecr)


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, network_guard: _Guard) -> World:
    """A fresh account on the moto server, and the environment of a live run."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=30).close()
    aws_environment(monkeypatch, tmp_path)
    return World(moto_server)


def verify(run_cli: Any, world_url: str, folder: Path, *args: str) -> Any:
    """`reglint aws verify . --endpoint-url URL ARGS` in `folder` (its own project)."""
    (folder / ".git").mkdir(exist_ok=True)
    return run_cli("aws", "verify", ".", "--endpoint-url", world_url, *args, cwd=folder)


def findings(result: Any, rule: str | None = None) -> list[dict[str, Any]]:
    """The JSON report's findings (of one rule)."""
    found = json.loads(result.out)["findings"]
    return [f for f in found if rule is None or f["rule"] == rule]
