"""MLRun settings from Helm values, Kubernetes workloads, ConfigMaps and compose files:
key names, precedence, placeholders, problems and positions (SPEC §6.3)."""

from __future__ import annotations

from typing import Any

import pytest
from platform_sources.loaded import FIXTURES, line_of, load_fixture

from reglint.platform.mlrun_records import Setting, SettingName, SourceKind
from reglint.platform.mlrun_settings import read_mlrun_settings
from reglint.platform.records import ProblemKind, ValueState

URL, BUILDER, PULL = SettingName.REGISTRY_URL, SettingName.BUILDER_SECRET, SettingName.PULL_SECRET
L, P, E = ValueState.LITERAL, ValueState.PLACEHOLDER, ValueState.EMPTY
ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
ENV_URL = "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY"
ENV_SECRET = "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET"
ENV_TEMPLATE = "MLRUN_HTTPDB__BUILDER__FUNCTION_TARGET_IMAGE_NAME_PREFIX_TEMPLATE"


def settings_of(data: Any, name: SettingName | None = None) -> list[Setting]:
    read = read_mlrun_settings(data)
    assert read.problems == ()
    return [s for s in read.settings if name is None or s.name is name]


def in_effect(data: Any, name: SettingName) -> list[tuple[str, ValueState, str | None]]:
    return [(s.key, s.state, s.value) for s in settings_of(data, name) if not s.shadowed]


# fmt: off
HELM_URL_CASES = [
    ({"global": {"registry": {"url": ECR}}}, [("global.registry.url", L, ECR)]),
    ({"global": {"registry": {"url": "r.example.com"}}, "mlrun": {"defaultDockerRegistryURL": ECR}},
     [("mlrun.defaultDockerRegistryURL", L, ECR)]),  # the chart's coalesce: mlrun's wins
    ({"global": {"registry": {"url": ECR}}, "mlrun": {"defaultDockerRegistryURL": ""}},
     [("global.registry.url", L, ECR)]),  # an empty value falls through
    ({"global": {"registry": {"url": ECR}}, "mlrun": {"defaultDockerRegistryURL": "${URL}"}},
     [("mlrun.defaultDockerRegistryURL", P, "${URL}")]),
    ({"mlrun": {"global": {"registry": {"url": ECR}}}}, [("mlrun.global.registry.url", L, ECR)]),
    ({"global": {"registry": {"url": "mustprovide"}}}, [("global.registry.url", E, "mustprovide")]),
    ({"global": {"registry": {"url": None}}}, [("global.registry.url", E, None)]),
    ({"mlrun-ce": {"mlrun": {"defaultDockerRegistryURL": ECR}}}, [("mlrun-ce.mlrun.defaultDockerRegistryURL", L, ECR)]),
    ({"mlrun": {"defaultDockerRegistryURL": ECR,
                "api": {"extraEnv": [{"name": ENV_URL, "value": "r1.example.com"}]}}},
     [(ENV_URL, L, "r1.example.com")]),  # appended to the env list: it overrides
    ({"mlrun": {"api": {"extraEnv": [{"name": ENV_URL, "value": "r1.example.com"}],
                        "extraEnvKeyValue": {ENV_URL: "r2.example.com"}}}},
     [(ENV_URL, L, "r2.example.com")]),  # the chart skips extraEnv names that extraEnvKeyValue has
    ({"mlrun": {"defaultDockerRegistryURL": ECR, "api": {"extraEnvKeyValue": {ENV_URL: ""}}}},
     [(ENV_URL, E, "")]),  # an env variable set to "" unsets it, even over the chart's value
]
# fmt: on


@pytest.mark.parametrize(("values", "expected"), HELM_URL_CASES)
def test_helm_url_precedence(
    values: dict[str, Any], expected: list[tuple[str, ValueState, str | None]]
) -> None:
    assert in_effect(values, URL) == expected


