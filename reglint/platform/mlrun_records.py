"""The records MLRun settings are read into, and how a setting's value is understood
(SPEC §6.3; the sources and the decisions are in `mlrun_settings.py`)."""

from __future__ import annotations

import enum
import json
from typing import Any, NamedTuple

from reglint.platform.records import (
    DataPath,
    ProblemKind,
    SourceProblem,
    ValueState,
    has_template,
    redact_userinfo,
)

__all__ = [
    "ENV_NAMES",
    "RankedSetting",
    "Setting",
    "SettingName",
    "Settings",
    "SourceKind",
    "env_setting_name",
    "env_value",
    "make_setting",
    "setting_state",
]


class SettingName(enum.Enum):
    REGISTRY_URL = "registry-url"
    BUILDER_SECRET = "builder-secret"  # Secret the builder pushes with
    PULL_SECRET = "pull-secret"  # global.registry.secretName: a docker-registry Secret
    KANIKO_SECRET = "kaniko-secret"  # Nuclio's AWS credentials Secret (ECR)
    PREFIX_TEMPLATE = "prefix-template"  # MLRun's function_target_image_name_prefix_template
    NUCLIO_PREFIX_TEMPLATE = "nuclio-prefix-template"  # nuclio.dashboard.imageNamePrefixTemplate


class SourceKind(enum.Enum):
    HELM_VALUES = "helm-values"
    WORKLOAD_ENV = "workload-env"
    CONFIG_MAP = "config-map"
    COMPOSE_ENV = "compose-env"


class Setting(NamedTuple):
    name: SettingName
    state: ValueState
    value: str | None  # as written; None when it comes from elsewhere or is null
    key: str  # as people name it: `mlrun.defaultDockerRegistryURL`, an env var name
    source: SourceKind
    path: DataPath
    shadowed: bool = False  # overridden within its scope: MLRun never sees it
    on_key: bool = False  # a finding sits at the key (a `valueFrom` mapping, a null value)


class Settings(NamedTuple):
    settings: tuple[Setting, ...] = ()
    problems: tuple[SourceProblem, ...] = ()


class RankedSetting(NamedTuple):
    """A setting and its precedence within its scope."""

    setting: Setting
    rank: int
    coalesce: bool  # an empty value falls through to the next lower rank (Helm)


ENV_NAMES = {
    "httpdb__builder__docker_registry": SettingName.REGISTRY_URL,
    "httpdb__builder__docker_registry_secret": SettingName.BUILDER_SECRET,
    "httpdb__builder__function_target_image_name_prefix_template": SettingName.PREFIX_TEMPLATE,
}
_ENV_PREFIX = "MLRUN_"
_TEMPLATES = (SettingName.PREFIX_TEMPLATE, SettingName.NUCLIO_PREFIX_TEMPLATE)
_SENTINELS = frozenset({"mustprovide"})  # mlrun-ce's default for a value the user must set


def make_setting(
    name: SettingName,
    value: Any,
    key: str,
    source: SourceKind,
    path: DataPath,
    problems: list[SourceProblem],
    *,
    compose: bool = False,
) -> Setting | None:
    """A setting from a value as the source holds it; None (and a problem) when the value
    is not a string where one is needed."""
    if value is None:
        return Setting(name, ValueState.EMPTY, None, key, source, path, on_key=True)
    if not isinstance(value, str):
        problems.append(
            SourceProblem(ProblemKind.INVALID, f"{key} must be a string; quote it", path)
        )
        return None
    return Setting(name, *setting_state(name, value, compose=compose), key, source, path)


def setting_state(
    name: SettingName, text: str | None, *, compose: bool
) -> tuple[ValueState, str | None]:
    """How a setting's text is known (module docstring of `mlrun_settings.py`)."""
    if text is None or not text.strip() or text.strip() in _SENTINELS:
        return ValueState.EMPTY, text
    if name is SettingName.REGISTRY_URL:
        text = redact_userinfo(text)  # credentials in a URL never reach a record
    if name in _TEMPLATES:
        return ValueState.LITERAL, text
    if has_template(text) or (compose and _compose_variable(text)):
        return ValueState.PLACEHOLDER, text
    return ValueState.LITERAL, text


def _compose_variable(text: str) -> bool:
    """Compose interpolates `$VAR` too (`$$` is a literal `$`)."""
    return "$" in text.replace("$$", "")


def env_setting_name(key: Any) -> SettingName | None:
    """The setting an environment variable sets, or None (MLRun lower-cases the name
    after its case-sensitive `MLRUN_` prefix)."""
    if not isinstance(key, str) or not key.startswith(_ENV_PREFIX):
        return None
    return ENV_NAMES.get(key[len(_ENV_PREFIX) :].lower())


def env_value(value: Any) -> Any:
    """MLRun's `read_env` decodes a value that is JSON: `"null"` unsets, `"\\"x\\""` is x."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped == "null":
            return None
        if stripped.startswith('"') and len(stripped) < 65536:
            try:
                decoded = json.loads(stripped)
            except ValueError:
                return value
            return decoded if isinstance(decoded, str) else value
    return value
