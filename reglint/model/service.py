"""A typed view of a registry service manifest (SPEC §1.1), with its defaults.

The view is built from data that may fail the schema: RL002 reports schema problems, so
this model never raises. A value of the wrong type is treated as absent (its default
applies); a string that is not one of an enum's values becomes None, so that rules
depending on it stay silent instead of reasoning from a default the user did not mean
(`method: iam_role` is not `none`).

The password's value is never stored: the view keeps only where it comes from
(`SecretSource`), so no repr, log line or traceback of a `RegistryService` can leak it.
A template placeholder (`${REGISTRY_PASSWORD}`, `{{ .Values.password }}`) is a source of
its own: given (not blank, RL105), but not a literal (RL106); see model/placeholder.py.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from reglint.model.placeholder import is_placeholder

if TYPE_CHECKING:
    from reglint.loading.document import Document

__all__ = [
    "AuthMethod",
    "RegistryService",
    "ResourceValues",
    "Resources",
    "SecretSource",
    "ServiceRole",
    "ServiceType",
    "is_access_key_id",
    "looks_like_secret_access_key",
    "redact_secret_access_keys",
]

PLAYGROUND = "playground"
DEFAULT_TENANT = "default"

# AWS access key IDs: `AKIA` (long-term) or `ASIA` (temporary) + 16 base32 characters.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
_ACCESS_KEY_ID = re.compile(r"^(?:AKIA|ASIA)[A-Z2-7]{16}$")
# A secret access key is 40 characters of base64 mixing upper case, lower case and digits
# (AWS's own example: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). It is looked for token
# by token: a token is a run of base64 characters, so a key after or across a `/`
# (`team/<key>`, `repository/<key>` in an ARN) or inside a longer run is in one, and a
# token is secret-shaped when some 40 characters of it hold all three kinds. The mix
# keeps hex digests, words and all-lower-case paths out. A lower-cased key cannot be told
# from such a path, so no check lower-cases a secret-shaped value (RL102-RL104 stay silent
# on them; RL106 reports them).
_TOKEN = re.compile(r"[A-Za-z0-9/+=]{40,}")
# A window's first character is the last of its kind before another kind (else the
# window could start one later); from there the other two kinds lie within 39
# characters. Possessive repeats: a try scans at most 39 characters and never backtracks.
_MIXED_WINDOW = re.compile(
    r"[A-Z](?![A-Z])(?=[^a-z]{0,38}+[a-z])(?=[^0-9]{0,38}+[0-9])"
    r"|[a-z](?![a-z])(?=[^A-Z]{0,38}+[A-Z])(?=[^0-9]{0,38}+[0-9])"
    r"|[0-9](?![0-9])(?=[^A-Z]{0,38}+[A-Z])(?=[^a-z]{0,38}+[a-z])"
)
_KINDS = (re.compile("[A-Z]"), re.compile("[a-z]"), re.compile("[0-9]"))
_KIND_OF = str.maketrans(
    {chr(c): kind for kind, first, last in (("U", "A", "Z"), ("l", "a", "z"), ("d", "0", "9"))
     for c in range(ord(first), ord(last) + 1)}
)  # fmt: skip
# Every 40-character window lies inside one block of 59 starting at a multiple of 20.
_BLOCK, _STRIDE = 59, 20
REDACTED = "<redacted>"


def is_access_key_id(text: str) -> bool:
    """True for an AWS access key ID (`AKIA`/`ASIA` + 16 of A-Z, 2-7)."""
    return _ACCESS_KEY_ID.match(text) is not None


@lru_cache(maxsize=1024)
def looks_like_secret_access_key(text: str) -> bool:
    """True when `text` holds a secret-shaped token (see `_TOKEN`)."""
    return any(_secret_shaped(match.group()) for match in _TOKEN.finditer(text))


def redact_secret_access_keys(text: str) -> str:
    """`text` with every secret-shaped token replaced, whole, by `<redacted>`, except
    the `policy/…NAME` of an AWS managed policy ARN (public: see `_managed_policy_path`)."""
    return _TOKEN.sub(
        lambda m: REDACTED if _secret_shaped(m.group()) and not _managed_policy_path(m.group()) else m.group(),
        text,
    )


def _managed_policy_path(token: str) -> bool:
    """True for `policy/[path/]NAME` where NAME is an AWS managed policy of the bundled
    snapshot: the resource part of a public ARN (`arn:aws:iam::aws:policy/
    AmazonEC2ContainerRegistryPowerUser`) that messages name, never a secret. Only an
    exact known name counts, so nothing else escapes redaction this way."""
    if not token.startswith("policy/"):
        return False
    from reglint.model.iam.managed_policies import SnapshotUnavailable, lookup_name

    try:
        return lookup_name(token.rsplit("/", 1)[-1]) is not None
    except SnapshotUnavailable:
        return False


def _secret_shaped(token: str) -> bool:
    """True when some 40 characters of `token` hold upper case, lower case and digits."""
    # Three C-speed scans first: most long tokens (digests, paths) lack a kind at all.
    if not all(kind.search(token) for kind in _KINDS):
        return False
    if len(token) <= _BLOCK:
        return _MIXED_WINDOW.search(token) is not None
    # A long token (a 4 MB value) is searched block by block, and only the blocks that
    # hold all three kinds: the search stays linear, whatever the token's pattern.
    kinds = token.translate(_KIND_OF)
    for start in range(0, len(token) - 39, _STRIDE):
        end = start + _BLOCK
        if (
            kinds.find("U", start, end) >= 0
            and kinds.find("l", start, end) >= 0
            and kinds.find("d", start, end) >= 0
            and _MIXED_WINDOW.search(token, start, end)
        ):
            return True
    return False


class ServiceType(enum.Enum):
    ON_CLUSTER = "on-cluster"
    EXTERNAL = "external"


class ServiceRole(enum.Enum):
    USER = "user"  # the Custom User Docker Registry
    SYSTEM = "system"  # the System Docker Registry


class AuthMethod(enum.Enum):
    IAM_ROLE = "iam-role"
    ACCESS_KEYS = "access-keys"
    BASIC = "basic"
    NONE = "none"


class SecretSource(enum.Enum):
    """Where a password comes from (its value is never kept)."""

    ABSENT = "absent"
    BLANK = "blank"  # an empty string: counts as blank (SPEC RL105)
    LITERAL = "literal"  # a literal string or number in the manifest (RL106)
    PLACEHOLDER = "placeholder"  # `${…}`, `{{ … }}`, `<…>`: given, but not a literal
    FROM_ENV = "fromEnv"
    FROM_SECRET = "fromSecret"
    OTHER = "other"  # a mapping of another shape (RL002 reports it)

    @property
    def is_blank(self) -> bool:
        return self in (SecretSource.ABSENT, SecretSource.BLANK)


class ResourceValues(NamedTuple):
    """Raw `cpu` / `memory` values of `requests` or `limits` (None when absent)."""

    cpu: object = None
    memory: object = None

    def get(self, name: str) -> object:
        return self.cpu if name == "cpu" else self.memory if name == "memory" else None


class Resources(NamedTuple):
    """`spec.resources`; `given` / `limits_given` say whether those mappings exist."""

    requests: ResourceValues = ResourceValues()
    limits: ResourceValues = ResourceValues()
    given: bool = False
    limits_given: bool = False


class RegistryService(NamedTuple):
    """One `kind: RegistryService` document, defaults applied (SPEC §1.1)."""

    name: str | None = None
    system: str | None = None
    environment: str | None = None
    tenant: str = DEFAULT_TENANT
    type: ServiceType | None = ServiceType.ON_CLUSTER
    role: ServiceRole | None = ServiceRole.USER
    url: str | None = None
    image_prefix: str | None = None
    auth_method: AuthMethod | None = AuthMethod.NONE
    auth_method_given: bool = False
    username: str | None = None
    password: SecretSource = SecretSource.ABSENT
    role_arn: str | None = None  # `auth.roleArn`: the role the nodes push with (SPEC §6.4)
    iam_policies: tuple[str, ...] = ()
    iam_policies_given: bool = False
    resources: Resources = Resources()

    @property
    def operational(self) -> bool:
        """True unless the environment is `playground` (a missing one is operational)."""
        return self.environment != PLAYGROUND

    @property
    def username_blank(self) -> bool:
        """No username, or an empty one (SPEC RL105: an empty string counts as blank)."""
        return not self.username

    @property
    def username_placeholder(self) -> bool:
        """The username is a template placeholder (`${…}`, `{{ … }}`, `<…>`)."""
        return self.username is not None and is_placeholder(self.username)

    @property
    def credentials_given(self) -> tuple[str, ...]:
        """Which of `username` and `password` are set (not blank), in that order."""
        given = (("username", self.username_blank), ("password", self.password.is_blank))
        return tuple(name for name, blank in given if not blank)

    @classmethod
    def from_data(cls, data: object) -> RegistryService:
        """Read a manifest's data; never raises, whatever its shape."""
        root = _mapping(data)
        metadata = _mapping(root.get("metadata"))
        spec = _mapping(root.get("spec"))
        auth = _mapping(spec.get("auth"))
        url = _string(spec.get("url"))
        default_type = ServiceType.EXTERNAL if url else ServiceType.ON_CLUSTER
        method_given = "method" in auth and isinstance(auth.get("method"), str)
        return cls(
            name=_string(metadata.get("name")),
            system=_string(metadata.get("system")),
            environment=_string(metadata.get("environment")),
            # Decision: a blank tenant is the default tenant, as a missing one is.
            tenant=_string(metadata.get("tenant")) or DEFAULT_TENANT,
            type=_enum(ServiceType, spec.get("type"), default_type),
            role=_enum(ServiceRole, spec.get("role"), ServiceRole.USER),
            url=url,
            image_prefix=_string(spec.get("imagePrefix")),
            auth_method=_enum(AuthMethod, auth.get("method"), AuthMethod.NONE),
            auth_method_given=method_given,
            username=_string(auth.get("username")),
            password=_secret_source(auth.get("password", _MISSING)),
            role_arn=_string(auth.get("roleArn")),
            iam_policies=_strings(spec.get("iamPolicies")),
            iam_policies_given=isinstance(spec.get("iamPolicies"), list),
            resources=_resources(spec.get("resources")),
        )


