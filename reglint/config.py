"""Find, read and validate reglint's configuration (SPEC §3.2).

`--config FILE`, else the first of `.reglint.yaml`, `.reglint.yml`, `pyproject.toml`
(with a `[tool.reglint]` table) found from the current directory upward. The file is
validated against `schemas/config.schema.json`; any problem is a `ConfigError` (exit 2)
that names the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reglint.checks.base import ECR_PUSH_ACTIONS
from reglint.findings import Severity
from reglint.loading.document import DEFAULT_MAX_FILE_SIZE, Limits

CONFIG_NAMES = (".reglint.yaml", ".reglint.yml", "pyproject.toml")
FAIL_ON_LEVELS = ("error", "warning", "note", "never")


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
    required_ecr_actions: tuple[str, ...] = ECR_PUSH_ACTIONS
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
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


def discover_config(start: Path) -> Path | None:
    """The nearest config file from `start` upward."""
    for directory in (start, *start.parents):
        found = has_config(directory)
        if found is not None:
            return found
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; `None` gives the defaults."""
    if path is None:
        return Config()
    raw = _read_table(path)
    _validate(raw, path)
    return _check_globs(_from_mapping(raw, path))


def _pyproject_has_section(path: Path) -> bool:
    try:
        return b"[tool.reglint]" in path.read_bytes()
    except OSError:
        return False


def _read_table(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc.__class__.__name__}") from None
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        import tomllib

        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML ({exc})") from None
        table = document.get("tool", {}).get("reglint", {})
    else:
        import yaml

        try:
            table = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{path}: invalid YAML{where}") from None
        table = {} if table is None else table
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys")
    return table


def _validate(raw: dict[str, Any], path: Path) -> None:
    from reglint import validation

    if validation.is_valid("config", raw):
        return
    problems = validation.explain("config", raw)
    first = problems[0].message if problems else "invalid configuration"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise ConfigError(f"{path}: {first}{more}")


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(str(item) for item in value or ())


def _check_globs(config: Config) -> Config:
    """Every glob of the configuration must compile: a typo is a one-line error (exit 2)
    now, not a crash or a silently dead rule later. pathspec is imported only when the
    configuration has globs."""
    from reglint.globs import GlobError, check_glob

    lists = {
        "include": config.include,
        "exclude": config.exclude,
        "ecr-push-policies": config.ecr_push_policies,
        "per-file-ignores": tuple(config.per_file_ignores),
    }
    for key, globs in lists.items():
        for glob in globs:
            try:
                check_glob(glob)
            except GlobError as exc:
                raise ConfigError(f"{config.path}: {key}: invalid glob {glob!r} ({exc})") from None
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
        required_ecr_actions=ECR_PUSH_ACTIONS + extra_actions,
        max_file_size=int(raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        known_actions=_strings(raw.get("known-actions")),
    )
