"""What the tests of the manifest rules (RL102-RL108) share: a clean manifest to vary,
the checks by rule, and two manifests with a literal secret, in block and flow style."""

from __future__ import annotations

from typing import Any

from conftest import make_document

from reglint.checks.base import CheckSettings
from reglint.checks.manifest import REGISTRY_CHECKS
from reglint.loading.document import DataPath, DocumentKind, Problem

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
