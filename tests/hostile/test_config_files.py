"""A repository's own configuration is attacker input too (SPEC §3.2, §4): `.reglint.yaml`
and `pyproject.toml` are loaded with the manifests' limits (size, nesting, aliases), every
shape of them is at worst a one-line exit 2, and a discovered config that is a symlink to
a file outside the project root is not read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import assert_no_traceback, run_measured
from hostile.project_tree import GOOD_WORDS, make_project

RSS_BOUND_MIB = 160
TIMEOUT_S = 60  # a bounded run takes 1-3 s; the unbounded alias bomb ran for minutes


def config_alias_bomb() -> str:
    """`per-file-ignores` holding nine levels of ten aliases: 10^9 rule names expanded."""
    rules = ", ".join(['"RL101"'] * 10)
    lines = ["per-file-ignores:", f"  'g0': &a0 [{rules}]"]
    lines += [f"  'g{i}': &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def _one_line_exit_2(result: Any, *words: str) -> None:
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("reglint: error: ") and result.err.count("\n") == 1, result.err
    for word in words:
        assert word in result.err, (word, result.err)
    assert_no_traceback(result.err)


def test_an_alias_bomb_in_the_config_is_exit_2_in_bounded_memory_and_time(tmp_path: Path) -> None:
    make_project(tmp_path, {".reglint.yaml": config_alias_bomb()})
    measured = run_measured(tmp_path, "check", ".", timeout=TIMEOUT_S)
    # The first alias past the budget (10 x parsed nodes + 10,000) is on g3's line: by then
    # g0..g2 expanded to 1,233 nodes and each *a2 adds 1,111 more.
    _one_line_exit_2(measured, ".reglint.yaml: line 5: YAML aliases expand to more than", "alias bomb")
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"


def _long_dotted_keys() -> str:
    """1 MiB of distinct 200-part dotted keys: within any per-key depth limit, but each
    one costs tomllib 200 tuples of up to 200 parts (600 MB and 9 s for the file)."""
    lines = [f"x{n}." + ".".join(["a"] * 200) + " = 1\n" for n in range(2440)]
    return "[tool.reglint]\n" + "".join(lines)


def _hidden_dotted_key() -> str:
    """An 80,000-part dotted key (24 GB for tomllib) behind a string that ends in four quotes."""
    return '[tool.reglint]\nselect = ["""x""""]\nsev.' + ".".join(["a"] * 80_000) + ' = "error"\n'


@pytest.mark.parametrize(
    "text",
    [
        "[tool.reglint]\nseverity." + ".".join(["a"] * 80_000) + " = 'error'\n",  # 160 KB
        "[tool.reglint]\n[x." + ".".join(["a"] * 80_000) + "]\ny.z = 1\n",
        _long_dotted_keys(),
        _hidden_dotted_key(),
    ],
    ids=["dotted-key", "table-header", "many-long-keys", "behind-a-string"],
)
def test_dotted_keys_in_pyproject_are_exit_2_in_bounded_memory_and_time(text: str, tmp_path: Path) -> None:
    make_project(tmp_path, {"pyproject.toml": text})
    measured = run_measured(tmp_path, "check", ".", timeout=TIMEOUT_S)
    _one_line_exit_2(measured, "pyproject.toml: dotted keys or table headers too long or too many to parse safely")
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"


def test_an_alias_bomb_in_an_explicit_config_is_exit_2(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {"ci/policy.yaml": config_alias_bomb()})
    _one_line_exit_2(run_cli("check", "--config", "ci/policy.yaml", ".", cwd=tmp_path), "alias bomb")


def test_a_config_larger_than_1_mib_is_exit_2_unread(run_cli: Any, tmp_path: Path) -> None:
    padded = "fail-on: error\n" + "#" * (1024 * 1024) + "\n"
    make_project(tmp_path, {".reglint.yaml": padded})
    result = run_cli("check", ".", cwd=tmp_path)
    _one_line_exit_2(result, ".reglint.yaml", "larger than 1 MiB")


def test_a_pyproject_larger_than_1_mib_is_exit_2_unread(run_cli: Any, tmp_path: Path) -> None:
    padded = "[tool.reglint]\nfail-on = 'error'\n" + "#" * (1024 * 1024) + "\n"
    make_project(tmp_path, {"pyproject.toml": padded})
    _one_line_exit_2(run_cli("check", ".", cwd=tmp_path), "pyproject.toml", "larger than 1 MiB")


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("pyproject.toml", 'tool = "x"  # [tool.reglint]\n', "[tool] must be a table"),
        ("pyproject.toml", '[tool]\nreglint = "x"\n# [tool.reglint]\n', "[tool.reglint] must be a table"),
        ("pyproject.toml", "[tool.reglint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n", "nesting deeper than 200 levels"),
        ("pyproject.toml", "[tool.reglint]\nselect = {" + "a = {" * 5000 + "}" * 5001 + "\n", "nesting deeper than 200 levels"),
        ("pyproject.toml", "[tool.reglint]\nseverity." + ".".join(["a"] * 5000) + " = 'error'\n", "too long or too many"),
        ("pyproject.toml", "[tool.reglint]\nseverity." + ".".join(["a"] * 1000) + " = 'error'\n", "nesting deeper than 200 levels"),
        ("pyproject.toml", "[tool.reglint]\nselect = 1979-05-27\n", "select must be a list of strings"),
        ("pyproject.toml", "[tool.reglint]\nselect = [1979-05-27T07:32:00Z]\n", "select[0] must be a string"),
        ("pyproject.toml", "[tool.reglint]\nmax-file-size = 99999999999999999999999999\n", "max-file-size"),
        ("pyproject.toml", "[tool.reglint]\nselect = [\n", "invalid TOML"),
        ("pyproject.toml", b"[tool.reglint]\nselect = ['\xff']\n", "not valid UTF-8"),
        (".reglint.yaml", "max-file-size: 99999999999999999999999999\n", "max-file-size"),
        (".reglint.yaml", "max-file-size: 67108865\n", "max-file-size"),
        (".reglint.yaml", "select: " + "[" * 5000 + "]" * 5000 + "\n", "nesting deeper than 200 levels"),
        (".reglint.yaml", "select: !!set {RL1}\n", "select must be a list of strings"),
        (".reglint.yaml", "select: [!!python/object/apply:os.system [true]]\n", "select[0] must be a string"),
        (".reglint.yaml", "severity: {? [a, b] : error}\n", "line 1"),
        (".reglint.yaml", "select: *nothing\n", "alias"),
        (".reglint.yaml", "select: [RL1]\nselect: [RL2]\n", "duplicate key 'select'"),
        (".reglint.yaml", "---\nselect: [RL1]\n---\nignore: [RL2]\n", "one YAML document"),
        (".reglint.yaml", "- RL1\n", "must be a mapping"),
        (".reglint.yaml", "select: 'RL1\n", "line 2: found unexpected end of stream"),
        (".reglint.yaml", b"select: [RL1]\x00\n", "NUL bytes"),
        (".reglint.yaml", "select: [RL1]\n".encode("utf-16"), "UTF-16"),
        (".reglint.yaml", "exclude: [" + ", ".join(f"g{n}/" for n in range(1001)) + "]\n", "exclude has more than 1000 items"),
        (".reglint.yaml", "per-file-ignores: {" + ", ".join(f"g{n}: [RL1]" for n in range(1001)) + "}\n", "per-file-ignores has more than 1000 keys"),
        ("pyproject.toml", "[tool.reglint]\nselect = [" + ", ".join(["'RL1'"] * 1001) + "]\n", "select has more than 1000 items"),
        (".reglint.yaml", "policy-types: {" + ", ".join(f"g{n}.json: trust" for n in range(1001)) + "}\n", "policy-types has more than 1000 keys"),
        (".reglint.yaml", "suppressions:\n" + "".join(f"  - {{path: g{n}.json, rule: RL003, reason: r}}\n" for n in range(1001)), "suppressions has more than 1000 items"),
        (".reglint.yaml", "per-file-ignores: {'a/*.yaml': null}\n", "per-file-ignores"),
        (".reglint.yaml", "severity: {RL101: null}\n", "severity"),
        (".reglint.yaml", "include: [" + "a" * 5000 + "]\nexclude: null\n", "exclude"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 30 else None,
)
def test_every_config_shape_is_at_worst_a_one_line_exit_2(
    name: str, text: str | bytes, words: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {name: text})
    _one_line_exit_2(run_cli("check", ".", cwd=tmp_path), name, words)
    _one_line_exit_2(run_cli("check", "--config", name, ".", cwd=tmp_path), name, words)


def test_an_empty_config_and_a_comment_only_config_are_the_defaults(run_cli: Any, tmp_path: Path) -> None:
    for text in ("", "# nothing set yet\n", "\ufeff---\n"):
        make_project(tmp_path, {".reglint.yaml": text})
        result = run_cli("check", ".", cwd=tmp_path)
        assert result.code == 1 and f"good.yaml:11:16: RL104 error invalid-image-prefix: {GOOD_WORDS}" in result.out, result


def test_a_fifo_given_as_config_is_exit_2_and_never_blocks(tmp_path: Path) -> None:
    make_project(tmp_path)
    os.mkfifo(tmp_path / "policy.yaml")
    measured = run_measured(tmp_path, "check", "--config", "policy.yaml", ".", timeout=TIMEOUT_S)
    _one_line_exit_2(measured, "policy.yaml", "not a regular file")


OUTSIDE = "fail-on: never\nexclude: ['*']\n# outside-secret: hunter2\n"


@pytest.mark.parametrize("name", [".reglint.yaml", ".reglint.yml", "pyproject.toml"])
def test_a_discovered_config_linked_outside_the_root_is_refused(
    name: str, run_cli: Any, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / ("reglint.toml" if name == "pyproject.toml" else "reglint.yaml")
    outside.parent.mkdir()
    text = OUTSIDE if name != "pyproject.toml" else "[tool.reglint]\nfail-on = 'never'\nunknown-secret = 'hunter2'\n"
    outside.write_text(text, encoding="utf-8")
    root = make_project(tmp_path / "repo")
    os.symlink(outside, root / name)
    result = run_cli("check", ".", cwd=root)
    # The run goes on with the defaults: the outside file turned nothing off.
    assert result.code == 1, result
    assert f"good.yaml:11:16: RL104 error invalid-image-prefix: {GOOD_WORDS}" in result.out
    notice = f"reglint: {name}: not read: it is a symlink to a file outside the project root (name it with --config to use it)\n"
    assert notice in result.err
    assert "hunter2" not in result.out + result.err
    assert result.err.count("\n") == 1, result.err
    # Named with --config, it is the user's own choice: read.
    chosen = run_cli("check", "--config", str(outside), ".", cwd=root)
    if name == "pyproject.toml":
        assert chosen.code == 2 and "unknown-secret" in chosen.err
    else:
        assert (chosen.code, chosen.err) == (0, ""), chosen


def test_a_discovered_config_linked_inside_the_root_is_read(run_cli: Any, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"settings/reglint.yaml": "ignore: [RL104]\n"})
    os.symlink("settings/reglint.yaml", root / ".reglint.yaml")
    result = run_cli("check", ".", cwd=root)
    assert (result.code, result.err) == (0, ""), result


def test_a_config_linked_through_a_folder_symlink_that_leaves_the_root_is_refused(
    run_cli: Any, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "reglint.yaml").write_text(OUTSIDE, encoding="utf-8")
    root = make_project(tmp_path / "repo")
    os.symlink(tmp_path / "elsewhere", root / "shared")
    os.symlink("shared/reglint.yaml", root / ".reglint.yaml")
    result = run_cli("check", ".", cwd=root)
    assert result.code == 1 and "RL104" in result.out
    assert "reglint: .reglint.yaml: not read: it is a symlink to a file outside the project root" in result.err


def _raise_unexpected(*_args: Any, **_kwargs: Any) -> Any:
    raise ValueError("text that might quote a file: hunter2")


def test_an_unexpected_exception_is_a_one_line_exit_2_without_traceback(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reglint.engine import check_command

    make_project(tmp_path)
    monkeypatch.setattr(check_command, "load_catalogue", _raise_unexpected)
    result = run_cli("check", ".", cwd=tmp_path)
    _one_line_exit_2(result, "internal error (ValueError)", "please report it", "--debug")
    assert "hunter2" not in result.err
    debug = run_cli("check", "--debug", ".", cwd=tmp_path)
    assert debug.code == 2
    assert "Traceback (most recent call last)" in debug.err and "_raise_unexpected" in debug.err
