"""Find, read and validate reglint's configuration (SPEC §3.2, §6.6).

`--config FILE`, else the first of `.reglint.yaml`, `.reglint.yml`, `pyproject.toml`
(with a `[tool.reglint]` table) found from the project root of the first named path
upward, else from the current folder upward; `--isolated` ignores every config file.

A discovered config is part of the scanned repository, so it is attacker input: it is
read like a manifest (at most `MAX_CONFIG_SIZE` bytes, regular files only, the YAML
loader's nesting and alias limits), and a discovered config that is a symlink to a file
outside the folder it was found in is not read at all (`refusal`). Every problem is a
`ConfigError` (exit 2): one line that names the file and the key or line, never a
traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reglint.config_suppressions import ConfigSuppression, dates_as_text, read_suppressions
from reglint.findings import Severity
from reglint.loading.document import DEFAULT_MAX_FILE_SIZE, Limits, PolicyType
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

CONFIG_NAMES = (".reglint.yaml", ".reglint.yml", "pyproject.toml")
FAIL_ON_LEVELS = ("error", "warning", "note", "never")
# A config is a few hundred bytes; a pyproject.toml rarely reaches 20 KiB. Anything near
# this size is a mistake or an attack, and is refused before it is parsed.
MAX_CONFIG_SIZE = 1024 * 1024
_CONFIG_LIMITS = Limits(max_file_size=MAX_CONFIG_SIZE)
_PYPROJECT_TABLE = b"[tool.reglint]"


class ConfigError(Exception):
    """A configuration that cannot be used: a one-line message naming the file and key."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # selector -> level
    fail_on: str = "error"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ecr_push_policies: tuple[str, ...] = ()
    policy_types: Mapping[str, PolicyType] = field(default_factory=dict)  # glob -> type, in order
    required_ecr_actions: tuple[str, ...] = ECR_PUSH_ACTIONS
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    suppressions: tuple[ConfigSuppression, ...] = ()
    known_actions: tuple[str, ...] = ()

    @property
    def limits(self) -> Limits:
        return Limits(max_file_size=self.max_file_size)


def has_config(directory: Path) -> Path | None:
    """The config file in `directory`, if it holds one (a pyproject needs `[tool.reglint]`)."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file() and (name != "pyproject.toml" or _pyproject_has_section(candidate)):
            return candidate
    return None


def nearest_config(start: Path) -> Path | None:
    """The nearest config file from `start` upward."""
    for directory in (start, *start.parents):
        found = has_config(directory)
        if found is not None:
            return found
    return None


def discover_config(root: Path, cwd: Path) -> Path | None:
    """SPEC §6.6: the nearest config at or above the project root, else at or above the
    current folder (so `reglint check examples` uses `examples/.reglint.yaml`)."""
    return nearest_config(root) or nearest_config(cwd)


def refusal(config: Path) -> str | None:
    """Why a discovered config is not read, or None: a symlink whose target lies outside
    the folder it was found in (the project root) would let a repository make reglint
    read — and quote in its errors — any file of the machine."""
    if not config.is_symlink():
        return None
    try:
        target = config.resolve(strict=True)
        folder = config.parent.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop, or a target gone since it was found
        return "not read: it is a symlink that cannot be followed"
    if folder in target.parents:
        return None
    return "not read: it is a symlink to a file outside the project root (name it with --config to use it)"


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; `None` gives the defaults."""
    if path is None:
        return Config()
    shown = shown_path(path)
    raw = dates_as_text(_read_table(path, shown))
    _validate(raw, shown)
    return _check_globs(_from_mapping(raw, path), shown)


