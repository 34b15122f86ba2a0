"""Kubernetes Secrets as platform sources: registry Secrets, AWS credentials Secrets, and
the names of every Secret a project declares (SPEC §6.3).

`read_secrets(data)` reads one parsed YAML/JSON document (a `List` of them too, as
`kubectl get -o yaml` writes it) and returns a `SecretRecord` per Secret-like object:

- `declaration`: kind, name, namespace and type, for RL302 (does a `secretName` name a
  Secret of the project?). `SealedSecret` (Bitnami) and `ExternalSecret`
  (external-secrets.io) declare the Secret they produce (`spec.template.metadata.name`,
  `spec.target.name`, else their own name); their contents are unknown.
- `registry`: each `.dockerconfigjson` / `.dockercfg` data key, read as Docker client
  configuration (`docker_config.py`), for RL102/RL103 (hosts), RL105 (which hosts a
  Secret serves), RL106 (literal credentials) and RL110 (static ECR tokens).
- `aws`: each `credentials` key that holds an AWS credentials file
  (`aws_credentials.py`), for RL106.

Positions. A payload is one base64 string (or one JSON text in `stringData`), so nothing
inside it has a position of its own: every record and problem of a payload carries the
data path of its data key (`("data", ".dockerconfigjson")`), and findings sit at that
key (`document.span_of(path, on_key=True)`: the key's line, also when the value is a
block scalar that starts on the next line).

Decisions:

- The data keys are read whatever the Secret's `type`: MLRun mounts a builder secret's
  `.dockerconfigjson` whatever its type, and a literal password is in the repository
  either way. A docker type without its key, or with the other layout's key, is INVALID.
- `data` and `stringData` are both read when both hold a key: the API server lets
  `stringData` win, but the repository holds both values.
- A `stringData` value that is an object instead of JSON text is INVALID (the API server
  rejects it) and is read all the same.
- A payload made by a template (a `data` value with `${` or `{{` in it, such as
  `{{ .Values.x | b64enc }}`; `stringData` JSON that only parses once a template fills it
  in) is `PLACEHOLDER`: nothing is known about it, so it serves any registry (no RL105),
  holds no literal (no RL106) and is not malformed. `stringData` JSON that parses is read,
  its templated hosts and values being placeholders one by one.
- Nothing decoded is kept (see `docker_config.py`); problems name keys, never values.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any, NamedTuple

from reglint.platform.aws_credentials import AwsProfile, read_aws_credentials
from reglint.platform.docker_config import Layout, RegistryEntry, read_docker_config
from reglint.platform.encoding import (
    MAX_SECRET_BYTES,
    TOO_LARGE,
    decode_base64,
    decode_json_object,
    decode_text,
)
from reglint.platform.records import DataPath, ProblemKind, SourceProblem, has_template

__all__ = [
    "DOCKERCFG_TYPE",
    "DOCKERCONFIGJSON_TYPE",
    "AwsCredentialsFile",
    "PayloadState",
    "RegistryCredentials",
    "SecretDeclaration",
    "SecretRecord",
    "read_secrets",
]

DOCKERCONFIGJSON_TYPE = "kubernetes.io/dockerconfigjson"
DOCKERCFG_TYPE = "kubernetes.io/dockercfg"
_TYPE_KEYS = {DOCKERCONFIGJSON_TYPE: Layout.DOCKERCONFIGJSON, DOCKERCFG_TYPE: Layout.DOCKERCFG}
_AWS_KEY = "credentials"
_SECTIONS = ("data", "stringData")
_DECLARING_KINDS = ("Secret", "SealedSecret", "ExternalSecret")
_MAX_LIST_ITEMS = 10_000
_MAX_KEYS = 1000  # data keys recorded per section


class PayloadState(enum.Enum):
    KNOWN = "known"  # decoded and read
    PLACEHOLDER = "placeholder"  # made by a template at install time: nothing is known
    MALFORMED = "malformed"  # cannot be decoded (see the record's problems)


class SecretDeclaration(NamedTuple):
    """A Secret the project declares (or makes, through a SealedSecret or ExternalSecret)."""

    kind: str  # Secret | SealedSecret | ExternalSecret
    name: str | None
    namespace: str | None
    secret_type: str | None  # `type`, or the template's; None when not given
    path: DataPath  # the object's path in the document: () unless inside a List
    keys: frozenset[str] = frozenset()  # its data keys (`data`, `stringData`, `encryptedData`)

    @property
    def contents_known(self) -> bool:
        """False for objects whose data reglint cannot read (encrypted or external)."""
        return self.kind == "Secret"


class RegistryCredentials(NamedTuple):
    """One `.dockerconfigjson` or `.dockercfg` data key of a Secret."""

    layout: Layout
    path: DataPath  # the data key: findings about its entries sit there (on_key)
    state: PayloadState
    entries: tuple[RegistryEntry, ...] = ()
    creds_store: bool = False


class AwsCredentialsFile(NamedTuple):
    """A `credentials` data key holding an AWS credentials file."""

    path: DataPath  # the data key
    profiles: tuple[AwsProfile, ...]


class SecretRecord(NamedTuple):
    declaration: SecretDeclaration
    registry: tuple[RegistryCredentials, ...] = ()
    aws: tuple[AwsCredentialsFile, ...] = ()
    problems: tuple[SourceProblem, ...] = ()

    def serves(self, registry: str) -> bool | None:
        """Whether this Secret offers credentials for `registry` (canonical host[:port]):
        None when it holds no registry credentials reglint can read."""
        payloads = [p for p in self.registry if p.state is not PayloadState.MALFORMED]
        if not payloads or not self.declaration.contents_known:
            return None
        if any(p.state is PayloadState.PLACEHOLDER for p in payloads):
            return True
        return any(entry.serves(registry) for p in payloads for entry in p.entries)


def read_secrets(data: Any) -> tuple[SecretRecord, ...]:
    """The Secret-like objects of one parsed document (module docstring)."""
    return tuple(_read(obj, path) for obj, path in _objects(data))


def _objects(data: Any) -> Iterator[tuple[dict[str, Any], DataPath]]:
    if not isinstance(data, dict):
        return
    if data.get("kind") in _DECLARING_KINDS:
        yield data, ()
    elif data.get("kind") == "List" and isinstance(data.get("items"), list):
        for index, item in enumerate(data["items"][:_MAX_LIST_ITEMS]):
            if isinstance(item, dict) and item.get("kind") in _DECLARING_KINDS:
                yield item, ("items", index)


def _read(obj: dict[str, Any], base: DataPath) -> SecretRecord:
    declaration = _declaration(obj, base)
    if declaration.kind != "Secret":
        return SecretRecord(declaration)
    problems: list[SourceProblem] = []
    registry: list[RegistryCredentials] = []
    aws: list[AwsCredentialsFile] = []
    layouts_seen: set[Layout] = set()
    for section, key, value in _data_items(obj, base, problems):
        path = (*base, section, key)
        if key in (Layout.DOCKERCONFIGJSON.value, Layout.DOCKERCFG.value):
            layout = Layout(key)
            layouts_seen.add(layout)
            registry.append(_registry_payload(layout, section, value, path, problems))
        elif key == _AWS_KEY:
            found = _aws_payload(section, value, path, problems)
            if found is not None:
                aws.append(found)
    expected = _TYPE_KEYS.get(declaration.secret_type or "")
    if expected is not None and expected not in layouts_seen:
        problems.append(
            SourceProblem(
                ProblemKind.INVALID,
                f"a Secret of type {declaration.secret_type} needs the data key {expected.value}",
                (*base, "type"),
            )
        )
    return SecretRecord(declaration, tuple(registry), tuple(aws), tuple(problems))


def _declaration(obj: dict[str, Any], base: DataPath) -> SecretDeclaration:
    kind = str(obj.get("kind"))
    metadata = _mapping(obj.get("metadata"))
    name, namespace = _text(metadata.get("name")), _text(metadata.get("namespace"))
    spec = _mapping(obj.get("spec"))
    secret_type = _text(obj.get("type"))
    if kind == "SealedSecret":
        template = _mapping(spec.get("template"))
        name = _text(_mapping(template.get("metadata")).get("name")) or name
        secret_type = _text(template.get("type"))
    elif kind == "ExternalSecret":
        target = _mapping(spec.get("target"))
        name = _text(target.get("name")) or name
        secret_type = _text(_mapping(target.get("template")).get("type"))
    sections = [obj.get(section) for section in _SECTIONS]
    sections.append(spec.get("encryptedData"))
    keys = frozenset(
        key
        for section in sections
        if isinstance(section, dict)
        for key in list(section)[:_MAX_KEYS]
        if isinstance(key, str)
    )
    return SecretDeclaration(kind, name, namespace, secret_type, base, keys)


def _data_items(
    obj: dict[str, Any], base: DataPath, problems: list[SourceProblem]
) -> Iterator[tuple[str, str, Any]]:
    for section in _SECTIONS:
        values = obj.get(section)
        if values is None:
            continue
        if not isinstance(values, dict):
            problems.append(
                SourceProblem(
                    ProblemKind.INVALID, f"`{section}` must be a mapping", (*base, section)
                )
            )
            continue
        for key, value in values.items():
            if key in (Layout.DOCKERCONFIGJSON.value, Layout.DOCKERCFG.value, _AWS_KEY):
                yield section, key, value


def _payload_text(
    section: str, value: Any, path: DataPath, problems: list[SourceProblem]
) -> bytes | str | None:
    """A data key's payload: `stringData` text as it is, `data` decoded from base64;
    None, with a problem, when it cannot be."""
    if not isinstance(value, str):
        problems.append(_problem(ProblemKind.INVALID, path, _not_text(section)))
        return None
    if section == "stringData":
        return value
    decoded = decode_base64(value)
    if isinstance(decoded, str):
        problems.append(_problem(ProblemKind.MALFORMED, path, decoded))
        return None
    return decoded


def _registry_payload(
    layout: Layout, section: str, value: Any, path: DataPath, problems: list[SourceProblem]
) -> RegistryCredentials:
    templated = isinstance(value, str) and has_template(value)
    if templated and section == "data":  # base64 has neither `{` nor `$`
        return RegistryCredentials(layout, path, PayloadState.PLACEHOLDER)
    if section == "stringData" and isinstance(value, dict):
        problems.append(
            _problem(
                ProblemKind.INVALID, path, "is an object; stringData values are strings (JSON text)"
            )
        )
        config: dict[str, Any] | str = value
    else:
        raw = _payload_text(section, value, path, problems)
        if raw is None:
            return RegistryCredentials(layout, path, PayloadState.MALFORMED)
        config = decode_json_object(raw)
    if isinstance(config, str):
        if templated:  # JSON text that a template completes: `{"auths": {{ … }}}`
            return RegistryCredentials(layout, path, PayloadState.PLACEHOLDER)
        problems.append(_problem(ProblemKind.MALFORMED, path, config))
        return RegistryCredentials(layout, path, PayloadState.MALFORMED)
    read = read_docker_config(config, layout, path)
    problems.extend(_keyed(path, p) for p in read.problems)
    return RegistryCredentials(layout, path, PayloadState.KNOWN, read.entries, read.creds_store)


def _aws_payload(
    section: str, value: Any, path: DataPath, problems: list[SourceProblem]
) -> AwsCredentialsFile | None:
    if isinstance(value, str) and section == "data" and has_template(value):
        return None
    raw = _payload_text(section, value, path, problems)
    if raw is None:
        return None
    if len(raw) > MAX_SECRET_BYTES:
        problems.append(_problem(ProblemKind.MALFORMED, path, TOO_LARGE))
        return None
    text = decode_text(raw)
    profiles = read_aws_credentials(text) if text is not None else None
    return AwsCredentialsFile(path, profiles) if profiles else None


def _keyed(path: DataPath, problem: SourceProblem) -> SourceProblem:
    return problem._replace(message=f"{_key_name(path)} {problem.message}")


def _problem(kind: ProblemKind, path: DataPath, what: str) -> SourceProblem:
    return SourceProblem(kind, f"{_key_name(path)} {what}", path)


def _key_name(path: DataPath) -> str:
    return f"{path[-2]}['{path[-1]}']"


def _not_text(section: str) -> str:
    return "must be a base64 string" if section == "data" else "must be a string"


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
