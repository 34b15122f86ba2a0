"""Docker client configuration as a Kubernetes registry Secret holds it (SPEC §6.3).

Two layouts, one per Secret type:

- `.dockerconfigjson` (`kubernetes.io/dockerconfigjson`): `{"auths": {HOST: ENTRY},
  "credHelpers": {HOST: HELPER}, "credsStore": HELPER}`.
- `.dockercfg` (`kubernetes.io/dockercfg`, the legacy one): a flat `{HOST: ENTRY}` map.

An ENTRY holds `username`, `password`, `auth` (base64 of `user:password`, which wins
over both when set, as in the Docker CLI and the kubelet), `identitytoken`,
`registrytoken` and `email`. `credHelpers` and `credsStore` name programs, not secrets;
their hosts are checked all the same.

Host keys are read as the kubelet reads them (`pkg/credentialprovider/keyring.go`): an
`http://` or `https://` scheme and a leading `/v1/` or `/v2/` path (the registry API's)
are dropped, so `https://index.docker.io/v1/` is `docker.io`; another path restricts
the entry to the repositories under it; a `*` in the host is a glob over one DNS label
(`*.gcr.io`). What is left is checked as a registry URL (RL102/RL103) unless it is a
pattern or a template.

Decisions:

- Every layout mistake is reported (a flat map under `.dockerconfigjson`, `auths` under
  `.dockercfg`), and the entries are read all the same: their credentials sit in the
  file in the clear whether or not a client would ever use them (RL106).
- Nothing decoded is kept: an entry records which credential fields it has and whether
  each is a literal, a placeholder or empty; of the user name only whether it is `AWS`
  (RL110). `auth` is decoded to learn both and forgotten. A host key with credentials
  in it (`user:pass@host`) is kept with them replaced by `<redacted>`.
- At most `MAX_ENTRIES` hosts are read per payload: more is reported, not read (a
  1 MiB payload could hold 50,000).
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Iterator
from typing import Any, NamedTuple

from reglint.model.reference import RegistryReference, parse_reference
from reglint.model.registries import canonical_registry, registry_family
from reglint.platform.encoding import decode_base64, decode_text
from reglint.platform.records import (
    DataPath,
    ProblemKind,
    SourceProblem,
    ValueState,
    has_template,
    redact_userinfo,
    value_state,
)

__all__ = [
    "MAX_ENTRIES",
    "SECRET_FIELDS",
    "Credential",
    "DockerConfig",
    "EntrySource",
    "Layout",
    "RegistryEntry",
    "read_docker_config",
    "registry_url_of_key",
]

MAX_ENTRIES = 1000
# The fields whose literal value is a secret (RL106); `username` and `email` are not.
SECRET_FIELDS = ("password", "auth", "identitytoken", "registrytoken")
_READ_FIELDS = ("username", *SECRET_FIELDS)
_READ_FIELDS_SET = frozenset(_READ_FIELDS)
_API_PATHS = ("v1", "v2")


class Layout(enum.Enum):
    DOCKERCONFIGJSON = ".dockerconfigjson"
    DOCKERCFG = ".dockercfg"


class EntrySource(enum.Enum):
    AUTHS = "auths"  # an `auths` entry of .dockerconfigjson
    DOCKERCFG = "dockercfg"  # an entry of .dockercfg's flat map
    CRED_HELPER = "credHelpers"  # a host whose credentials come from a helper program


class Credential(NamedTuple):
    """One credential field of an entry: its name and how its value is known."""

    field: str  # username | password | auth | identitytoken | registrytoken
    state: ValueState  # for `auth`: the state of the password inside it


class RegistryEntry(NamedTuple):
    """One host of a registry Secret."""

    key: str  # the host key as written (credentials in it redacted)
    url: str  # the key as a registry URL: scheme and /v1/ or /v2/ dropped
    registry: str | None  # canonical host[:port] (docker.io for Docker Hub); None: unknown
    source: EntrySource
    credentials: tuple[Credential, ...] = ()
    aws_username: bool = False  # the user name (`username`, or the one in `auth`) is AWS
    template: bool = False  # the key is filled in by a template: any host
    wildcard: bool = False  # the key's host is a glob (`*.gcr.io`)

    @property
    def checkable(self) -> bool:
        """True when `url` is to be checked as a registry URL (RL102/RL103)."""
        return not (self.template or self.wildcard)

    @property
    def literal_secrets(self) -> tuple[str, ...]:
        """The secret fields whose value is written out (RL106), in `SECRET_FIELDS` order."""
        literal = {c.field for c in self.credentials if c.state is ValueState.LITERAL}
        return tuple(f for f in SECRET_FIELDS if f in literal)

    @property
    def static_ecr_token(self) -> bool:
        """RL110: an ECR host, the user name `AWS` and a literal token. ECR's tokens (from
        `get-login-password`) expire after 12 hours, so the Secret goes stale. ECR Public's
        tokens expire as fast, so its host counts too."""
        if not (self.aws_username and self.literal_secrets and self.registry):
            return False
        return registry_family(self.registry.partition(":")[0]).is_aws

    def serves(self, registry: str) -> bool:
        """True when this entry's credentials are offered for `registry` (canonical
        host[:port]); an unknown host may be any."""
        if self.template:
            return True
        if self.registry is not None:
            return self.registry == registry
        if self.wildcard:
            return _glob_matches(self.url.partition("/")[0], registry)
        return False


class DockerConfig(NamedTuple):
    """What one `.dockerconfigjson` or `.dockercfg` payload says."""

    entries: tuple[RegistryEntry, ...]
    creds_store: bool  # a `credsStore` is named (a helper program, not a secret)
    problems: tuple[SourceProblem, ...]


def registry_url_of_key(key: str) -> tuple[str, bool]:
    """The registry URL a host key names, and whether the key held credentials (which
    the URL then shows as `<redacted>@host`)."""
    text = key.strip()
    for scheme in ("https://", "http://"):
        if text[: len(scheme)].lower() == scheme:
            text = text[len(scheme) :]
            break
    redacted = redact_userinfo(text)
    host, slash, path = redacted.partition("/")
    if slash:
        first, _, rest = path.partition("/")
        if first in _API_PATHS:
            path = rest
    path = path.rstrip("/")
    return (f"{host}/{path}" if path else host), redacted != text


def read_docker_config(config: dict[str, Any], layout: Layout, path: DataPath) -> DockerConfig:
    """Read a decoded payload; `path` is the data key's path, where every problem sits."""
    problems: list[SourceProblem] = []
    hosts = _host_maps(config, layout, path, problems)
    entries: list[RegistryEntry] = []
    for source, mapping in hosts:
        for key, value in mapping.items():
            if len(entries) == MAX_ENTRIES:
                problems.append(
                    _invalid(
                        f"has more than {MAX_ENTRIES} registry hosts; the rest are not checked",
                        path,
                    )
                )
                return DockerConfig(tuple(entries), False, tuple(problems))
            if not isinstance(key, str):
                problems.append(_invalid("has a registry host key that is not a string", path))
                continue
            entries.append(_entry(key, value, source, path, problems))
    creds_store = config.get("credsStore") if layout is Layout.DOCKERCONFIGJSON else None
    if creds_store is not None and not isinstance(creds_store, str):
        problems.append(_invalid("has a `credsStore` that is not a string", path))
    return DockerConfig(tuple(entries), creds_store is not None, tuple(problems))