def test_helm_secret_names() -> None:
    values = {
        "global": {"registry": {"secretName": "ecr-registry-credentials"}},
        "mlrun": {"defaultDockerRegistrySecretName": "aws-credentials"},
        "nuclio": {"dashboard": {"kaniko": {"registryProviderSecretName": "aws-credentials"},
                                 "imageNamePrefixTemplate": "ml/{{ .ProjectName }}-"}},
    }  # fmt: skip
    assert in_effect(values, BUILDER) == [
        ("mlrun.defaultDockerRegistrySecretName", L, "aws-credentials")
    ]
    assert in_effect(values, PULL) == [
        ("global.registry.secretName", L, "ecr-registry-credentials")
    ]
    assert in_effect(values, SettingName.KANIKO_SECRET) == [
        ("nuclio.dashboard.kaniko.registryProviderSecretName", L, "aws-credentials")
    ]
    # a prefix template's `{{ … }}` is its own syntax, not a placeholder
    assert in_effect(values, SettingName.NUCLIO_PREFIX_TEMPLATE) == [
        ("nuclio.dashboard.imageNamePrefixTemplate", L, "ml/{{ .ProjectName }}-")
    ]


def test_global_secret_name_is_the_builder_secret_when_mlrun_sets_none() -> None:
    values = {"global": {"registry": {"secretName": "regcred"}}}
    assert in_effect(values, BUILDER) == [("global.registry.secretName", L, "regcred")]
    assert in_effect(values, PULL) == [("global.registry.secretName", L, "regcred")]


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"global": {"registry": {"url": 5000}}}, "global.registry.url"),
        (
            {"mlrun": {"defaultDockerRegistrySecretName": ["x"]}},
            "mlrun.defaultDockerRegistrySecretName",
        ),
        ({"mlrun": {"api": {"extraEnvKeyValue": {ENV_URL: True}}}}, ENV_URL),
    ],
)
def test_non_string_values_are_invalid(values: dict[str, Any], key: str) -> None:
    read = read_mlrun_settings(values)
    [problem] = read.problems
    assert problem.kind is ProblemKind.INVALID
    assert problem.message == f"{key} must be a string; quote it"
    assert not [s for s in read.settings if s.key == key]


def test_documents_with_no_settings() -> None:
    for data in (None, [], "x", {"replicaCount": 2, "image": {"registry": "docker.io"}}):
        assert read_mlrun_settings(data).settings == ()


# --- Kubernetes workloads and ConfigMaps ------------------------------------------

POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def workload(kind: str, env: list[Any], init_env: list[Any] | None = None) -> dict[str, Any]:
    pod: dict[str, Any] = {"containers": [{"name": "api", "env": env}]}
    if init_env is not None:
        pod["initContainers"] = [{"name": "init", "env": init_env}]
    doc: dict[str, Any] = pod
    for key in reversed(POD_SPEC_PATHS[kind]):
        doc = {key: doc}
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "mlrun-api"}, **doc}


@pytest.mark.parametrize("kind", sorted(POD_SPEC_PATHS))
def test_every_workload_kind(kind: str) -> None:
    [setting] = settings_of(workload(kind, [{"name": ENV_URL, "value": ECR}]))
    assert (setting.name, setting.state, setting.value, setting.source) == (
        URL,
        L,
        ECR,
        SourceKind.WORKLOAD_ENV,
    )
    assert setting.path == (*POD_SPEC_PATHS[kind], "containers", 0, "env", 0, "value")


