"""AWS failures as one line each (SPEC §6.4): the call, what it was about, and what to do.

Each line is built by reglint from the operation, the resource it read and the error
*code* the service answered: never from the service's message or botocore's text,
which may quote a request (its signature, a proxy URL with a password) or, from a
hostile endpoint, anything at all. So nothing from which credentials could be read is
ever printed.

- Access denied (`AccessDenied…`, `Unauthorized…`, or a bare HTTP 403 as ECR may
  send): `ecr:DescribeRepositories on registry 123456789012 (us-east-2) was denied:
  the credentials need ecr:DescribeRepositories`. The IAM permission of each call
  reglint makes has the operation's name.
- Credentials refused (invalid, expired), missing, or a profile that does not exist.
- Throttling after the SDK's retries (`AWS_MAX_ATTEMPTS` sets how many attempts).
- An endpoint that cannot be reached: connection refused, a timeout, a proxy, TLS.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["AwsFailure", "ReadDenied", "failure", "shown_endpoint"]

_DENIED = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
     "AuthorizationError", "Forbidden", "403"}
)
_REFUSED = frozenset(
    {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
     "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException", "IncompleteSignature",
     "MissingAuthenticationToken", "AuthFailure", "RequestExpired", "InvalidAccessKeyId",
     "InvalidToken"}
)
_THROTTLED = frozenset(
    {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
     "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
     "ProvisionedThroughputExceededException", "PriorRequestNotComplete", "429"}
)
# An error code as services spell them; anything else from the wire is not repeated.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class AwsFailure(Exception):
    """An AWS call failed: `str()` is the one line to print (exit 2)."""


class ReadDenied(AwsFailure):
    """A read was denied: an error in the caller's own account, a fact across accounts."""

    def __init__(self, message: str, permission: str, resource: str) -> None:
        super().__init__(message)
        self.permission = permission
        self.resource = resource


def failure(error: Exception, permission: str, resource: str, endpoint: str) -> AwsFailure:
    """The one-line failure for `error`, raised by the call that needs `permission`
    (`iam:GetPolicyVersion`) on `resource`, at `endpoint` (already made safe to show)."""
    from botocore import exceptions as boto

    if isinstance(error, boto.ClientError):
        return _client_error(error, permission, resource)
    if isinstance(error, boto.NoCredentialsError):
        return AwsFailure(
            f"no AWS credentials found for {permission}: give --profile, set AWS_PROFILE or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role provides them"
        )
    if isinstance(error, boto.PartialCredentialsError):
        missing = str(error.kwargs.get("cred_var", "a value"))
        return AwsFailure(f"incomplete AWS credentials for {permission}: {_safe(missing)} is missing")
    if isinstance(error, (boto.CredentialRetrievalError, boto.TokenRetrievalError, boto.SSOError)):
        return AwsFailure(
            f"the AWS credentials could not be obtained for {permission} "
            f"({error.__class__.__name__}): refresh them (aws sso login, the role's trust)"
        )
    if isinstance(error, boto.ProxyConnectionError):
        return AwsFailure(f"cannot reach {endpoint} for {permission}: the HTTP(S) proxy refused the connection")
    if isinstance(error, (boto.ConnectTimeoutError, boto.ReadTimeoutError)):
        return AwsFailure(f"cannot reach {endpoint} for {permission}: the connection timed out")
    if isinstance(error, boto.SSLError):
        return AwsFailure(f"cannot reach {endpoint} for {permission}: TLS failed (certificate or proxy)")
    if isinstance(error, (boto.EndpointConnectionError, boto.ConnectionClosedError, boto.HTTPClientError)):
        return AwsFailure(f"cannot reach {endpoint} for {permission}: the connection failed")
    if isinstance(error, boto.NoRegionError):
        return AwsFailure(f"no AWS region for {permission}: give --region or set AWS_REGION")
    return AwsFailure(f"{permission} on {resource} failed ({error.__class__.__name__})")


def _client_error(error: object, permission: str, resource: str) -> AwsFailure:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code") or "")
    metadata = response.get("ResponseMetadata", {})
    status = metadata.get("HTTPStatusCode")
    attempts = int(metadata.get("RetryAttempts") or 0) + 1
    if code in _REFUSED:
        return AwsFailure(
            f"the AWS credentials were refused on {permission} ({code}): they are invalid or expired"
        )
    if code in _THROTTLED or status == 429:
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        return AwsFailure(
            f"{permission} on {resource} was throttled after {tries}: retry later, or allow more "
            "attempts with AWS_MAX_ATTEMPTS"
        )
    if code in _DENIED or status == 403:
        return ReadDenied(
            f"{permission} on {resource} was denied: the credentials need {permission}",
            permission,
            resource,
        )
    shown = code if _CODE.fullmatch(code) else "an error"
    return AwsFailure(f"{permission} on {resource} failed: {shown}" + (f" (HTTP {status})" if status else ""))


def shown_endpoint(url: str) -> str:
    """`scheme://host[:port]` of an endpoint URL: a user name, password, path or query
    in it is never shown."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the endpoint given with --endpoint-url"
    if ":" in host:
        host = f"[{host}]"
    return _safe(f"{parts.scheme}://{host}{port}") if host else "the endpoint given with --endpoint-url"


def _safe(text: str) -> str:
    return re.sub(r"[^\w.:/@\[\]-]", "?", text)[:200]
