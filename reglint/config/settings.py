"""The settings of a run as the configuration gives them: `Config`, read and validated
by `load_config` (SPEC §3.2, §6.6). Every problem is a `ConfigError` (exit 2): one line
that names the file and the key or line, never a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reglint.config.files import ConfigError, read_table, shown_path
from reglint.config.suppressions import ConfigSuppression, dates_as_text, read_suppressions
from reglint.findings import Severity
from reglint.loading.document import DEFAULT_MAX_FILE_SIZE, Limits, PolicyType
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.platform.systems import DEFAULT_TENANT, SystemAssignment


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
    # glob -> the system whose MLRun settings its files hold (SPEC §6.3), in order
    platform_systems: Mapping[str, SystemAssignment] = field(default_factory=dict)

    @property
    def limits(self) -> Limits:
        return Limits(max_file_size=self.max_file_size)


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; `None` gives the defaults."""
    if path is None:
        return Config()
    shown = shown_path(path)
    raw = dates_as_text(read_table(path, shown))
    _validate(raw, shown)
    return _check_globs(_from_mapping(raw, path), shown)


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
    from reglint.files.globs import GlobError, check_glob

    lists = {
        "include": config.include,
        "exclude": config.exclude,
        "ecr-push-policies": config.ecr_push_policies,
        "per-file-ignores": tuple(config.per_file_ignores),
        "policy-types": tuple(config.policy_types),
        "platform-systems": tuple(config.platform_systems),
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
        platform_systems={
            str(glob): _assignment(entry) for glob, entry in (raw.get("platform-systems") or {}).items()
        },
    )


def _assignment(entry: Mapping[str, Any]) -> SystemAssignment:
    """A `platform-systems` entry (validated by the schema: `system` and `environment` given)."""
    return SystemAssignment(
        str(entry["system"]), str(entry["environment"]), str(entry.get("tenant", DEFAULT_TENANT))
    )