# fmt: off
ENV_CASES = [
    ([{"name": ENV_URL, "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}}],
     [(ENV_URL, P, None, ("valueFrom",))]),  # unknown, not unset
    ([{"name": ENV_URL}], [(ENV_URL, E, None, ())]),  # Kubernetes sets it to ""
    ([{"name": ENV_URL, "value": "a.example.com"}, {"name": ENV_URL, "value": "b.example.com"}],
     [(ENV_URL, L, "b.example.com", ("value",))]),  # the last one wins
    ([{"name": "MLRUN_httpdb__builder__docker_registry", "value": ECR}],
     [("MLRUN_httpdb__builder__docker_registry", L, ECR, ("value",))]),  # MLRun lower-cases
    ([{"name": ENV_URL, "value": '"quoted.example.com"'}],
     [(ENV_URL, L, "quoted.example.com", ("value",))]),  # MLRun decodes JSON values
    ([{"name": ENV_URL, "value": "null"}], [(ENV_URL, E, None, ("value",))]),
    ([{"name": ENV_URL, "value": "$(REGISTRY)"}], [(ENV_URL, L, "$(REGISTRY)", ("value",))]),
    ([{"name": ENV_SECRET, "value": "regcred"}], [(ENV_SECRET, L, "regcred", ("value",))]),
    ([{"name": ENV_TEMPLATE, "value": "{project}-{name}"}], [(ENV_TEMPLATE, L, "{project}-{name}", ("value",))]),
]
# fmt: on


@pytest.mark.parametrize(("env", "expected"), ENV_CASES)
def test_container_env(env: list[Any], expected: list[tuple[Any, ...]]) -> None:
    settings = [s for s in settings_of(workload("Deployment", env)) if not s.shadowed]
    base = ("spec", "template", "spec", "containers", 0, "env", len(env) - 1)
    assert [(s.key, s.state, s.value, s.path[len(base) :]) for s in settings] == expected
    assert all(s.path[: len(base)] == base for s in settings)


def test_other_variables_and_init_containers_are_not_read() -> None:
    env = [
        {"name": "MLRUN_HTTPDB__DSN", "value": "mysql://root:Pl4nted@db/mlrun"},
        {"name": "mlrun_x"},
    ]
    doc = workload("Deployment", env, init_env=[{"name": ENV_URL, "value": ECR}])
    assert settings_of(doc) == []
    assert "Pl4nted" not in repr(read_mlrun_settings(doc))


def test_an_unquoted_number_in_env_is_invalid() -> None:
    read = read_mlrun_settings(workload("Pod", [{"name": ENV_URL, "value": 5000}]))
    [problem] = read.problems
    assert problem.path == ("spec", "containers", 0, "env", 0, "value")
    assert problem.message == f"{ENV_URL} must be a string; quote it"


def test_two_containers_are_two_scopes() -> None:
    doc = workload("Pod", [{"name": ENV_URL, "value": "a.example.com"}])
    doc["spec"]["containers"].append(
        {"name": "b", "env": [{"name": ENV_URL, "value": "b.example.com"}]}
    )
    assert [(s.value, s.shadowed) for s in settings_of(doc)] == [
        ("a.example.com", False),
        ("b.example.com", False),
    ]


def test_config_map_and_list() -> None:
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "mlrun-override-env"},
                  "data": {ENV_URL: ECR, "MLRUN_LOG_LEVEL": "DEBUG"}}  # fmt: skip
    listed = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [config_map, workload("Pod", [{"name": ENV_SECRET, "value": "s"}])],
    }
    settings = settings_of(listed)
    assert [(s.key, s.source, s.path) for s in settings] == [
        (ENV_URL, SourceKind.CONFIG_MAP, ("items", 0, "data", ENV_URL)),
        (
            ENV_SECRET,
            SourceKind.WORKLOAD_ENV,
            ("items", 1, "spec", "containers", 0, "env", 0, "value"),
        ),
    ]


# --- compose -------------------------------------------------------------------------

# fmt: off
COMPOSE_CASES = [
    ({ENV_URL: "registry:5000"}, [(ENV_URL, L, "registry:5000", (ENV_URL,))]),
    ({ENV_URL: None}, [(ENV_URL, P, None, (ENV_URL,))]),  # taken from the shell
    ({ENV_URL: "${REGISTRY}"}, [(ENV_URL, P, "${REGISTRY}", (ENV_URL,))]),
    ({ENV_URL: "$REGISTRY/ml"}, [(ENV_URL, P, "$REGISTRY/ml", (ENV_URL,))]),  # compose interpolates
    ({ENV_URL: "r.example.com/a$$b"}, [(ENV_URL, L, "r.example.com/a$$b", (ENV_URL,))]),
    ({ENV_URL: 5000}, [(ENV_URL, L, "5000", (ENV_URL,))]),  # compose accepts numbers
    ([f"{ENV_URL}=r.example.com", "OTHER=x"], [(ENV_URL, L, "r.example.com", (0,))]),
    ([f"{ENV_URL}"], [(ENV_URL, P, None, (0,))]),  # a bare name comes from the shell
    ([f"{ENV_URL}=${{R:-r.example.com}}"], [(ENV_URL, P, "${R:-r.example.com}", (0,))]),
    ([f"{ENV_URL}=a.example.com", f"{ENV_URL}=b.example.com"], [(ENV_URL, L, "b.example.com", (1,))]),
    ([f"{ENV_URL}="], [(ENV_URL, E, "", (0,))]),
]
# fmt: on


