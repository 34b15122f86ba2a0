"""Glob matching is git's: git's own wildmatch table (t/t3070-wildmatch.sh), the
`.gitignore` line syntax, git's precedence (a file in an ignored folder stays ignored),
and a walk that agrees with `git ls-files --exclude-standard`. The configuration's globs
that can never match are errors (exit 2, tests/test_config.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hostile.project_tree import make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from resources import require_program

from reglint.files.discovery import discover
from reglint.files.globs import GlobSet, check_glob, compile_gitignore
from reglint.files.wildmatch import GlobError, translate

# git's wildmatch table (git/git t/t3070-wildmatch.sh, the `wildmatch` column: glob
# matching with WM_PATHNAME, which .gitignore uses): (matches, path, glob). Rows with an
# empty glob or path are left out (a .gitignore line is never empty).
WILDMATCH = [
    (True, "foo", "foo"), (False, "foo", "bar"), (True, "foo", "???"), (False, "foo", "??"),
    (True, "foo", "*"), (True, "foo", "f*"), (False, "foo", "*f"), (True, "foo", "*foo*"),
    (True, "foobar", "*ob*a*r*"), (True, "aaaaaaabababab", "*ab"), (True, "foo*", r"foo\*"),
    (False, "foobar", r"foo\*bar"), (True, r"f\oo", r"f\\oo"), (True, "ball", "*[al]?"),
    (False, "ten", "[ten]"), (True, "ten", "**[!te]"), (False, "ten", "**[!ten]"),
    (True, "ten", "t[a-g]n"), (False, "ten", "t[!a-g]n"), (True, "ton", "t[!a-g]n"),
    (True, "ton", "t[^a-g]n"), (True, "a]b", "a[]]b"), (True, "a-b", "a[]-]b"),
    (True, "a]b", "a[]-]b"), (False, "aab", "a[]-]b"), (True, "aab", "a[]a-]b"), (True, "]", "]"),
    (False, "foo/baz/bar", "foo*bar"), (False, "foo/baz/bar", "foo**bar"),
    (True, "foobazbar", "foo**bar"), (True, "foo/baz/bar", "foo/**/bar"),
    (True, "foo/baz/bar", "foo/**/**/bar"), (True, "foo/b/a/z/bar", "foo/**/bar"),
    (True, "foo/b/a/z/bar", "foo/**/**/bar"), (True, "foo/bar", "foo/**/bar"),
    (True, "foo/bar", "foo/**/**/bar"), (False, "foo/bar", "foo?bar"),
    (False, "foo/bar", "foo[/]bar"), (False, "foo/bar", "foo[^a-z]bar"),
    (False, "foo/bar", "f[^eiu][^eiu][^eiu][^eiu][^eiu]r"),
    (True, "foo-bar", "f[^eiu][^eiu][^eiu][^eiu][^eiu]r"), (True, "foo", "**/foo"),
    (True, "XXX/foo", "**/foo"), (True, "bar/baz/foo", "**/foo"), (False, "bar/baz/foo", "*/foo"),
    (False, "foo/bar/baz", "**/bar*"), (True, "deep/foo/bar/baz", "**/bar/*"),
    (False, "deep/foo/bar/baz/", "**/bar/*"), (True, "deep/foo/bar/baz/", "**/bar/**"),
    (False, "deep/foo/bar", "**/bar/*"), (True, "deep/foo/bar/", "**/bar/**"),
    (False, "foo/bar/baz", "**/bar**"), (True, "foo/bar/baz/x", "*/bar/**"),
    (False, "deep/foo/bar/baz/x", "*/bar/**"), (True, "deep/foo/bar/baz/x", "**/bar/*/*"),
    (False, "acrt", "a[c-c]st"), (True, "acrt", "a[c-c]rt"), (False, "]", "[!]-]"),
    (True, "a", "[!]-]"), (False, "\\", "\\"), (False, "XXX/\\", "*/\\"),
    (True, "XXX/\\", "*/\\\\"), (True, "@foo", "@foo"), (False, "foo", "@foo"),
    (True, "[ab]", r"\[ab]"), (True, "[ab]", "[[]ab]"), (True, "[ab]", "[[:]ab]"),
    (False, "[ab]", "[[::]ab]"), (True, "[ab]", "[[:digit]ab]"), (True, "[ab]", r"[\[:]ab]"),
    (True, "?a?b", r"\??\?b"), (True, "abc", r"\a\b\c"), (True, "foo/bar/baz/to", "**/t[o]"),
    (True, "a1B", "[[:alpha:]][[:digit:]][[:upper:]]"),
    (False, "a", "[[:digit:][:upper:][:space:]]"), (True, "A", "[[:digit:][:upper:][:space:]]"),
    (True, "1", "[[:digit:][:upper:][:space:]]"), (False, "1", "[[:digit:][:upper:][:spaci:]]"),
    (True, " ", "[[:digit:][:upper:][:space:]]"), (False, ".", "[[:digit:][:upper:][:space:]]"),
    (True, ".", "[[:digit:][:punct:][:space:]]"), (True, "5", "[[:xdigit:]]"),
    (True, "f", "[[:xdigit:]]"), (True, "D", "[[:xdigit:]]"),
    (True, "_", ("[[:alnum:][:alpha:][:blank:][:cntrl:][:digit:][:graph:][:lower:][:print:]"
                 "[:punct:][:space:][:upper:][:xdigit:]]")),
    (True, ".", ("[^[:alnum:][:alpha:][:blank:][:cntrl:][:digit:][:lower:][:space:][:upper:]"
                 "[:xdigit:]]")),
    (True, "5", "[a-c[:digit:]x-z]"), (True, "b", "[a-c[:digit:]x-z]"),
    (True, "y", "[a-c[:digit:]x-z]"), (False, "q", "[a-c[:digit:]x-z]"),
    (True, "]", r"[\\-^]"), (False, "[", r"[\\-^]"), (True, "-", r"[\-_]"), (True, "]", r"[\]]"),
    (False, r"\]", r"[\]]"), (False, "\\", r"[\]]"), (False, "ab", "a[]b"),
    (False, "a[]b", "a[]b"), (False, "ab[", "ab["), (False, "ab", "[!"), (False, "ab", "[-"),
    (True, "-", "[-]"), (False, "-", "[a-"), (False, "-", "[!a-"), (True, "-", "[--A]"),
    (True, "5", "[--A]"), (True, " ", "[ --]"), (True, "$", "[ --]"), (True, "-", "[ --]"),
    (False, "0", "[ --]"), (True, "-", "[---]"), (True, "-", "[------]"),
    (False, "j", "[a-e-n]"), (True, "-", "[a-e-n]"), (True, "a", "[!------]"),
    (False, "[", "[]-a]"), (True, "^", "[]-a]"), (False, "^", "[!]-a]"), (True, "[", "[!]-a]"),
    (True, "^", "[a^bc]"), (True, "-b]", "[a-]b]"), (False, "\\", "[\\]"), (True, "\\", r"[\\]"),
    (False, "\\", r"[!\\]"), (True, "G", r"[A-\\]"), (False, "aaabbb", "b*a"),
    (False, "aabcaa", "*ba*"), (True, ",", "[,]"), (True, ",", r"[\\,]"), (True, "\\", r"[\\,]"),
    (True, "-", "[,-.]"), (False, "+", "[,-.]"), (False, "-.]", "[,-.]"), (True, "2", r"[\1-\3]"),
    (True, "3", r"[\1-\3]"), (False, "4", r"[\1-\3]"), (True, "\\", r"[[-\]]"),
    (True, "[", r"[[-\]]"), (True, "]", r"[[-\]]"), (False, "-", r"[[-\]]"),
    (True, "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1",
     "-*-*-*-*-*-*-12-*-*-*-m-*-*-*"),
    (False, "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1",
     "-*-*-*-*-*-*-12-*-*-*-m-*-*-*"),
    (False, "-adobe-courier-bold-o-normal--12-120-75-75-/-70-iso8859-1",
     "-*-*-*-*-*-*-12-*-*-*-m-*-*-*"),
    (True, "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1",
     "XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*"),
    (False, "XXX/adobe/courier/bold/o/normal//12/120/75/75/X/70/iso8859/1",
     "XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*"),
    (True, "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", "**/*a*b*g*n*t"),
    (False, "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", "**/*a*b*g*n*t"),
    (False, "foo", "*/*/*"), (False, "foo/bar", "*/*/*"), (True, "foo/bba/arr", "*/*/*"),
    (False, "foo/bb/aa/rr", "*/*/*"), (True, "foo/bb/aa/rr", "**/**/**"),
    (True, "abcXdefXghi", "*X*i"), (False, "ab/cXd/efXg/hi", "*X*i"),
    (True, "ab/cXd/efXg/hi", "*/*X*/*/*i"), (True, "ab/cXd/efXg/hi", "**/*X*/**/*i"),
    (False, "foo", "fo"), (True, "foo/bar", "foo/bar"), (True, "foo/bar", "foo/*"),
    (False, "foo/bba/arr", "foo/*"), (True, "foo/bba/arr", "foo/**"),
    (False, "foo/bba/arr", "foo*"), (False, "foo/bba/arr", "foo**"),
    (False, "foo/bba/arr", "foo/*arr"), (False, "foo/bba/arr", "foo/**arr"),
    (False, "foo/bba/arr", "foo/*z"), (False, "foo/bba/arr", "foo/**z"),
    (False, "ab/cXd/efXg/hi", "*Xg*i"), (False, "a", "[A-Z]"), (True, "A", "[A-Z]"),
    (False, "A", "[a-z]"), (True, "a", "[a-z]"), (False, "a", "[[:upper:]]"),
    (True, "A", "[[:upper:]]"), (False, "A", "[[:lower:]]"), (True, "a", "[[:lower:]]"),
    (False, "A", "[B-Za]"), (True, "a", "[B-Za]"), (False, "A", "[B-a]"), (True, "a", "[B-a]"),
    (False, "z", "[Z-y]"), (True, "Z", "[Z-y]"),
]  # fmt: skip


@pytest.mark.parametrize(("expected", "path", "glob"), WILDMATCH)
def test_globs_match_as_git_wildmatch_does(expected: bool, path: str, glob: str) -> None:
    regex = translate(glob.encode(), strict=False)
    assert (regex is not None and regex.match(path.encode()) is not None) is expected


@pytest.mark.parametrize(
    ("glob", "words"),
    [
        ("!", "matches nothing"),
        ("/", "matches nothing"),
        ("deploy/\\", "Escape character"),
        ("iam/[z-a].json", "bad character range z-a"),
        ("a[", "never closed"),
        ("a[]b", "never closed"),
        ("[[:spaci:]]", "unknown character class [:spaci:]"),
        ("#generated", "comment"),
        ("", "empty glob"),
    ],
)
def test_a_config_glob_that_can_never_match_is_an_error(glob: str, words: str) -> None:
    with pytest.raises(GlobError, match=words.replace("[", r"\[")):
        check_glob(glob)


def _ignored(lines: list[str], path: str, is_dir: bool = False) -> bool:
    return compile_gitignore(lines).matches(path.encode(), is_dir)


@pytest.mark.parametrize(
    ("lines", "path", "ignored"),
    [
        (["vendor/", "!vendor/keep.yaml"], "vendor/keep.yaml", True),  # git cannot re-include
        (["vendor/*", "!vendor/keep.yaml"], "vendor/keep.yaml", False),
        (["*.yaml", "!keep.yaml"], "a/keep.yaml", False),
        (["/top.yaml"], "a/top.yaml", False),
        (["/top.yaml"], "top.yaml", True),
        (["doc/*.yaml"], "x/doc/a.yaml", False),  # a `/` anchors the line
        (["doc/*.yaml"], "doc/a.yaml", True),
        (["gen/"], "a/gen", False),  # a file named like a folder line
        (["gen/"], "a/gen/x.yaml", True),
        (["**/gen/*.yaml"], "gen/x.yaml", True),
        (["a/**"], "a", False),
        (["a/**"], "a/b/c.yaml", True),
        (["a.yaml  "], "a.yaml", True),  # trailing spaces dropped
        (["a.yaml\\ "], "a.yaml ", True),  # unless escaped
        (["\\#a.yaml"], "#a.yaml", True),
        (["#a.yaml"], "#a.yaml", False),  # a comment
        (["\\!a.yaml"], "!a.yaml", True),
        (["?.yaml"], "é.yaml", False),  # `?` is one byte, as in git
        (["??.yaml"], "é.yaml", True),
        (["*"], "a/b.yaml", True),
    ],
)
def test_gitignore_lines_follow_git(lines: list[str], path: str, ignored: bool) -> None:
    assert _ignored(lines, path) is ignored


def test_an_ignored_folder_is_not_entered_and_its_files_are_ignored(tmp_path: Path) -> None:
    make_project(tmp_path, {".gitignore": "vendor/\n!vendor/keep.yaml\n", "vendor/keep.yaml": ""})
    found = [c.path for c in discover([tmp_path], tmp_path, GlobSet(()), GlobSet(()))]
    assert tmp_path / "vendor" / "keep.yaml" not in found and tmp_path / "good.yaml" in found
    # A folder named for the run inside an ignored folder: its files stay ignored.
    assert list(discover([tmp_path / "vendor"], tmp_path, GlobSet(()), GlobSet(()))) == []


GITIGNORE = (
    "*.gen.yaml\nbuild/\n/top.json\ndocs/**/draft-*.yaml\n!docs/keep/draft-1.yaml\n"
    "**/tmp\nvendor/*\n!vendor/ok.yaml\n[Bb]ackup-[0-9]?.yaml\nweird\\ name.yaml\\ \n"
)
GIT_PATHS = [
    "a.gen.yaml", "x/b.gen.yaml", "build/a.yaml", "x/build/a.yaml", "top.json", "x/top.json",
    "docs/a/b/draft-1.yaml", "docs/draft-2.yaml", "docs/keep/draft-1.yaml", "tmp/a.yaml",
    "x/tmp/y/a.yaml", "vendor/a.yaml", "vendor/ok.yaml", "vendor/sub/c.yaml", "Backup-12.yaml",
    "backup-1x.yaml", "backup-123.yaml", "weird name.yaml ", "weird name.yaml", "plain.yaml",
]  # fmt: skip


def test_the_walk_agrees_with_git_check_ignore(tmp_path: Path) -> None:
    require_program("git")  # the reference the walk is compared with
    files = {".gitignore": GITIGNORE, "sub/.gitignore": "!*.gen.yaml\n"}
    files |= {path: "" for path in [*GIT_PATHS, "sub/c.gen.yaml"]}
    make_project(tmp_path, files)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=tmp_path, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    expected = sorted(p for p in listed if p.endswith((".yaml", ".json")))
    found = discover([tmp_path], tmp_path, GlobSet(()), GlobSet(()))
    assert sorted(c.path.relative_to(tmp_path).as_posix() for c in found) == expected


def test_a_config_glob_matches_a_folder_and_what_it_holds(tmp_path: Path) -> None:
    exclude = GlobSet(["vendor/", "*.gen.yaml", "!keep.gen.yaml"])
    assert exclude.matches(tmp_path / "vendor", tmp_path, is_dir=True)
    assert exclude.matches(tmp_path / "vendor" / "a" / "b.yaml", tmp_path)
    assert not exclude.matches(tmp_path / "vendor", tmp_path)  # a file named `vendor`
    assert exclude.matches(tmp_path / "x" / "a.gen.yaml", tmp_path)
    assert not exclude.matches(tmp_path / "x" / "keep.gen.yaml", tmp_path)
    assert not exclude.matches(tmp_path.parent / "a.gen.yaml", tmp_path)  # outside the root


def _reference(glob: str, path: str, at: int = 0) -> bool:
    """git's wildmatch (WM_PATHNAME) for literals, `?`, `*` and `**`, written the naive,
    backtracking way: slow, but plainly right on short inputs. `at`: where `glob` starts."""
    rest = glob[at:]
    if not rest:
        return not path
    if rest[0] != "*":
        if not path or (rest[0] == "?" and path[0] == "/"):
            return False
        return (rest[0] in ("?", path[0])) and _reference(glob, path[1:], at + 1)
    stars = len(rest) - len(rest.lstrip("*"))
    after = at + stars
    if stars >= 2 and (at == 0 or glob[at - 1] == "/") and glob[after : after + 1] in ("", "/"):
        if after == len(glob):  # a trailing `**`: anything
            return True
        starts = [0] + [i + 1 for i, c in enumerate(path) if c == "/"]  # `**/`: any folders
        return any(_reference(glob, path[i:], after + 1) for i in starts)
    stop = path.find("/")
    return any(
        _reference(glob, path[i:], after) for i in range(len(path) + 1 if stop < 0 else stop + 1)
    )


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "/", "*", "**", "?"]), max_size=8).map("".join),
    st.lists(st.sampled_from(["a", "b", "/"]), max_size=9).map("".join),
)
def test_globs_match_as_a_naive_backtracking_wildmatch_does(glob: str, path: str) -> None:
    regex = translate(glob.encode(), strict=False)
    assert (regex is not None and regex.match(path.encode()) is not None) is _reference(glob, path)
