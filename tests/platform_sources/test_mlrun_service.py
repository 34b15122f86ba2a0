"""The `mlrun-builder` service a system's MLRun settings make: location, the repository
MLRun pushes to, the image prefix, the namespace, conflicts between files, and MLRun's ECR
hosts (SPEC §6.3)."""

from __future__ import annotations

from typing import Any

import pytest
from platform_sources.loaded import load_fixture

from reglint.platform.mlrun_records import Setting, SettingName, SourceKind
from reglint.platform.mlrun_service import (
    SERVICE_NAME,
    SERVICE_ROLE,
    BuilderService,
    PlacedSetting,
    RegistryLocation,
    builder_service,
    in_cluster_host,
    mlrun_ecr_host_problem,
    mlrun_repository_url,
    template_prefix,
)
from reglint.platform.mlrun_settings import read_mlrun_settings
from reglint.platform.records import ValueState

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"
L, P, E = ValueState.LITERAL, ValueState.PLACEHOLDER, ValueState.EMPTY


def placed(
    name: SettingName,
    value: str | None,
    state: ValueState = L,
    file: str = "values.yaml",
    **kw: Any,
) -> PlacedSetting:
    setting = Setting(name, state, value, name.value, SourceKind.HELM_VALUES, (name.value,), **kw)
    return PlacedSetting(file, 0, setting)


def service(*settings: PlacedSetting) -> BuilderService:
    return builder_service(settings)


def url(value: str | None, state: ValueState = L, **kw: Any) -> PlacedSetting:
    return placed(SettingName.REGISTRY_URL, value, state, **kw)


def test_name_and_role() -> None:
    assert (SERVICE_NAME, SERVICE_ROLE) == ("mlrun-builder", "user")


# fmt: off
LOCATION_CASES = [
    (None, RegistryLocation.ON_CLUSTER, None),
    (url(None, E), RegistryLocation.ON_CLUSTER, None),
    (url("mustprovide", E), RegistryLocation.ON_CLUSTER, None),
    (url("${REGISTRY}", P), RegistryLocation.UNKNOWN, None),
    (url(None, P), RegistryLocation.UNKNOWN, None),  # a valueFrom
    (url("docker-registry.mlrun.svc:5000"), RegistryLocation.ON_CLUSTER, "docker-registry.mlrun.svc:5000/mlrun"),
    (url("registry.kube-system.svc.cluster.local/ml"), RegistryLocation.ON_CLUSTER, "registry.kube-system.svc.cluster.local/ml"),
    (url("localhost:5000"), RegistryLocation.ON_CLUSTER, "localhost:5000/mlrun"),
    (url("127.0.0.1:5000/ml"), RegistryLocation.ON_CLUSTER, "127.0.0.1:5000/ml"),
    (url("[::1]:5000"), RegistryLocation.ON_CLUSTER, "[::1]:5000/mlrun"),
    (url("Registry.Mlrun.SVC:5000"), RegistryLocation.ON_CLUSTER, "Registry.Mlrun.SVC:5000/mlrun"),
    (url(ECR), RegistryLocation.EXTERNAL, f"{ECR}/mlrun"),
    (url(f"{ECR}/ml-prod"), RegistryLocation.EXTERNAL, f"{ECR}/ml-prod"),
    (url("registry:5000"), RegistryLocation.EXTERNAL, "registry:5000/mlrun"),  # not in the SPEC's list
    (url("https://svc.example.com"), RegistryLocation.EXTERNAL, "https://svc.example.com"),  # RL102's
]
# fmt: on


@pytest.mark.parametrize(("setting", "location", "repository_url"), LOCATION_CASES)
def test_location(
    setting: PlacedSetting | None, location: RegistryLocation, repository_url: str | None
) -> None:
    built = service(*([setting] if setting else []))
    assert (built.location, built.repository_url) == (location, repository_url)


@pytest.mark.parametrize(
    ("host", "inside"),
    [
        ("a.svc", True), ("a.b.svc.cluster.local", True), ("localhost", True), ("127.8.9.1", True),
        ("[::1]", True), ("svc.example.com", False), ("a.svc.example.com", False), ("10.0.0.1", False),
        ("cluster.local", False), ("localhost.example.com", False),
    ],
)  # fmt: skip
def test_in_cluster_host(host: str, inside: bool) -> None:
    assert in_cluster_host(host) is inside