@pytest.mark.parametrize(("environment", "expected"), COMPOSE_CASES)
def test_compose_environment(environment: Any, expected: list[tuple[Any, ...]]) -> None:
    doc = {"services": {"api": {"image": "mlrun/mlrun-api", "environment": environment}}}
    settings = [s for s in settings_of(doc) if not s.shadowed]
    base = ("services", "api", "environment")
    assert [(s.key, s.state, s.value, s.path[len(base) :]) for s in settings] == expected
    assert all(s.source is SourceKind.COMPOSE_ENV for s in settings)


# --- realistic files: positions -------------------------------------------------------


def positions_of(name: str) -> list[tuple[str, ValueState, str | None, int, bool]]:
    text = (FIXTURES / name).read_text()
    found = []
    for document in load_fixture(name):
        for s in read_mlrun_settings(document.data).settings:
            found.append(
                (
                    s.key,
                    s.state,
                    s.value,
                    document.positions.span(s.path, on_key=s.on_key).line,
                    s.shadowed,
                )
            )
    assert text  # the fixture was read
    return found


def test_mlrun_ce_values_fixture() -> None:
    text = (FIXTURES / "mlrun-ce-values.yaml").read_text()
    found = {
        (key, shadowed): (state, value, line)
        for key, state, value, line, shadowed in positions_of("mlrun-ce-values.yaml")
    }
    url_line = line_of(text, "url: 123456789012")
    assert found[("global.registry.url", True)] == (L, ECR, url_line)
    assert found[("mlrun.defaultDockerRegistryURL", False)] == (
        L,
        f"{ECR}/ml-prod",
        line_of(text, "defaultDockerRegistryURL"),
    )
    assert found[("mlrun.defaultDockerRegistrySecretName", False)][2] == line_of(
        text, "defaultDockerRegistrySecretName"
    )
    assert found[("nuclio.dashboard.kaniko.registryProviderSecretName", False)][2] == line_of(
        text, "registryProviderSecretName"
    )
    assert found[(ENV_TEMPLATE, False)] == (
        L,
        "ml-prod-{project}-{name}",
        line_of(text, ENV_TEMPLATE),
    )
    assert found[("nuclio.dashboard.imageNamePrefixTemplate", False)][2] == line_of(
        text, "imageNamePrefixTemplate"
    )


def test_eks_deployment_fixture() -> None:
    text = (FIXTURES / "eks-deployment.yaml").read_text()
    assert positions_of("eks-deployment.yaml") == [
        (ENV_URL, L, f"{ECR}/ml-prod", line_of(text, f"value: {ECR}"), False),
        (ENV_SECRET, P, None, line_of(text, "configMapKeyRef") - 1, False),  # valueFrom:
    ]


def test_docker_compose_fixture() -> None:
    text = (FIXTURES / "docker-compose.yml").read_text()
    assert positions_of("docker-compose.yml") == [
        (ENV_URL, L, "registry:5000", line_of(text, f"{ENV_URL}: registry:5000"), False),
        (ENV_SECRET, P, None, line_of(text, f"{ENV_SECRET}:"), False),
        (ENV_URL, P, "${REGISTRY}", line_of(text, f"{ENV_URL}=${{REGISTRY}}"), False),
        (ENV_TEMPLATE, L, "lab-{project}-{name}", line_of(text, ENV_TEMPLATE), False),
    ]


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("bob:Pl4nted@r.example.com/ml", "<redacted>@r.example.com/ml"),
        ("https://bob:Pl4nted@r.example.com", "https://<redacted>@r.example.com"),
        ("AKIAX:Pl4nted/With/Slashes@r.example.com", "<redacted>@r.example.com"),
        ("r.example.com/ml@sha256:" + "a" * 64, "r.example.com/ml@sha256:" + "a" * 64),  # a digest
    ],
)
def test_credentials_in_a_url_setting_never_reach_the_record(value: str, stored: str) -> None:
    from reglint.model.reference import FailureKind, parse_reference

    doc = workload("Pod", [{"name": ENV_URL, "value": value}])
    [setting] = settings_of(doc)
    assert setting.value == stored
    assert "Pl4nted" not in repr(read_mlrun_settings(doc))
    failures = parse_reference(stored).failures  # type: ignore[union-attr]
    kinds = {f.kind for f in failures}
    assert (FailureKind.USERINFO in kinds) is ("@r.example" in value)  # RL102 still says so