def _host_maps(
    config: dict[str, Any], layout: Layout, path: DataPath, problems: list[SourceProblem]
) -> Iterator[tuple[EntrySource, dict[Any, Any]]]:
    """The host maps of a payload, with the layout's mistakes reported (module docstring)."""
    auths = config.get("auths")
    if layout is Layout.DOCKERCFG:
        if isinstance(auths, dict):
            problems.append(
                _invalid(
                    "holds `auths`, but .dockercfg is a flat host map: clients read 'auths' as a "
                    "host name; use type kubernetes.io/dockerconfigjson and key "
                    ".dockerconfigjson",
                    path,
                )
            )
            yield EntrySource.AUTHS, auths
            config = {k: v for k, v in config.items() if k != "auths"}
        yield EntrySource.DOCKERCFG, config
        return
    if auths is not None:
        if isinstance(auths, dict):
            yield EntrySource.AUTHS, auths
        else:
            problems.append(_invalid("has an `auths` that is not an object", path))
    else:
        flat = {
            k: v for k, v in config.items() if isinstance(v, dict) and _READ_FIELDS_SET & v.keys()
        }
        if flat:
            problems.append(
                _invalid(
                    "has no `auths` key: in .dockerconfigjson, registry hosts belong under `auths` "
                    "(a flat host map is the .dockercfg layout), so no client reads these entries",
                    path,
                )
            )
            yield EntrySource.AUTHS, flat
    helpers = config.get("credHelpers")
    if isinstance(helpers, dict):
        yield EntrySource.CRED_HELPER, helpers
    elif helpers is not None:
        problems.append(_invalid("has a `credHelpers` that is not an object", path))


