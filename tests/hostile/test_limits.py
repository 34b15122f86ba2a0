"""Bounded memory and time (SPEC §4): YAML alias bombs, 200,000 levels of nesting, and
files just under and just over `max-file-size`.

Each bomb and deep file runs first in a child process killed after a timeout, whose peak
RSS must stay under `RSS_BOUND_MIB` (so that a broken limit fails the test, where a run
in the test process would hang or crash the suite), then in process through every output
format (the findings).
Measured on CPython 3.11 / Linux: a plain run on the one-manifest project peaks at about
32 MiB; every bomb and every 200,000-level file here stays within 3 MiB of that, except
the wide-alias file, whose 200,000 real nodes (0.7 MB of YAML) peak at about 70 MiB.
Expanded, the billion-laughs file alone would need ~10^9 nodes (tens of GiB), so the bound
catches any expansion while leaving room for slower machines and newer libraries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import FormatRun, Seen, assert_reported, check_every_format, run_measured
from hostile.project_tree import GOOD_MANIFEST, GOOD_WORDS, good_finding, make_project

RSS_BOUND_MIB = 160
TIMEOUT_S = 60  # a bounded run takes 1-3 s; a hang or an expansion would never finish
MANIFEST_HEAD = "apiVersion: reglint/v1\nkind: RegistryService\n"


def billion_laughs() -> str:
    """Nine levels of ten aliases each: 10^9 strings once expanded."""
    lines = [
        MANIFEST_HEAD.rstrip("\n"),
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def wide_aliases() -> str:
    """One anchored list of 100,000 items, aliased 100,000 times (10^10 nodes, 0.7 MB)."""
    items = ",".join(["x"] * 100_000)
    return f"{MANIFEST_HEAD}big: &big [{items}]\nrefs: [{','.join(['*big'] * 100_000)}]\n"


def mapping_laughs() -> str:
    """The billion laughs with mappings and merge keys instead of lists."""
    lines = [
        MANIFEST_HEAD.rstrip("\n"),
        "m0: &m0 {" + ", ".join(f"k{j}: lol" for j in range(10)) + "}",
    ]
    for i in range(1, 10):
        lines.append(
            f"m{i}: &m{i} {{<<: *m{i - 1}, "
            + ", ".join(f"k{j}: *m{i - 1}" for j in range(10))
            + "}"
        )
    return "\n".join(lines) + "\n"


def deep_anchors() -> str:
    """Each anchor nests the previous one a level deeper: 400 levels through aliases."""
    lines = [MANIFEST_HEAD.rstrip("\n"), "l0: &l0 [x]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, 400)]
    return "\n".join(lines) + "\n"


BOMBS = {
    "billion-laughs": (billion_laughs, "alias bomb"),
    "wide-aliases": (wide_aliases, "alias bomb"),
    "mapping-merge-laughs": (mapping_laughs, "alias bomb"),
    "deep-anchors": (deep_anchors, "nesting deeper than 200 levels"),
}

DEPTH = 200_000
NESTING = {
    "json-arrays": ("deep.json", '{"Statement": ' + "[" * DEPTH + "]" * DEPTH + "}"),
    "json-objects": ("deep.json", '{"Statement":' * DEPTH + "1" + "}" * DEPTH),
    "yaml-flow-sequences": (
        "deep.yaml",
        "kind: RegistryService\nx: " + "[" * DEPTH + "]" * DEPTH + "\n",
    ),
    "yaml-flow-mappings": (
        "deep.yaml",
        "kind: RegistryService\nx: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    ),
    "yaml-block-sequences": ("deep.yaml", "# RegistryService\n" + "- " * DEPTH + "x\n"),
    "yaml-unclosed": ("deep.yaml", "kind: RegistryService\nx: " + "[" * DEPTH + "\n"),
}


def _bad_seen(run: FormatRun, path: str) -> Seen:
    (seen,) = [s for s in run.seen if s.path == path]
    return seen


def _assert_bounded(root: Path, *args: str) -> None:
    measured = run_measured(root, "check", "--format", "json", *args, timeout=TIMEOUT_S)
    assert measured.code == 1, measured
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"


@pytest.mark.parametrize(("build", "words"), list(BOMBS.values()), ids=list(BOMBS))
def test_an_alias_bomb_is_rl001_in_bounded_memory_and_time(
    build: Any, words: str, run_cli: Any, tmp_path: Path
) -> None:
    text = build()
    make_project(tmp_path, {"bomb.yaml": text})
    # The child process first: with the limit broken it is killed after TIMEOUT_S and the
    # test fails, where a run in the test process would hang the suite.
    _assert_bounded(tmp_path, ".")
    runs = check_every_format(run_cli, tmp_path, ".")
    bomb = _bad_seen(runs["json"], "bomb.yaml")
    assert bomb.rule == "RL001" and 3 <= bomb.line <= text.count("\n")
    assert_reported(runs, [good_finding(), bomb], code=1, words={bomb: words})


def test_a_bomb_in_a_stray_file_is_only_a_notification(run_cli: Any, tmp_path: Path) -> None:
    stray = billion_laughs().replace("kind: RegistryService", "kind: ConfigMap")
    make_project(tmp_path, {"stray.yaml": stray})
    _assert_bounded(tmp_path, ".")  # in a child process first, as above
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=["stray.yaml"])
    assert "alias bomb" in runs["json"].err


@pytest.mark.parametrize(("name", "text"), list(NESTING.values()), ids=list(NESTING))
def test_200000_levels_of_nesting_are_rl001_in_bounded_memory_and_time(
    name: str, text: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {name: text})
    _assert_bounded(tmp_path, ".")  # in a child process first (see the module docstring)
    runs = check_every_format(run_cli, tmp_path, ".")
    deep = _bad_seen(runs["json"], name)
    assert deep.rule == "RL001"
    assert_reported(
        runs, [good_finding(), deep], code=1, words={deep: "nesting deeper than 200 levels"}
    )


def test_a_control_run_stays_well_under_the_rss_bound(tmp_path: Path) -> None:
    """The bound means something only if a plain run is far below it."""
    make_project(tmp_path)
    measured = run_measured(tmp_path, "check", ".", timeout=TIMEOUT_S)
    assert measured.code == 1 and "RL104" in measured.out
    assert measured.peak_rss_mib < RSS_BOUND_MIB / 1.5, f"{measured.peak_rss_mib:.0f} MiB"


def _padded(size: int) -> str:
    """GOOD_MANIFEST (as another service of its system) and a comment: `size` bytes."""
    manifest = GOOD_MANIFEST.replace("name: docker-registry", "name: padded-registry")
    return manifest + "#" + "x" * (size - len(manifest.encode()) - 2) + "\n"


@pytest.mark.parametrize(
    ("config", "limit", "words"),
    [("", 5 * 1024 * 1024, "5 MiB"), ("max-file-size: 2048\n", 2048, "2 KiB"),
     ("max-file-size: 1000\n", 1000, "1000 bytes")],
    ids=["default-5MiB", "config-2KiB", "config-1000"],
)  # fmt: skip
@pytest.mark.parametrize("named", [True, False], ids=["named", "walked"])
def test_max_file_size_plus_and_minus_one_byte(
    config: str, limit: int, words: str, named: bool, run_cli: Any, tmp_path: Path
) -> None:
    if limit < len(GOOD_MANIFEST):
        pytest.skip("the manifest alone is larger than this limit")
    files: dict[str, str | bytes] = {
        "at-limit.yaml": _padded(limit),
        "over.yaml": _padded(limit + 1),
    }
    if config:
        files[".reglint.yaml"] = config
    make_project(tmp_path, files)
    assert (tmp_path / "at-limit.yaml").stat().st_size == limit
    assert (tmp_path / "over.yaml").stat().st_size == limit + 1
    args = ("at-limit.yaml", "over.yaml", "good.yaml") if named else (".",)
    runs = check_every_format(run_cli, tmp_path, *args)
    expected = [good_finding(), good_finding("at-limit.yaml")]
    # Named, or walked and mentioning RegistryService (SPEC §4): RL001 either way.
    over = Seen("RL001", "over.yaml", 1)
    assert_reported(
        runs, [*expected, over], code=1, words={over: f"larger than max-file-size ({words})"}
    )
    assert runs["json"].messages[good_finding("at-limit.yaml")].startswith(GOOD_WORDS)


def test_a_walked_oversized_manifest_is_rl001(run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {".reglint.yaml": "max-file-size: 2048\n", "over.yaml": _padded(2049)})
    runs = check_every_format(run_cli, tmp_path, ".")
    over = Seen("RL001", "over.yaml", 1)
    assert_reported(runs, [good_finding(), over], code=1)


def test_aliases_of_a_long_string_are_bounded_in_time(tmp_path: Path) -> None:
    text = (
        f"{MANIFEST_HEAD}metadata: {{name: a, system: a, environment: production}}\n"
        f"spec:\n  url: &s r.example.com/{'x' * 2_000_000}\n"
        f"  extra: [{','.join(['*s'] * 20_000)}]\n"
    )
    make_project(tmp_path, {"slow.yaml": text})
    measured = run_measured(tmp_path, "check", ".", timeout=10)  # a normal run: 1-2 s
    assert measured.code == 1
