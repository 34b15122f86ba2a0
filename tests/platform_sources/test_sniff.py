"""The bytes-level sniff that finds registry Secrets and MLRun settings (SPEC §6.6, §1.3):
every marker in every encoding reglint's sniff uses, every fixture found, ordinary files
passed over."""

from __future__ import annotations

from pathlib import Path

import pytest
from platform_sources.loaded import FIXTURES

from reglint.loading.sniff import mentions_reglint_content
from reglint.platform.sniff import mentions_platform_source

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")

# fmt: off
SOURCES = {
    "dockerconfigjson secret": "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30=\n",
    "dockercfg secret": '{"kind": "Secret", "data": {".dockercfg": "e30="}}',
    "aws credentials secret": "kind: Secret\ntype: Opaque\nstringData:\n  credentials: x\n",
    "sealed secret": "kind: SealedSecret\nmetadata: {name: regcred}\n",
    "external secret": "kind: ExternalSecret\nspec: {target: {name: regcred}}\n",
    "helm global registry": "global:\n  registry:\n    url: r.example.com\n",
    "helm json values": '{"global": {"registry": {"url": "r.example.com"}}}',
    "helm mlrun url": "mlrun:\n  defaultDockerRegistryURL: r.example.com\n",
    "helm mlrun secret": "mlrun:\n  defaultDockerRegistrySecretName: regcred\n",
    "nuclio kaniko secret": "nuclio:\n  dashboard:\n    kaniko:\n      registryProviderSecretName: aws\n",
    "nuclio template": "nuclio:\n  dashboard:\n    imageNamePrefixTemplate: x-\n",
    "workload env": "env:\n  - name: MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY\n    value: r.example.com\n",
    "compose list": "services:\n  api:\n    environment:\n      - MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET=x\n",
}
ORDINARY = {
    "deployment": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      imagePullSecrets: [{name: x}]\n"
                  "      containers: [{name: a, image: ghcr.io/acme/a, env: [{name: MLRUN_DBPATH, value: x}]}]\n",
    "secret without credentials": "kind: Secret\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\n",
    "values with registry only": "image:\n  registry: docker.io\n  repository: bitnami/redis\n",
    "values with global only": "global:\n  imagePullSecrets: []\n",
    "package.json": '{"name": "app", "publishConfig": {"registry": "https://npm.example.com"}}',
    "compose": "services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: example}\n",
    "mlrun without registry": "mlrun:\n  api:\n    image: {tag: 1.7.0}\n",
}
# fmt: on


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_is_found_in_every_encoding(name: str, encoding: str) -> None:
    assert mentions_platform_source(SOURCES[name].encode(encoding))


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_files_are_passed_over(name: str, encoding: str) -> None:
    assert not mentions_platform_source(ORDINARY[name].encode(encoding))


def test_a_pair_must_be_in_one_encoding() -> None:
    # `global:` in UTF-16 and `registry:` in UTF-8 are not one file's text
    assert not mentions_platform_source("global:".encode("utf-16-le") + b"\nregistry:\n")


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_every_fixture_is_found(path: Path) -> None:
    raw = path.read_bytes()
    assert mentions_platform_source(raw)
    assert not mentions_reglint_content(raw)  # reglint's own sniff would never parse them


# The markers as SPEC §6.3's issue and the module docstring list them, searched one by
# one: the gated sniff must decide exactly as this does.
WORDS = (
    "dockerconfigjson", "dockercfg", "MLRUN_HTTPDB__BUILDER__", "SealedSecret",
    "ExternalSecret", "registryProviderSecretName", "imageNamePrefixTemplate",
)  # fmt: skip
PAIRS = (
    ("Secret", "credentials"), ("global:", "registry:"), ('"global"', '"registry"'),
    ("mlrun:", "defaultDockerRegistry"),
)  # fmt: skip


def reference(text: str) -> bool:
    return any(w in text for w in WORDS) or any(a in text and b in text for a, b in PAIRS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32-be"])
def test_gated_sniff_decides_as_the_markers_one_by_one(encoding: str) -> None:
    markers = sorted({*WORDS, *(m for pair in PAIRS for m in pair)})
    assert len(markers) == 15
    for bits in range(1 << len(markers)):
        text = " ".join(m for i, m in enumerate(markers) if bits >> i & 1)
        assert mentions_platform_source(text.encode(encoding)) is reference(text), text