# fmt: off
REPOSITORY_CASES = [
    (ECR, f"{ECR}/mlrun"),
    (f"{ECR}/", f"{ECR}/mlrun"),
    (f"{ECR}/ml-prod", f"{ECR}/ml-prod"),
    (f"{ECR}/ml/prod/", f"{ECR}/ml/prod/"),
    ("team", "team/mlrun"),  # MLRun reads a URL without '/' as a registry, never as a repository
    ("team/ml", "team/ml"),  # a Docker Hub repository
    ("  quay.io ", "quay.io/mlrun"),
]
# fmt: on


@pytest.mark.parametrize(("value", "expected"), REPOSITORY_CASES)
def test_mlrun_repository_url(value: str, expected: str) -> None:
    assert mlrun_repository_url(value) == expected


@pytest.mark.parametrize(
    ("template", "prefix"),
    [
        ("func-{project}-{name}", "func-"),
        ("{project}-{name}", ""),
        ("some-unique-prefix/{{ .ProjectName }}-{{ .FunctionName }}", "some-unique-prefix/"),
        ("team-${TEAM}-{project}", "team-"),
        ("$(PREFIX){name}", ""),
        ("fixed-", "fixed-"),
        ("", ""),
    ],
)
def test_template_prefix(template: str, prefix: str) -> None:
    assert template_prefix(template) == prefix


# fmt: off
NAMESPACE_CASES = [
    ([url(ECR)], f"{ECR}/mlrun/func-"),  # MLRun's defaults: repository mlrun, template func-…
    ([url(f"{ECR}/ml-prod")], f"{ECR}/ml-prod/func-"),
    ([url(f"{ECR}/ml-prod/")], f"{ECR}/ml-prod/func-"),
    ([url("index.docker.io/team")], "docker.io/team/func-"),
    ([url("team")], "docker.io/team/mlrun/func-"),
    ([url(ECR), placed(SettingName.PREFIX_TEMPLATE, "prod-{project}-{name}")], f"{ECR}/mlrun/prod-"),
    ([url(ECR), placed(SettingName.NUCLIO_PREFIX_TEMPLATE, "prod/{{ .ProjectName }}")], f"{ECR}/mlrun/prod/"),
    ([url(ECR), placed(SettingName.PREFIX_TEMPLATE, "prod-a-{name}"),
      placed(SettingName.NUCLIO_PREFIX_TEMPLATE, "prod-b-{{ .FunctionName }}")], f"{ECR}/mlrun/prod-"),
    ([url(ECR), placed(SettingName.PREFIX_TEMPLATE, "{project}")], f"{ECR}/mlrun/"),
    ([url("docker-registry.ml.svc:5000")], "docker-registry.ml.svc:5000/mlrun/func-"),
]
# fmt: on


@pytest.mark.parametrize(("settings", "namespace"), NAMESPACE_CASES)
def test_namespace(settings: list[PlacedSetting], namespace: str) -> None:
    built = service(*settings)
    assert built.namespace is not None and built.namespace.text == namespace


@pytest.mark.parametrize(
    "settings",
    [
        [],
        [url(None, E)],
        [url("${REGISTRY}", P)],
        [url("https://registry.example.com")],  # invalid: RL102 speaks, no namespace
        [url(ECR), placed(SettingName.PREFIX_TEMPLATE, None, P)],  # a template from valueFrom
    ],
)
def test_no_namespace(settings: list[PlacedSetting]) -> None:
    assert service(*settings).namespace is None


def test_templates_in_effect_for_rl104() -> None:
    built = service(url(ECR), placed(SettingName.PREFIX_TEMPLATE, "Prod-{project}"))
    [template] = built.templates
    assert template.prefix == "Prod-" and template.setting is not None
    assert built.image_prefix == "Prod-"
    [default] = service(url(ECR)).templates
    assert (default.setting, default.prefix) == (None, "func-")


def test_shadowed_settings_take_no_part() -> None:
    built = service(url("r.example.com", shadowed=True), url(ECR))
    assert built.url is not None and built.url.setting.value == ECR
    assert built.conflicts == ()


# fmt: off
CONFLICT_CASES = [
    # URLs of one system in several files: the first (by file) is used, the others conflict
    ([url(ECR, file="a.yaml"), url("r.example.com", file="b.yaml")], ECR, ["r.example.com"]),
    ([url("r.example.com", file="b.yaml"), url(ECR, file="a.yaml")], ECR, ["r.example.com"]),
    ([url(f"{ECR}/ml", file="a.yaml"), url(f"{ECR}/ml/", file="b.yaml")], f"{ECR}/ml", []),  # one namespace
    ([url(ECR, file="a.yaml"), url(f"{ECR}/mlrun", file="b.yaml")], ECR, []),  # MLRun's default repository
    ([url(ECR, file="a.yaml"), url("${R}", P, file="b.yaml")], ECR, []),  # a placeholder never conflicts
    ([url(None, E, file="a.yaml"), url(ECR, file="b.yaml")], ECR, []),  # unset does not override
]
# fmt: on


