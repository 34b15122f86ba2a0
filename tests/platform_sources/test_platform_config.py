"""The `platform-systems` config key (SPEC §6.3, §6.6): which platform system the MLRun
settings of each file configure."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_tree

from reglint.config.files import ConfigError
from reglint.config.settings import load_config
from reglint.files.globs import GlobSet
from reglint.platform.systems import SystemAssignment, assigned_system


def _config(tmp_path: Path, text: str) -> Path:
    write_tree(tmp_path, {".reglint.yaml": text})
    return tmp_path / ".reglint.yaml"


def test_platform_systems_are_read_with_the_default_tenant(tmp_path: Path) -> None:
    config = load_config(
        _config(
            tmp_path,
            "platform-systems:\n"
            "  'clusters/prod/*': {system: ml-prod, environment: production}\n"
            "  'clusters/lab/values.yaml': {system: lab, environment: playground, tenant: research}\n",
        )
    )
    assert dict(config.platform_systems) == {
        "clusters/prod/*": SystemAssignment("ml-prod", "production", "default"),
        "clusters/lab/values.yaml": SystemAssignment("lab", "playground", "research"),
    }


def test_no_platform_systems_by_default() -> None:
    assert dict(load_config(None).platform_systems) == {}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("platform-systems: {'a/*': {system: x}}\n", r"platform-systems.*environment"),
        ("platform-systems: {'a/*': {system: x, environment: prod}}\n", r"platform-systems.*environment"),
        ("platform-systems: {'a/*': {system: '', environment: production}}\n", r"platform-systems.*system"),
        ("platform-systems: {'a/*': {system: x, environment: production, name: y}}\n", r"unknown key 'name' in platform-systems"),
        ("platform-systems: {'a/*': ml-prod}\n", r"platform-systems"),
        ("platform-systems: {'!': {system: x, environment: production}}\n", r"platform-systems: invalid glob '!'"),
    ],
)
def test_a_bad_platform_system_names_the_key(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_config(_config(tmp_path, text))


def test_at_most_1000_globs(tmp_path: Path) -> None:
    entries = "".join(f"  'c{i}/*': {{system: s, environment: staging}}\n" for i in range(1001))
    with pytest.raises(ConfigError, match="platform-systems"):
        load_config(_config(tmp_path, "platform-systems:\n" + entries))


def test_the_last_matching_glob_wins(tmp_path: Path) -> None:
    prod = SystemAssignment("ml-prod", "production")
    lab = SystemAssignment("lab", "playground")
    globs = ((GlobSet(["clusters/**"]), prod), (GlobSet(["clusters/lab/*"]), lab))
    assert assigned_system(tmp_path / "clusters/prod/values.yaml", globs, tmp_path) == prod
    assert assigned_system(tmp_path / "clusters/lab/values.yaml", globs, tmp_path) == lab
    assert assigned_system(tmp_path / "other/values.yaml", globs, tmp_path) is None