def shown_path(path: Path) -> str:
    """A config path as messages show it: relative to the current folder when inside it."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _pyproject_has_section(path: Path) -> bool:
    from reglint.loading.reader import read_regular_file, too_large

    raw = read_regular_file(path, MAX_CONFIG_SIZE)
    # Too large to read: say yes, so that loading it reports the size (exit 2).
    return _PYPROJECT_TABLE in raw if isinstance(raw, bytes) else raw == too_large(MAX_CONFIG_SIZE)


def _read_table(path: Path, shown: str) -> dict[str, Any]:
    from reglint.loading.decode import decode
    from reglint.loading.errors import LoadError
    from reglint.loading.reader import read_regular_file, too_large

    raw = read_regular_file(path, MAX_CONFIG_SIZE)
    if isinstance(raw, str):
        if raw == too_large(MAX_CONFIG_SIZE):
            raise ConfigError(f"{shown}: the config file is larger than 1 MiB; reglint does not read it")
        raise ConfigError(f"{shown}: {raw}")
    try:
        text = decode(raw)
        if path.suffix == ".toml":
            table = _toml_table(text, shown)
        else:
            table = _yaml_table(text, shown)
    except LoadError as exc:
        where = f"line {exc.span.line}: " if exc.span.line > 1 or exc.span.column > 1 else ""
        raise ConfigError(f"{shown}: {where}{exc.message}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: the configuration must be a mapping of keys")
    return table


def _yaml_table(text: str, shown: str) -> Any:
    from reglint.loading.yaml_loader import load_yaml

    documents = load_yaml(text, _CONFIG_LIMITS)
    if not documents:
        return {}
    if len(documents) > 1:
        raise ConfigError(f"{shown}: the configuration must be one YAML document, not {len(documents)}")
    document = documents[0]
    if document.duplicates:
        duplicate = document.duplicates[0]
        raise ConfigError(
            f"{shown}: line {duplicate.span.line}: duplicate key {str(duplicate.key)!r} "
            f"(first at line {duplicate.first.line}); give each key once"
        )
    return {} if document.data is None else document.data


def _toml_table(text: str, shown: str) -> Any:
    from reglint.config_toml import TomlError, load_toml_table

    try:
        return load_toml_table(text, _CONFIG_LIMITS.max_depth)
    except TomlError as exc:
        raise ConfigError(f"{shown}: {exc}") from None


def _validate(raw: dict[str, Any], shown: str) -> None:
    from reglint import validation

    if validation.is_valid("config", raw):
        return
    problems = validation.explain("config", raw)
    first = problems[0].message if problems else "invalid configuration"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise ConfigError(f"{shown}: {first}{more}")


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(str(item) for item in value or ())


def _check_globs(config: Config, shown: str) -> Config:
    """Every glob of the configuration must compile: a typo is a one-line error (exit 2)
    now, not a crash or a silently dead rule later. pathspec is imported only when the
    configuration has globs."""
    from reglint.globs import GlobError, check_glob

    lists = {
        "include": config.include,
        "exclude": config.exclude,
        "ecr-push-policies": config.ecr_push_policies,
        "per-file-ignores": tuple(config.per_file_ignores),
        "policy-types": tuple(config.policy_types),
    }
    for key, globs in lists.items():
        for glob in globs:
            try:
                check_glob(glob)
            except GlobError as exc:
                raise ConfigError(f"{shown}: {key}: invalid glob {glob!r} ({exc})") from None
    return config


def _from_mapping(raw: Mapping[str, Any], path: Path) -> Config:
    extra_actions = tuple(a for a in _strings(raw.get("required-ecr-actions")) if a not in ECR_PUSH_ACTIONS)
    return Config(
        path=path,
        select=_strings(raw["select"]) if "select" in raw else None,
        ignore=_strings(raw.get("ignore")),
        severity={str(k): Severity(v) for k, v in (raw.get("severity") or {}).items()},
        fail_on=str(raw.get("fail-on", "error")),
        include=_strings(raw.get("include")),
        exclude=_strings(raw.get("exclude")),
        per_file_ignores={
            str(glob): _strings(rules) for glob, rules in (raw.get("per-file-ignores") or {}).items()
        },
        ecr_push_policies=_strings(raw.get("ecr-push-policies")),
        policy_types={str(glob): PolicyType(kind) for glob, kind in (raw.get("policy-types") or {}).items()},
        required_ecr_actions=ECR_PUSH_ACTIONS + extra_actions,
        max_file_size=int(raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        suppressions=read_suppressions(raw.get("suppressions") or (), path),
        known_actions=_strings(raw.get("known-actions")),
    )