@pytest.mark.parametrize(("settings", "chosen", "others"), CONFLICT_CASES)
def test_url_conflicts(settings: list[PlacedSetting], chosen: str, others: list[str]) -> None:
    built = service(*settings)
    assert built.url is not None and built.url.setting.value == chosen
    conflicts = [c for c in built.conflicts if c.name is SettingName.REGISTRY_URL]
    assert [o.setting.value for c in conflicts for o in c.others] == others
    if conflicts:
        assert conflicts[0].chosen == built.url


def test_secret_and_template_conflicts() -> None:
    built = service(
        placed(SettingName.BUILDER_SECRET, "a", file="a.yaml"),
        placed(SettingName.BUILDER_SECRET, "b", file="b.yaml"),
        placed(SettingName.PREFIX_TEMPLATE, "x-{name}", file="a.yaml"),
        placed(SettingName.PREFIX_TEMPLATE, "x-{project}", file="b.yaml"),  # same prefix: agrees
    )
    assert [
        (c.name, c.chosen.setting.value, [o.setting.value for o in c.others])
        for c in built.conflicts
    ] == [(SettingName.BUILDER_SECRET, "a", ["b"])]
    assert built.builder_secret is not None and built.builder_secret.setting.value == "a"


def test_secret_names_in_effect() -> None:
    built = service(
        placed(SettingName.BUILDER_SECRET, None, E),
        placed(SettingName.PULL_SECRET, "${PULL}", P),
        placed(SettingName.KANIKO_SECRET, "aws-credentials"),
    )
    assert built.builder_secret is None
    assert built.pull_secret is not None and built.pull_secret.setting.state is P
    assert (
        built.kaniko_secret is not None and built.kaniko_secret.setting.value == "aws-credentials"
    )


def test_fixture_service() -> None:
    settings = [
        PlacedSetting("mlrun-ce-values.yaml", i, s)
        for i, d in enumerate(load_fixture("mlrun-ce-values.yaml"))
        for s in read_mlrun_settings(d.data).settings
    ]
    built = builder_service(settings)
    assert built.location is RegistryLocation.EXTERNAL
    assert built.namespace is not None
    # both templates are set (ml-prod-…, ml-prod/…): the namespace takes their common prefix
    assert built.namespace.text == f"{ECR}/ml-prod/ml-prod"
    assert [t.prefix for t in built.templates] == ["ml-prod-", "ml-prod/"]
    assert (
        built.builder_secret is not None and built.builder_secret.setting.value == "aws-credentials"
    )
    assert (
        built.pull_secret is not None
        and built.pull_secret.setting.value == "ecr-registry-credentials"
    )
    assert built.conflicts == ()


# fmt: off
ECR_CASES = [
    (ECR, None),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", None),  # MLRun's test passes
    ("123456789012.dkr.ecr.us-gov-west-1.amazonaws.com", None),
    ("123456789012.dkr-ecr.us-east-2.on.aws",
     ("does not recognise a dual-stack ECR host as ECR, so it never creates the repositories its "
      f"builds push to: use '{ECR}'")),
    ("123456789012.dkr.ecr.us-east-2.on.aws", "a dual-stack ECR host"),
    ("123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn",
     "use '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'"),
    ("123456789012.dkr.ecr-fips.us-east-2.amazonaws.com", "does not recognise a FIPS ECR host as ECR"),
    ("123456789012.dkr-ecr-fips.us-east-2.on.aws", f"a dual-stack ECR host as ECR, so it never creates the repositories its builds push to: use '{ECR}'"),
    ("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "not on '.c2s.ic.gov' ones"),
    ("12345.dkr.ecr.us-east-2.amazonaws.com", None),  # broken: RL103's own errors speak
    ("public.ecr.aws", None),
    ("registry.example.com", None),
]
# fmt: on


@pytest.mark.parametrize(("host", "words"), ECR_CASES)
def test_mlrun_ecr_host_problem(host: str, words: str | None) -> None:
    problem = mlrun_ecr_host_problem(host)
    if words is None:
        assert problem is None
    else:
        assert problem is not None and words in problem