def manifest_service(document: Document) -> RegistryService:
    """The typed view of a manifest, built once per document and shared by every check."""
    return document.derived("service", _build_service)


def _build_service(document: Document) -> RegistryService:
    return RegistryService.from_data(document.data)


_MISSING = object()
_E = TypeVar("_E", bound=enum.Enum)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _enum(kind: type[_E], value: object, default: _E) -> _E | None:
    """The enum member named by `value`; `default` when absent or not a string; None
    for a string that names no member (RL002 reports it)."""
    if not isinstance(value, str):
        return default
    try:
        return kind(value)
    except ValueError:
        return None


def _secret_source(value: object) -> SecretSource:
    if value is _MISSING or value is None:
        return SecretSource.ABSENT
    if isinstance(value, str):
        if not value:
            return SecretSource.BLANK
        return SecretSource.PLACEHOLDER if is_placeholder(value) else SecretSource.LITERAL
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return SecretSource.LITERAL  # `password: 123456` is still a literal secret
    if isinstance(value, Mapping) and len(value) == 1:
        if isinstance(value.get("fromEnv"), str):
            return SecretSource.FROM_ENV
        if isinstance(value.get("fromSecret"), Mapping):
            return SecretSource.FROM_SECRET
    return SecretSource.OTHER


def _resource_values(value: object) -> ResourceValues:
    values = _mapping(value)
    return ResourceValues(cpu=values.get("cpu"), memory=values.get("memory"))


def _resources(value: object) -> Resources:
    if not isinstance(value, Mapping):
        return Resources()
    return Resources(
        requests=_resource_values(value.get("requests")),
        limits=_resource_values(value.get("limits")),
        given=True,
        limits_given=isinstance(value.get("limits"), Mapping),
    )
