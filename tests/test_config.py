"""Configuration discovery and validation (SPEC §3.2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_tree

from reglint.config.files import ConfigError, discover_config, nearest_config
from reglint.config.settings import load_config
from reglint.findings import Severity


def test_yaml_config_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write_tree(tmp_path, {".reglint.yaml": "fail-on: warning\n", "a/b/x.txt": ""})
    assert nearest_config(tmp_path / "a" / "b") == tmp_path / ".reglint.yaml"


def test_yaml_wins_over_yml_and_pyproject_in_one_folder(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".reglint.yml": "{}\n", ".reglint.yaml": "{}\n", "pyproject.toml": "[tool.reglint]\n"},
    )
    assert nearest_config(tmp_path) == tmp_path / ".reglint.yaml"


def test_pyproject_without_a_reglint_table_is_passed_over(tmp_path: Path) -> None:
    write_tree(tmp_path, {".reglint.yml": "{}\n", "sub/pyproject.toml": "[tool.ruff]\n"})
    assert nearest_config(tmp_path / "sub") == tmp_path / ".reglint.yml"


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.reglint]\nselect = ['RL1']\nignore = ['RL108']\nfail-on = 'warning'\n"
                "severity = {RL107 = 'error'}\nmax-file-size = 1024\n"
                "required-ecr-actions = ['ecr:DescribeRepositories']\n"
            )
        },
    )
    config = load_config(nearest_config(tmp_path))
    assert config.select == ("RL1",)
    assert config.ignore == ("RL108",)
    assert config.fail_on == "warning"
    assert config.severity == {"RL107": Severity.ERROR}
    assert config.max_file_size == 1024
    assert config.required_ecr_actions[-1] == "ecr:DescribeRepositories"
    assert len(config.required_ecr_actions) == 10


def test_no_config_gives_defaults() -> None:
    config = load_config(None)
    assert config.select is None and config.fail_on == "error"
    assert config.max_file_size == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("selekt: [RL1]\n", "selekt"),
        ("fail-on: sometimes\n", "fail-on"),
        ("max-file-size: -3\n", "max-file-size"),
        ("severity: {RL101: fatal}\n", "severity"),
        ("per-file-ignores: {'a/*.yaml': RL101}\n", "per-file-ignores"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, words: str) -> None:
    write_tree(tmp_path, {".reglint.yaml": text})
    with pytest.raises(ConfigError, match=words):
        load_config(tmp_path / ".reglint.yaml")


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {".reglint.yaml": "selekt: [RL1]\n"})
    with pytest.raises(ConfigError, match="did you mean 'select'"):
        load_config(tmp_path / ".reglint.yaml")


def test_invalid_yaml_config_is_a_config_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {".reglint.yaml": "select: [RL1\n"})
    with pytest.raises(ConfigError, match=r"\.reglint\.yaml: line 2: did not find expected ',' or '\]'"):
        load_config(tmp_path / ".reglint.yaml")


def test_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    write_tree(tmp_path, {".reglint.yaml": "- RL1\n"})
    with pytest.raises(ConfigError, match="mapping"):
        load_config(tmp_path / ".reglint.yaml")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('exclude: ["!"]\n', r"exclude: invalid glob '!'"),
        ('include: ["deploy/\\\\"]\n', r"include: invalid glob 'deploy/.* \(Escape character"),
        ('ecr-push-policies: ["iam/[z-a].json"]\n', r"ecr-push-policies: invalid glob 'iam/\[z-a\].json' \(bad pattern: bad character range z-a"),
        ("per-file-ignores: {'!': [RL101]}\n", r"per-file-ignores: invalid glob '!'"),
    ],
)
def test_a_glob_that_does_not_compile_is_a_config_error(tmp_path: Path, text: str, words: str) -> None:
    write_tree(tmp_path, {".reglint.yaml": text})
    with pytest.raises(ConfigError, match=words):
        load_config(tmp_path / ".reglint.yaml")


def test_a_bad_glob_is_one_line_and_exit_2(tmp_path: Path, run_cli: object) -> None:
    write_tree(tmp_path, {".reglint.yaml": 'exclude: ["!"]\n', "a.yaml": "kind: Deployment\n"})
    result = run_cli("check", ".", cwd=tmp_path)  # type: ignore[operator]
    assert result.code == 2
    assert result.err.count("\n") == 1 and "invalid glob '!'" in result.err
    assert "Traceback" not in result.err


def test_discovery_starts_at_the_project_root_then_falls_back_to_the_current_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"repo/sub/.reglint.yaml": "{}\n", "repo/sub/x.yaml": "", "cwd/.reglint.yml": "{}\n"})
    cwd = tmp_path / "cwd"
    assert discover_config(tmp_path / "repo" / "sub", cwd) == tmp_path / "repo" / "sub" / ".reglint.yaml"
    assert discover_config(tmp_path / "repo", cwd) == cwd / ".reglint.yml"
    assert discover_config(tmp_path / "repo", tmp_path / "repo") is None


@pytest.mark.parametrize(("size", "accepted"), [(64 * 1024 * 1024, True), (64 * 1024 * 1024 + 1, False)])
def test_max_file_size_is_at_most_64_mib(tmp_path: Path, size: int, accepted: bool) -> None:
    write_tree(tmp_path, {".reglint.yaml": f"max-file-size: {size}\n"})
    if accepted:
        assert load_config(tmp_path / ".reglint.yaml").max_file_size == size
    else:
        with pytest.raises(ConfigError, match=r"max-file-size.*67108864"):
            load_config(tmp_path / ".reglint.yaml")


def test_config_errors_show_the_path_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"ci/reglint.yaml": "fail-on: sometimes\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"^ci/reglint\.yaml: fail-on"):
        load_config(tmp_path / "ci" / "reglint.yaml")


@pytest.mark.parametrize(
    ("text", "cost"),
    [
        ("a.b.c = 1\nd = 2\n", 4),
        ("[tool.reglint]\nsel.ect = 1\nx = 1.5\n", 1 + 4 + 4),  # the header, then each line with its header
        ('a = "x.y.z"  # and.so.on\nb = \'p.q\'\n', 0),  # dots in strings and comments
        ('a = """\nx.y.z\n""""\nb.c = 1\n', 1),  # a multi-line string ending in `""""`
        ('a = "\\"x.y\\\\"\nb.c.d = 1\n', 4),  # escaped quotes
        ("v = [\n  [1.5],\n]\nk.j = 1\n", 1 + 4),  # a nested array line read as a header: more, never less
    ],
)
def test_dotted_key_cost_counts_dots_outside_strings_and_comments(text: str, cost: int) -> None:
    import tomllib

    from reglint.config.toml_table import dotted_key_cost

    tomllib.loads(text)  # every case is valid TOML
    assert dotted_key_cost(text) == cost


def test_a_real_pyproject_is_far_below_the_dotted_key_budget() -> None:
    from reglint.config.toml_table import DOTTED_KEY_BUDGET, dotted_key_cost

    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert dotted_key_cost(text) < DOTTED_KEY_BUDGET / 1000
