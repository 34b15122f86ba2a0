"""The AWS session of one `aws verify` run: boto3's usual credential and region chain
(`--profile`, `--region`, `AWS_*`), `--endpoint-url` passed to every client, and each
call made through `call()` or `pages()`, which turn any failure into one `AwsFailure`.

Retries: botocore's *standard* mode, with the number of attempts from
`AWS_MAX_ATTEMPTS` (or the profile's `max_attempts`; 3 when unset): throttling is
reported only once the SDK has given up. Timeouts are bounded (10 s to connect, 60 s to
read), so an unreachable endpoint ends the run in seconds, not minutes.

Pagination: `pages()` follows every `Marker`/`NextToken` through botocore's
paginators, up to `MAX_ITEMS` items per listing (a bound on time and memory: past it the
run stops with one line rather than read without end).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from reglint.live.failures import AwsFailure, failure, shown_endpoint

if TYPE_CHECKING:
    import boto3

__all__ = ["MAX_ITEMS", "AwsOptions", "AwsSession", "Service", "error_code", "open_session"]

# The services `aws verify` reads; `--endpoint-url` serves them all.
Service = Literal["ecr", "iam", "sts"]

MAX_ITEMS = 100_000
_CONNECT_TIMEOUT = 10
_READ_TIMEOUT = 60


class AwsOptions(NamedTuple):
    """The options of `reglint aws verify` that reach AWS."""

    profile: str | None = None
    region: str | None = None
    role: str | None = None  # --role: the pushing role of services without auth.roleArn
    endpoint_url: str | None = None


class AwsSession:
    """Clients by (service, region), and calls that fail as one line."""

    def __init__(self, session: boto3.session.Session, options: AwsOptions) -> None:
        self._session = session
        self._options = options
        self._clients: dict[tuple[Service, str | None], Any] = {}

    @property
    def default_region(self) -> str | None:
        """`--region`, else the profile's or environment's region, else None."""
        return self._options.region or self._session.region_name

    def client(self, service: Service, region: str | None = None) -> Any:
        """A client of `service` in `region` (None: the default region)."""
        from botocore.config import Config

        key = (service, region or self.default_region)
        if key not in self._clients:
            config = Config(
                retries={"mode": "standard"},
                connect_timeout=_CONNECT_TIMEOUT,
                read_timeout=_READ_TIMEOUT,
                user_agent_extra="reglint-aws-verify",
            )
            try:
                self._clients[key] = self._session.client(
                    service, region_name=key[1], endpoint_url=self._options.endpoint_url, config=config
                )
            except Exception as error:  # noqa: BLE001 - a bad region or endpoint: one line
                raise failure(error, f"{service} client", "", self._endpoint(service)) from None
        return self._clients[key]

    def call(
        self,
        service: Service,
        operation: str,
        resource: str,
        region: str | None = None,
        absent: tuple[str, ...] = (),
        **params: Any,
    ) -> Any:
        """`service:operation(**params)`; `resource` names what it reads, for messages.
        None when the service answers one of the error codes in `absent` (`NoSuchEntity`):
        the thing read does not exist, which is an answer, not a failure."""
        from botocore import xform_name
        from botocore.exceptions import ClientError

        client = self.client(service, region)
        try:
            return getattr(client, xform_name(operation))(**params)
        except ClientError as error:
            if error_code(error) in absent:
                return None
            raise self._failure(error, service, operation, resource) from None
        except Exception as error:  # noqa: BLE001 - every AWS failure is one line (SPEC §6.4)
            raise self._failure(error, service, operation, resource) from None

    def pages(
        self, service: Service, operation: str, key: str, resource: str, region: str | None = None, **params: Any
    ) -> Iterator[Any]:
        """Every item under `key` of every page of `service:operation(**params)`."""
        from botocore import xform_name

        client = self.client(service, region)
        count = 0
        try:
            for page in client.get_paginator(xform_name(operation)).paginate(**params):
                for item in page.get(key) or ():
                    count += 1
                    if count > MAX_ITEMS:
                        raise AwsFailure(
                            f"{service}:{operation} on {resource} listed more than {MAX_ITEMS:,} "
                            "items: stopped (reglint's bound)"
                        )
                    yield item
        except AwsFailure:
            raise
        except Exception as error:  # noqa: BLE001 - every AWS failure is one line (SPEC §6.4)
            raise self._failure(error, service, operation, resource) from None

    def _failure(self, error: Exception, service: Service, operation: str, resource: str) -> AwsFailure:
        return failure(error, f"{service}:{operation}", resource, self._endpoint(service))

    def _endpoint(self, service: str) -> str:
        if self._options.endpoint_url:
            return shown_endpoint(self._options.endpoint_url)
        return f"the {service.upper()} endpoint of AWS"


def error_code(error: Exception) -> str:
    """The error code of a botocore ClientError (empty when it has none)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code") or "")


def open_session(options: AwsOptions) -> AwsSession:
    """A session from boto3's chain; a missing boto3 or profile is one line."""
    try:
        import boto3
    except ImportError:
        raise AwsFailure(
            "`reglint aws verify` needs boto3: install it with pip install 'reglint[aws]'"
        ) from None
    from botocore.exceptions import ProfileNotFound

    try:
        session = boto3.session.Session(profile_name=options.profile, region_name=options.region)
    except ProfileNotFound:
        raise AwsFailure(f"the AWS profile {options.profile!r} was not found in the AWS config files") from None
    return AwsSession(session, options)
