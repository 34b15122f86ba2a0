"""Standard input (`reglint check -`) gets every limit a file gets (SPEC §4): at most
`max-file-size` bytes are read from it (a larger input is RL001, read no further), and
nesting and alias limits apply as to a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import run_measured
from hostile.project_tree import GOOD_MANIFEST, GOOD_WORDS, make_project
from hostile.test_limits import billion_laughs

RSS_BOUND_MIB = 160
TIMEOUT_S = 60  # a bounded run takes 1-3 s; the unbounded one took a minute and 2.5 GiB

# A manifest with six findings, padded to 120 bytes: 100,000 of them are 12 MB.
_DOCUMENT = "---\nkind: RegistryService\nmetadata: {name: a}\nspec: {url: x, auth: 3}\n"
_DOCUMENT += "#" + "x" * (120 - len(_DOCUMENT) - 2) + "\n"


def test_a_12_mb_manifest_on_stdin_is_rl001_read_no_further(tmp_path: Path) -> None:
    make_project(tmp_path)
    stream = (_DOCUMENT * 100_000).encode()
    assert len(stream) == 12_000_000
    measured = run_measured(
        tmp_path, "check", "--format", "json", "-", "--stdin-filename", "big.yaml",
        timeout=TIMEOUT_S, stdin=stream,
    )  # fmt: skip
    assert measured.code == 1, measured.err
    findings = json.loads(measured.out)["findings"]
    assert [(f["rule"], f["path"], f["line"], f["column"]) for f in findings] == [("RL001", "big.yaml", 1, 1)]
    assert findings[0]["message"] == "file is larger than max-file-size (5 MiB)"
    assert measured.peak_rss_mib < RSS_BOUND_MIB, f"peak RSS {measured.peak_rss_mib:.0f} MiB"


def _padded(size: int) -> bytes:
    text = GOOD_MANIFEST + "#" + "x" * (size - len(GOOD_MANIFEST.encode()) - 2) + "\n"
    assert len(text.encode()) == size
    return text.encode()


@pytest.mark.parametrize(("config", "limit", "words"), [("", 5 * 1024 * 1024, "5 MiB"), ("max-file-size: 2048\n", 2048, "2 KiB")])
def test_stdin_gets_max_file_size_plus_and_minus_one_byte(
    config: str, limit: int, words: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {".reglint.yaml": config} if config else {})
    args = ("-", "--stdin-filename", "piped.yaml", "--select", "RL0,RL104")
    at_limit = run_cli("check", *args, cwd=tmp_path, stdin=_padded(limit))
    assert at_limit.code == 1
    assert at_limit.out.startswith(f"piped.yaml:11:16: RL104 error invalid-image-prefix: {GOOD_WORDS} ("), at_limit.out
    over = run_cli("check", *args, cwd=tmp_path, stdin=_padded(limit + 1))
    assert over.code == 1
    assert over.out.startswith(
        f"piped.yaml:1:1: RL001 error parse-error: file is larger than max-file-size ({words})\n"
    ), over.out
    assert "RL104" not in over.out


@pytest.mark.parametrize(
    ("text", "words"),
    [(billion_laughs(), "alias bomb"), ("kind: RegistryService\nx: " + "[" * 200_000 + "]" * 200_000 + "\n", "nesting deeper than 200 levels")],
    ids=["alias-bomb", "deep-nesting"],
)
def test_stdin_gets_the_alias_and_nesting_limits(text: str, words: str, run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path)
    result = run_cli("check", "--format", "json", "-", "--stdin-filename", "bomb.yaml", cwd=tmp_path, stdin=text.encode())
    findings = json.loads(result.out)["findings"]
    assert result.code == 1
    assert [(f["rule"], f["path"]) for f in findings] == [("RL001", "bomb.yaml")]
    assert words in findings[0]["message"] and 2 <= findings[0]["line"] <= text.count("\n")
