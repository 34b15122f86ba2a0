"""A small AWS-shaped HTTP server for what moto cannot do (SPEC §6.4): ECR listings
paged beyond 1,000 repositories (`nextToken`), throttling, an access denial on any one
read, a bare HTTP 403 (as ECR may answer), and other accounts' registries.

stdlib `http.server` on 127.0.0.1, a free port, one thread; `FakeAws` holds the
account it answers for and the faults to inject, and counts the calls it served
(`calls`: "iam:GetPolicyVersion" -> n). It speaks the two protocols `aws verify` uses:
the query protocol with XML answers (STS, IAM; the service comes from the request's
credential scope) and JSON 1.1 (ECR, by `X-Amz-Target`). Nothing is ever logged: a
request's headers hold its signature.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote
from xml.sax.saxutils import escape

import pytest

ACCOUNT = "123456789012"
_NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/", "sts": "https://sts.amazonaws.com/doc/2011-06-15/"}


@dataclass
class Role:
    name: str
    path: str = "/"
    attached: list[str] = field(default_factory=list)
    inline: dict[str, Any] = field(default_factory=dict)
    boundary: str | None = None

    def arn(self, account: str) -> str:
        return f"arn:aws:iam::{account}:role{self.path}{self.name}"


@dataclass
class Repository:
    name: str
    mutability: str = "MUTABLE"
    tags: dict[str, str] = field(default_factory=dict)
    policy: Any = None


@dataclass
class FakeAws:
    """The account the server answers for, and what goes wrong (by `service:Operation`)."""

    url: str = ""
    account: str = ACCOUNT
    caller: str = f"arn:aws:sts::{ACCOUNT}:assumed-role/nodes/i-0abc"
    roles: dict[str, Role] = field(default_factory=dict)
    policies: dict[str, Any] = field(default_factory=dict)  # ARN -> document (version v1)
    repositories: dict[str, list[Repository]] = field(default_factory=dict)  # registry account -> repositories
    registry_policies: dict[str, Any] = field(default_factory=dict)  # registry account -> document
    deny: set[str] = field(default_factory=set)  # answered AccessDenied
    bare_403: set[str] = field(default_factory=set)  # answered an HTML 403, no error code
    throttle: set[str] = field(default_factory=set)  # answered ThrottlingException
    refuse: set[str] = field(default_factory=set)  # answered InvalidClientTokenId (bad credentials)
    foreign_denied: bool = True  # another account's ECR reads are denied
    calls: Counter[str] = field(default_factory=Counter)

    def answer(self, service: str, operation: str, params: dict[str, Any]) -> tuple[int, str, str]:
        """(status, content type, body) for one call."""
        key = f"{service}:{operation}"
        self.calls[key] += 1
        json_protocol = service == "ecr"
        foreign = json_protocol and str(params.get("registryId") or self.account) != self.account
        if key in self.bare_403:
            return 403, "text/html", "<html><body>403 Forbidden</body></html>"
        if key in self.refuse:
            return _error(json_protocol, 403, "UnrecognizedClientException" if json_protocol else "InvalidClientTokenId")
        if key in self.throttle:
            return _error(json_protocol, 400, "ThrottlingException" if json_protocol else "Throttling")
        if key in self.deny or (foreign and self.foreign_denied and operation != "GetRegistryPolicy"):
            return _error(json_protocol, 400 if json_protocol else 403,
                          "AccessDeniedException" if json_protocol else "AccessDenied")
        handler = getattr(self, f"_{service}_{operation}", None)
        if handler is None:
            return _error(json_protocol, 400, "InvalidAction")
        return handler(params)  # type: ignore[no-any-return]

    # -- STS and IAM (query protocol, XML) --

    def _sts_GetCallerIdentity(self, _: dict[str, Any]) -> tuple[int, str, str]:
        return _xml("sts", "GetCallerIdentity", f"<Arn>{escape(self.caller)}</Arn><UserId>AROAFAKE:s</UserId>"
                    f"<Account>{self.account}</Account>")

    def _iam_GetRole(self, params: dict[str, Any]) -> tuple[int, str, str]:
        role = self.roles.get(params["RoleName"])
        if role is None:
            return _error(False, 404, "NoSuchEntity")
        boundary = (f"<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>"
                    f"<PermissionsBoundaryArn>{role.boundary}</PermissionsBoundaryArn></PermissionsBoundary>"
                    if role.boundary else "")
        return _xml("iam", "GetRole", f"<Role><Path>{role.path}</Path><RoleName>{role.name}</RoleName>"
                    f"<RoleId>AROAFAKE</RoleId><Arn>{role.arn(self.account)}</Arn>"
                    f"<CreateDate>2024-01-01T00:00:00Z</CreateDate>{boundary}</Role>")

    def _iam_ListAttachedRolePolicies(self, params: dict[str, Any]) -> tuple[int, str, str]:
        arns = self.roles[params["RoleName"]].attached
        page, marker = _page(arns, params.get("Marker"), min(int(params.get("MaxItems") or 100), 100))
        members = "".join(f"<member><PolicyName>{a.rsplit('/', 1)[-1]}</PolicyName><PolicyArn>{a}</PolicyArn></member>"
                          for a in page)
        return _xml("iam", "ListAttachedRolePolicies", f"<AttachedPolicies>{members}</AttachedPolicies>"
                    + _truncation(marker))

    def _iam_ListRolePolicies(self, params: dict[str, Any]) -> tuple[int, str, str]:
        names = "".join(f"<member>{n}</member>" for n in self.roles[params["RoleName"]].inline)
        return _xml("iam", "ListRolePolicies", f"<PolicyNames>{names}</PolicyNames><IsTruncated>false</IsTruncated>")

    def _iam_GetRolePolicy(self, params: dict[str, Any]) -> tuple[int, str, str]:
        document = self.roles[params["RoleName"]].inline[params["PolicyName"]]
        return _xml("iam", "GetRolePolicy", f"<RoleName>{params['RoleName']}</RoleName><PolicyName>"
                    f"{params['PolicyName']}</PolicyName><PolicyDocument>{_encoded(document)}</PolicyDocument>")

    def _iam_GetPolicy(self, params: dict[str, Any]) -> tuple[int, str, str]:
        arn = params["PolicyArn"]
        return _xml("iam", "GetPolicy", f"<Policy><PolicyName>{arn.rsplit('/', 1)[-1]}</PolicyName><Arn>{arn}</Arn>"
                    "<DefaultVersionId>v1</DefaultVersionId></Policy>")

    def _iam_GetPolicyVersion(self, params: dict[str, Any]) -> tuple[int, str, str]:
        document = self.policies[params["PolicyArn"]]
        return _xml("iam", "GetPolicyVersion", f"<PolicyVersion><Document>{_encoded(document)}</Document>"
                    "<VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>")

    # -- ECR (JSON 1.1) --

    def _ecr_DescribeRepositories(self, params: dict[str, Any]) -> tuple[int, str, str]:
        registry = str(params.get("registryId") or self.account)
        repositories = self.repositories.get(registry, [])
        page, token = _page(repositories, params.get("nextToken"), min(int(params.get("maxResults") or 100), 1000))
        body: dict[str, Any] = {"repositories": [
            {"repositoryName": r.name, "registryId": registry, "imageTagMutability": r.mutability,
             "repositoryArn": f"arn:aws:ecr:us-east-2:{registry}:repository/{r.name}"} for r in page]}
        if token:
            body["nextToken"] = token
        return 200, "application/x-amz-json-1.1", json.dumps(body)

    def _find(self, arn_or_name: str, registry: str | None = None) -> Repository | None:
        name = arn_or_name.split(":repository/", 1)[-1]
        registry = registry or (arn_or_name.split(":")[4] if ":repository/" in arn_or_name else self.account)
        return next((r for r in self.repositories.get(registry, []) if r.name == name), None)

    def _ecr_ListTagsForResource(self, params: dict[str, Any]) -> tuple[int, str, str]:
        repository = self._find(params["resourceArn"])
        tags = [{"Key": k, "Value": v} for k, v in (repository.tags if repository else {}).items()]
        return 200, "application/x-amz-json-1.1", json.dumps({"tags": tags})

    def _ecr_GetRepositoryPolicy(self, params: dict[str, Any]) -> tuple[int, str, str]:
        repository = self._find(params["repositoryName"], params.get("registryId"))
        if repository is None or repository.policy is None:
            return _error(True, 400, "RepositoryPolicyNotFoundException")
        return 200, "application/x-amz-json-1.1", json.dumps(
            {"repositoryName": repository.name, "policyText": json.dumps(repository.policy)})

    def _ecr_GetRegistryPolicy(self, _: dict[str, Any]) -> tuple[int, str, str]:
        policy = self.registry_policies.get(self.account)  # always the caller's own registry
        if policy is None:
            return _error(True, 400, "RegistryPolicyNotFoundException")
        return 200, "application/x-amz-json-1.1", json.dumps({"registryId": self.account, "policyText": json.dumps(policy)})


def _page(items: list[Any], token: Any, size: int) -> tuple[list[Any], str | None]:
    start = int(token or 0)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def _truncation(marker: str | None) -> str:
    return f"<IsTruncated>true</IsTruncated><Marker>{marker}</Marker>" if marker else "<IsTruncated>false</IsTruncated>"


def _encoded(document: Any) -> str:
    return escape(quote(json.dumps(document)))


def _xml(service: str, operation: str, result: str) -> tuple[int, str, str]:
    return 200, "text/xml", (
        f'<{operation}Response xmlns="{_NS[service]}"><{operation}Result>{result}</{operation}Result>'
        f"<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></{operation}Response>"
    )


def _error(json_protocol: bool, status: int, code: str) -> tuple[int, str, str]:
    if json_protocol:
        return status, "application/x-amz-json-1.1", json.dumps({"__type": code, "message": "fake"})
    return status, "text/xml", (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>fake</Message></Error>"
        "<RequestId>fake</RequestId></ErrorResponse>"
    )


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAws

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        target = self.headers.get("X-Amz-Target")
        if target:
            service, operation, params = "ecr", target.rsplit(".", 1)[-1], json.loads(body or "{}")
        else:
            form = {k: v[0] for k, v in parse_qs(body).items()}
            scope = self.headers.get("Authorization", "").split("Credential=", 1)[-1].split("/")
            service = scope[3] if len(scope) > 3 else "sts"
            operation, params = form.pop("Action", ""), form
        status, content_type, text = self.fake.answer(service, operation, params)
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:  # never log: headers carry the signature
        return


@pytest.fixture
def fake_aws() -> Iterator[FakeAws]:
    """A FakeAws served on 127.0.0.1 on a free port for one test."""
    fake = FakeAws()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
