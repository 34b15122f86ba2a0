"""Hostile bytes (SPEC §4): binary files, NUL bytes, UTF-16/32, Latin-1, control
characters, tabs, line endings, BOMs, and files with no document at all.

Each case runs through the CLI in every output format, walked (`reglint check .`) and
named; the good manifest beside the bad file is always still reported, at its line.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from helpers import POLICY
from hostile.cli_formats import Seen, assert_reported, check_every_format
from hostile.project_tree import GOOD_LINE, GOOD_MANIFEST, GOOD_WORDS, good_finding, make_project

HEAD = "apiVersion: reglint/v1\nkind: RegistryService\nmetadata:\n  name: x\n"  # 4 lines
STRAY = "title: a Helm values file\nitems:\n  - one\n"  # mentions neither sniff word


class BadFile(NamedTuple):
    name: str
    content: bytes
    line: int  # where RL001 points
    words: str  # what its message must say


NOT_UTF8 = "is not valid UTF-8: byte 0x{:02x} cannot be decoded"
BAD_FILES = {
    "png": BadFile("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDRStatement", 1, "NUL bytes"),
    "nul-in-text": BadFile("nul.yaml", HEAD.encode() + b"  system: a\x00b\n", 1, "NUL bytes"),
    "nul-json": BadFile("nul.json", b'{"Statement": "\x00"}', 1, "NUL bytes"),
    "utf-16-le-bom": BadFile(
        "u16.yaml", codecs.BOM_UTF16_LE + HEAD.encode("utf-16-le"), 1, "file is UTF-16 encoded"
    ),
    "utf-16-be": BadFile("u16be.yaml", HEAD.encode("utf-16-be"), 1, "file is UTF-16 encoded"),
    "utf-32-le": BadFile("u32.json", '{"Statement": []}'.encode("utf-32-le"), 1, "UTF-32"),
    "utf-32-be-bom": BadFile(
        "u32be.yaml", codecs.BOM_UTF32_BE + HEAD.encode("utf-32-be"), 1, "file is UTF-32 encoded"
    ),
    "latin-1": BadFile(
        "latin.yaml", (HEAD + "  system: caf\xe9\n").encode("latin-1"), 5, NOT_UTF8.format(0xE9)
    ),
    "latin-1-json": BadFile(
        "latin.json", '{\n"Statement": "caf\xe9"}'.encode("latin-1"), 2, NOT_UTF8.format(0xE9)
    ),
    "lone-continuation": BadFile(
        "cont.yaml", HEAD.encode() + b"  system: \x80\n", 5, NOT_UTF8.format(0x80)
    ),
    "encoded-surrogate": BadFile(
        "surrogate.yaml", HEAD.encode() + b"  system: \xed\xa0\x80\n", 5, NOT_UTF8.format(0xED)
    ),
    "control-character": BadFile(
        "bell.yaml", (HEAD + "  system: a\x07\n").encode(), 5, "character #x0007 is not allowed"
    ),
    "noncharacter": BadFile(
        "fffe.yaml", (HEAD + "  system: \ufffe\n").encode(), 5, "character #xfffe is not allowed"
    ),
    "tab-indentation": BadFile("tabs.yaml", (HEAD + "\tsystem: x\n").encode(), 5, "tab character"),
}


@pytest.mark.parametrize("case", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_a_bad_file_that_mentions_a_manifest_is_rl001_when_walked(
    case: BadFile, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {case.name: case.content})
    runs = check_every_format(run_cli, tmp_path, ".")
    bad = Seen("RL001", case.name, case.line)
    assert_reported(
        runs, [good_finding(), bad], code=1, words={bad: case.words, good_finding(): GOOD_WORDS}
    )


@pytest.mark.parametrize("case", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_a_bad_file_is_rl001_when_named(case: BadFile, run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {case.name: case.content})
    runs = check_every_format(run_cli, tmp_path, case.name, "good.yaml")
    bad = Seen("RL001", case.name, case.line)
    assert_reported(runs, [good_finding(), bad], code=1, words={bad: case.words})


UNMENTIONED = {
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00", "NUL bytes"),
    "utf-16": (codecs.BOM_UTF16_LE + STRAY.encode("utf-16-le"), "file is UTF-16 encoded"),
    "latin-1": ((STRAY + "name: caf\xe9\n").encode("latin-1"), "is not valid UTF-8"),
    "tabs": ((STRAY + "\tbad: indent\n").encode(), "tab character"),
    "syntax": (b"items: [one, two\n", "expected ',' or ']'"),
}


@pytest.mark.parametrize(("content", "words"), list(UNMENTIONED.values()), ids=list(UNMENTIONED))
def test_a_walked_bad_file_that_is_not_reglints_input_is_only_a_notification(
    content: bytes, words: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {"charts/values.yaml": content})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=["charts/values.yaml"])
    assert "reglint: charts/values.yaml: skipped: " in runs["text"].err
    assert words in runs["text"].err


def _with_bom(text: str) -> bytes:
    return codecs.BOM_UTF8 + text.encode()


# The same manifest and policy, written differently: the finding stays on its line.
EQUIVALENT = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode(),
    "cr": lambda text: text.replace("\n", "\r").encode(),
    "bom": _with_bom,
    "bom-crlf": lambda text: _with_bom(text.replace("\n", "\r\n")),
    "no-final-newline": lambda text: text.rstrip("\n").encode(),
    "tabs-after-values": lambda text: text.replace("\n", "\t\n").encode(),
}


@pytest.mark.parametrize("encode", list(EQUIVALENT.values()), ids=list(EQUIVALENT))
def test_line_endings_boms_and_tabs_keep_findings_on_their_lines(
    encode: Any, run_cli: Any, tmp_path: Path
) -> None:
    policy = POLICY.replace("  ", "\t")  # JSON allows tabs as whitespace
    make_project(tmp_path, {"good.yaml": encode(GOOD_MANIFEST), "iam/push.json": encode(policy)})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, words={good_finding(): GOOD_WORDS})
    columns = {f.split(":")[2] for f in runs["text"].out.splitlines()[:1]}
    assert columns == {str(GOOD_MANIFEST.splitlines()[GOOD_LINE - 1].index("Runtime") + 1)}


NO_DOCUMENT = {
    "empty": b"",
    "lone-bom": codecs.BOM_UTF8,
    "blank-lines": b"\n\r\n  \n",
    "comments-only": b"# just a comment\n# and another\r\n",
}


@pytest.mark.parametrize("name", ["nothing.yaml", "nothing.json"])
@pytest.mark.parametrize("content", list(NO_DOCUMENT.values()), ids=list(NO_DOCUMENT))
def test_a_named_file_without_a_document_is_rl001_empty(
    content: bytes, name: str, run_cli: Any, tmp_path: Path
) -> None:
    if name.endswith(".json") and b"#" in content:
        content = b"\n"  # JSON has no comments: a blank JSON file stands in
    make_project(tmp_path, {name: content})
    runs = check_every_format(run_cli, tmp_path, name, "good.yaml")
    empty = Seen("RL001", name, 1)
    assert_reported(runs, [good_finding(), empty], code=1, words={empty: "empty file"})


@pytest.mark.parametrize("content", list(NO_DOCUMENT.values()), ids=list(NO_DOCUMENT))
def test_a_walked_file_without_a_document_is_counted_as_skipped(
    content: bytes, run_cli: Any, tmp_path: Path
) -> None:
    # README: "An empty file is RL001 only when it was named"; walked, it is only counted.
    make_project(tmp_path, {"nothing.yaml": content})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1)
    assert runs["text"].out.splitlines()[-1] == "1 error, 0 warnings in 3 files (1 skipped); 1 fixable with --fix"


@pytest.mark.parametrize(
    "content", ["---\n", "---\n...\n", "--- \n---\n---\n", "%YAML 1.1\n---\n", "--- # c\n"]
)
def test_document_markers_alone_are_null_documents_not_errors(
    content: str, run_cli: Any, tmp_path: Path
) -> None:
    # A `---` starts a document whose value is null: neither a manifest nor a policy.
    make_project(tmp_path, {"markers.yaml": content})
    runs = check_every_format(run_cli, tmp_path, "markers.yaml", "good.yaml")
    assert_reported(runs, [good_finding()], code=1)
    assert runs["text"].out.splitlines()[-1] == "1 error, 0 warnings in 2 files (1 skipped); 1 fixable with --fix"


def test_a_second_document_after_a_bad_one_is_not_lost_on_the_good_file(
    run_cli: Any, tmp_path: Path
) -> None:
    # A syntax error late in a multi-document stream is one RL001 for that file only.
    stream = GOOD_MANIFEST + "---\nkind: RegistryService\nspec: {url: [\n"
    make_project(tmp_path, {"stream.yaml": stream})
    runs = check_every_format(run_cli, tmp_path, ".")
    broken = Seen("RL001", "stream.yaml", stream.count("\n") + 1)
    assert_reported(runs, [good_finding(), broken], code=1)
