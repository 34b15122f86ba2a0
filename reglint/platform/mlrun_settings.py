"""MLRun's registry settings, read from Helm values, Kubernetes workloads, ConfigMaps and
Docker Compose files (SPEC §6.3).

What MLRun reads, verified against its own code and charts:

- mlrun/mlrun `mlrun/config.py`: `httpdb.builder.docker_registry`,
  `httpdb.builder.docker_registry_secret` and
  `httpdb.builder.function_target_image_name_prefix_template` (default
  `func-{project}-{name}`). `read_env` maps `MLRUN_A__B` to `a.b`: after the
  case-sensitive `MLRUN_` prefix the name is lower-cased, and a value that is JSON is
  decoded (`"null"` unsets it).
- v3io/helm-charts `stable/mlrun` (the chart mlrun-ce installs as `mlrun`): the API
  Deployments set `MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY` to
  `coalesce .Values.defaultDockerRegistryURL .Values.global.registry.url` and
  `…_DOCKER_REGISTRY_SECRET` to `coalesce .Values.defaultDockerRegistrySecretName
  .Values.global.registry.secretName` (since #937, 2023; before it `global` won), then
  append `api.extraEnv` and `api.extraEnvKeyValue`, which therefore override them.
- mlrun/ce `charts/mlrun-ce/values.yaml` and README: `global.registry.url` /
  `secretName` (aliased as `mlrun.global.registry`), `mlrun.defaultDockerRegistrySecretName`
  and `nuclio.dashboard.kaniko.registryProviderSecretName` (an AWS credentials Secret for
  ECR), `nuclio.dashboard.imageNamePrefixTemplate` (a Go template:
  `some-unique-prefix/{{ .ProjectName }}-{{ .FunctionName }}`); the chart's default URL is
  the sentinel `mustprovide`.
- nuclio/nuclio `hack/k8s/helm/nuclio/values.yaml`: `dashboard.imageNamePrefixTemplate`,
  `dashboard.kaniko.registryProviderSecretName`.

Each `Setting` keeps the data path of its value, so findings about it sit there; when
`on_key` is set (a `valueFrom` mapping, a null value) they sit at the key
(`span_of(path, on_key=True)`). Within one *scope* — a Helm values root, a container, a
ConfigMap, a compose service — the setting MLRun would not use is `shadowed` (the chart's
coalesce order; for environment lists, the last entry of a name wins, even an empty one).

Decisions:

- A value with a template part (`${…}`, `{{ … }}`; in compose files also `$VAR`) is a
  PLACEHOLDER, and so is a `valueFrom` or a compose variable taken from the shell: unknown,
  never unset. Image-name prefix templates are the exception: `{…}` is their own syntax, so
  they stay literal and the service takes their literal start (`mlrun_service.py`).
- `mustprovide`, null and "" leave a setting unset (EMPTY).
- Helm values are read at the top level and under `mlrun-ce:` (an umbrella chart that
  depends on mlrun-ce); ConfigMaps (`mlrun-override-env`, loaded by `envFrom`) and a
  chart's `api.extraEnv`/`api.extraEnvKeyValue` are read like a container's `env`.
- Only regular containers are read, not init containers: MLRun's API runs in the former.
- A non-string value where Kubernetes or the chart needs a string is INVALID (the API
  server rejects an unquoted number in `env`); compose accepts numbers and booleans.
- Nothing but these settings is kept: other environment values may be secrets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from reglint.platform.mlrun_records import (
    RankedSetting,
    Setting,
    SettingName,
    Settings,
    SourceKind,
    env_setting_name,
    env_value,
    make_setting,
    setting_state,
)
from reglint.platform.records import DataPath, SourceProblem, ValueState

__all__ = ["read_mlrun_settings"]


_POD_SPECS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# Helm values, in the chart's coalesce order (lowest first): (path, name).
_HELM_KEYS: tuple[tuple[tuple[str, ...], SettingName], ...] = (
    (("global", "registry", "url"), SettingName.REGISTRY_URL),
    (("global", "registry", "secretName"), SettingName.BUILDER_SECRET),
    (("global", "registry", "secretName"), SettingName.PULL_SECRET),
    (("mlrun", "defaultDockerRegistryURL"), SettingName.REGISTRY_URL),
    (("mlrun", "defaultDockerRegistrySecretName"), SettingName.BUILDER_SECRET),
    (("nuclio", "dashboard", "kaniko", "registryProviderSecretName"), SettingName.KANIKO_SECRET),
    (("nuclio", "dashboard", "imageNamePrefixTemplate"), SettingName.NUCLIO_PREFIX_TEMPLATE),
)
_UMBRELLA_KEY = "mlrun-ce"
_MAX_ITEMS = 10_000  # containers, env entries, services, List items read per document


def read_mlrun_settings(data: Any) -> Settings:
    """MLRun settings of one parsed document (module docstring)."""
    problems: list[SourceProblem] = []
    scopes = list(_scopes(data, problems))
    settings = tuple(s for scope in scopes for s in _resolve(scope))
    return Settings(settings, tuple(problems))


def _scopes(data: Any, problems: list[SourceProblem]) -> Iterator[list[RankedSetting]]:
    if not isinstance(data, dict):
        return
    kind = data.get("kind")
    if isinstance(kind, str) and "apiVersion" in data:
        yield from _kubernetes_scopes(data, (), problems)
        return
    roots: list[tuple[dict[str, Any], DataPath]] = [(data, ())]
    if isinstance(data.get(_UMBRELLA_KEY), dict):
        roots.append((data[_UMBRELLA_KEY], (_UMBRELLA_KEY,)))
    for root, base in roots:
        yield _helm_scope(root, base, problems)
    services = data.get("services")
    if isinstance(services, dict):
        for name, service in list(services.items())[:_MAX_ITEMS]:
            if isinstance(service, dict) and "environment" in service:
                path = ("services", name, "environment")
                yield list(_compose_env(service["environment"], path, problems))


def _kubernetes_scopes(
    obj: dict[str, Any], base: DataPath, problems: list[SourceProblem]
) -> Iterator[list[RankedSetting]]:
    kind = obj.get("kind")
    if kind == "List" and isinstance(obj.get("items"), list):
        for index, item in enumerate(obj["items"][:_MAX_ITEMS]):
            if isinstance(item, dict):
                yield from _kubernetes_scopes(item, (*base, "items", index), problems)
    elif kind == "ConfigMap" and isinstance(obj.get("data"), dict):
        entries = ((k, v, (*base, "data", k)) for k, v in obj["data"].items())
        yield list(_env_map(entries, SourceKind.CONFIG_MAP, problems))
    elif isinstance(kind, str) and kind in _POD_SPECS:
        spec, path = _walk(obj, _POD_SPECS[kind], base)
        containers = spec.get("containers") if isinstance(spec, dict) else None
        if isinstance(containers, list):
            for index, container in enumerate(containers[:_MAX_ITEMS]):
                if isinstance(container, dict) and isinstance(container.get("env"), list):
                    env_path = (*path, "containers", index, "env")
                    yield list(
                        _env_list(container["env"], env_path, SourceKind.WORKLOAD_ENV, problems)
                    )


def _helm_scope(
    root: dict[str, Any], base: DataPath, problems: list[SourceProblem]
) -> list[RankedSetting]:
    candidates: list[RankedSetting] = []
    for rank, (keys, name) in enumerate(_HELM_KEYS):
        if keys[0] == "global" and _walk(root, keys[:2], ())[0] is None:
            keys = ("mlrun", *keys)  # mlrun-ce also writes it as mlrun.global.registry
        parent, parent_path = _walk(root, keys[:-1], base)
        if not isinstance(parent, dict) or keys[-1] not in parent:
            continue
        path = (*parent_path, keys[-1])
        key = ".".join(str(step) for step in (*base, *keys))
        setting = make_setting(name, parent[keys[-1]], key, SourceKind.HELM_VALUES, path, problems)
        if setting is not None:
            candidates.append(RankedSetting(setting, rank, coalesce=True))
    api, api_path = _walk(root, ("mlrun", "api"), base)
    if isinstance(api, dict):
        rank = len(_HELM_KEYS)
        extra = api.get("extraEnv")
        if isinstance(extra, list):
            for candidate in _env_list(
                extra, (*api_path, "extraEnv"), SourceKind.HELM_VALUES, problems
            ):
                candidates.append(candidate._replace(rank=rank + candidate.rank))
        pairs = api.get("extraEnvKeyValue")
        if isinstance(pairs, dict):
            entries = ((k, v, (*api_path, "extraEnvKeyValue", k)) for k, v in pairs.items())
            for candidate in _env_map(entries, SourceKind.HELM_VALUES, problems):
                candidates.append(candidate._replace(rank=rank + _MAX_ITEMS + 1))
    return candidates


def _env_list(
    items: list[Any], path: DataPath, source: SourceKind, problems: list[SourceProblem]
) -> Iterator[RankedSetting]:
    """A Kubernetes `env` list: `{name, value}` or `{name, valueFrom}`; the last wins."""
    for index, item in enumerate(items[:_MAX_ITEMS]):
        if not isinstance(item, dict):
            continue
        name = env_setting_name(item.get("name"))
        if name is None:
            continue
        key = str(item["name"])
        setting: Setting | None
        if "valueFrom" in item:
            valued_from = (*path, index, "valueFrom")
            setting = Setting(
                name, ValueState.PLACEHOLDER, None, key, source, valued_from, on_key=True
            )
        elif "value" in item:
            setting = make_setting(
                name, env_value(item["value"]), key, source, (*path, index, "value"), problems
            )
        else:  # Kubernetes sets the variable to ""
            setting = Setting(name, ValueState.EMPTY, None, key, source, (*path, index))
        if setting is not None:
            yield RankedSetting(setting, index, coalesce=False)


def _env_map(
    entries: Iterable[tuple[Any, Any, DataPath]], source: SourceKind, problems: list[SourceProblem]
) -> Iterator[RankedSetting]:
    for key, value, path in entries:
        name = env_setting_name(key)
        if name is not None:
            setting = make_setting(name, env_value(value), str(key), source, path, problems)
            if setting is not None:
                yield RankedSetting(setting, 0, coalesce=False)


def _compose_env(
    environment: Any, path: DataPath, problems: list[SourceProblem]
) -> Iterator[RankedSetting]:
    """`environment:` as a map (a null value comes from the shell) or a `KEY=VALUE` list
    (a bare `KEY` comes from the shell)."""
    source = SourceKind.COMPOSE_ENV
    if isinstance(environment, dict):
        for key, value in list(environment.items())[:_MAX_ITEMS]:
            name = env_setting_name(key)
            if name is None:
                continue
            item_path = (*path, key)
            if value is None:
                from_shell = Setting(
                    name, ValueState.PLACEHOLDER, None, str(key), source, item_path, on_key=True
                )
                yield RankedSetting(from_shell, 0, coalesce=False)
                continue
            text = (
                value if isinstance(value, str) else json.dumps(value)
            )  # compose: numbers, booleans
            setting = make_setting(
                name, env_value(text), str(key), source, item_path, problems, compose=True
            )
            if setting is not None:
                yield RankedSetting(setting, 0, coalesce=False)
    elif isinstance(environment, list):
        for index, item in enumerate(environment[:_MAX_ITEMS]):
            if not isinstance(item, str):
                continue
            key, equals, value = item.partition("=")
            name = env_setting_name(key)
            if name is None:
                continue
            item_path = (*path, index)
            if not equals:
                setting = Setting(name, ValueState.PLACEHOLDER, None, key, source, item_path)
            else:
                setting = Setting(
                    name,
                    *setting_state(name, env_value(value), compose=True),
                    key,
                    source,
                    item_path,
                )
            yield RankedSetting(setting, index, coalesce=False)


def _resolve(scope: list[RankedSetting]) -> Iterator[Setting]:
    """Mark every candidate MLRun would not use as shadowed (module docstring)."""
    for name in SettingName:
        ranked = sorted((c for c in scope if c.setting.name is name), key=lambda c: c.rank)
        winner = next(
            (
                c
                for c in reversed(ranked)
                if not (c.coalesce and c.setting.state is ValueState.EMPTY)
            ),
            ranked[-1] if ranked else None,
        )
        for candidate in ranked:
            yield candidate.setting._replace(shadowed=candidate is not winner)


def _walk(root: Any, keys: tuple[str, ...], base: DataPath) -> tuple[Any, DataPath]:
    node = root
    for key in keys:
        if not isinstance(node, dict):
            return None, base
        node = node.get(key)
    return node, (*base, *keys)