def _entry(
    key: str, value: Any, source: EntrySource, path: DataPath, problems: list[SourceProblem]
) -> RegistryEntry:
    url, redacted = registry_url_of_key(key)
    shown = url if redacted else key
    template = has_template(key)
    wildcard = not template and "*" in url.partition("/")[0]
    registry = None if template or wildcard else _canonical(url)
    entry = RegistryEntry(shown, url, registry, source, template=template, wildcard=wildcard)
    if source is EntrySource.CRED_HELPER:
        if not isinstance(value, str):
            problems.append(
                _invalid(f"names a credential helper for '{url}' that is not a string", path)
            )
        return entry
    if not isinstance(value, dict):
        problems.append(_invalid(f"has an entry for '{url}' that is not an object", path))
        return entry
    credentials: list[Credential] = []
    aws_username = False
    for field in _READ_FIELDS:
        if field not in value:
            continue
        text = value[field]
        if text is None:
            credentials.append(Credential(field, ValueState.EMPTY))
            continue
        if not isinstance(text, str):
            problems.append(_invalid(f"has a `{field}` for '{url}' that is not a string", path))
            continue
        if field == "auth":
            state, auth_user_is_aws, problem = _auth_state(text)
            aws_username = aws_username or auth_user_is_aws
            if problem is not None:
                problems.append(
                    SourceProblem(
                        ProblemKind.MALFORMED, f"has an `auth` for '{url}' that {problem}", path
                    )
                )
        else:
            state = value_state(text)
            if field == "username" and text == "AWS":
                aws_username = True
        credentials.append(Credential(field, state))
    return entry._replace(credentials=tuple(credentials), aws_username=aws_username)


def _auth_state(text: str) -> tuple[ValueState, bool, str | None]:
    """The state of the password inside `auth`, whether its user is AWS, and what is
    wrong with it. A literal `auth` that cannot be decoded stays a literal."""
    state = value_state(text)
    if state is not ValueState.LITERAL:
        return state, False, None
    if has_template(text):
        return ValueState.PLACEHOLDER, False, None
    raw = decode_base64(text)
    if isinstance(raw, str):
        return ValueState.LITERAL, False, raw
    decoded = decode_text(raw)
    user, colon, password = (decoded or "").partition(":")
    if not colon:
        return ValueState.LITERAL, False, "does not decode to 'user:password'"
    return value_state(password.strip("\x00")), user == "AWS", None


def _canonical(url: str) -> str | None:
    reference = parse_reference(url)
    if isinstance(reference, RegistryReference):
        return canonical_registry(reference.host, reference.port)
    return None


def _glob_matches(pattern: str, registry: str) -> bool:
    """The kubelet's host glob: the same number of labels, each matched as a glob, and
    the same port."""
    pattern_host, _, pattern_port = pattern.lower().partition(":")
    host, _, port = registry.lower().partition(":")
    labels, pattern_labels = host.split("."), pattern_host.split(".")
    if len(labels) != len(pattern_labels) or port != pattern_port:
        return False
    return all(
        fnmatch.fnmatchcase(label, glob) for label, glob in zip(labels, pattern_labels, strict=True)
    )


def _invalid(message: str, path: DataPath) -> SourceProblem:
    return SourceProblem(ProblemKind.INVALID, message, path)
