"""Running one hostile case through `reglint check` in every output format, and reading
each format back, so that a case asserts the same findings in all seven.

JSON is the reference: its findings are parsed into `Seen` records; SARIF, GitHub,
JUnit, GitLab Code Quality and checkstyle are parsed on their own and must report
exactly the same records (GitLab's entries also validate against GitLab's schema, with
unique fingerprints); the text report
(which cannot be split unambiguously when a path holds a newline) must hold one line per
JSON finding, each starting `path:line:column: RULE`.

`run_measured` runs reglint in a child process for the cases that must stay bounded in
time (a `timeout`) and in memory (the child's peak RSS).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reglint.report.text import escaped_path

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "checkstyle")
_GITLAB_SCHEMA = Path(__file__).resolve().parents[1] / "report" / "gitlab-codequality-schema.json"
_TEXT_FINDING = re.compile(r": RL\d{3} (?:error|warning|note) [a-z0-9-]+: ")
_GITHUB = re.compile(r"^::(error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


@dataclass(frozen=True, order=True)
class Seen:
    """One finding as a report shows it: rule, file and line."""

    rule: str
    path: str
    line: int


@dataclass
class FormatRun:
    """One `reglint check --format F` run and what its output says."""

    output_format: str
    code: int
    out: str
    err: str
    seen: list[Seen] = field(default_factory=list)
    messages: dict[Seen, str] = field(default_factory=dict)  # from the JSON report only
    skipped: set[str] = field(default_factory=set)  # from the output itself (SARIF, JUnit)

    def notified(self, path: str) -> bool:
        """True when stderr says that `path` was skipped (stderr escapes it)."""
        return f"reglint: {escaped_path(path)}: skipped: " in self.err


RunCli = Callable[..., Any]


def check_every_format(run_cli: RunCli, cwd: Path, *args: str) -> dict[str, FormatRun]:
    """`reglint check ARGS` once per output format; each must agree with the JSON report."""
    runs = {fmt: _run_one(run_cli, cwd, fmt, args) for fmt in FORMATS}
    reference = runs["json"]
    for fmt, run in runs.items():
        assert run.code == reference.code, (fmt, run)
        if fmt == "text":
            _assert_text_matches(run.out, reference.seen)
            run.seen = list(reference.seen)
        elif fmt in ("junit", "checkstyle"):
            # XML 1.0 cannot carry some characters a file name may hold: both drop them.
            expected = [Seen(s.rule, _xml_text(s.path), s.line) for s in reference.seen]
            assert sorted(run.seen) == sorted(expected), (fmt, run.seen, expected)
            run.seen, run.skipped = list(reference.seen), {_raw(p, reference) for p in run.skipped}
        else:
            assert sorted(run.seen) == sorted(reference.seen), (fmt, run.seen, reference.seen)
    return runs


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(path: str) -> str:
    """A path as JUnit XML holds it."""
    return _NOT_XML.sub("", path)


def _raw(junit_path: str, reference: FormatRun) -> str:
    """The path JSON reported (or stderr named) for a path as JUnit holds it."""
    candidates = {s.path for s in reference.seen}
    named = re.findall(r"^reglint: (.*?): skipped: ", reference.err, re.MULTILINE)
    candidates |= {unescape_controls(name) for name in named}
    return next((path for path in candidates if _xml_text(path) == junit_path), junit_path)


def _run_one(run_cli: RunCli, cwd: Path, fmt: str, args: tuple[str, ...]) -> FormatRun:
    result = run_cli("check", "--format", fmt, *args, cwd=cwd)
    assert_no_traceback(result.out, result.err)
    run = FormatRun(fmt, result.code, result.out, result.err)
    if fmt == "json":
        for finding in json.loads(result.out)["findings"]:
            if finding["suppressed"] is None:
                seen = Seen(finding["rule"], finding["path"], finding["line"])
                run.seen.append(seen)
                run.messages[seen] = finding["message"]
    elif fmt == "sarif":
        run.seen, run.skipped = _read_sarif(result.out)
    elif fmt == "github":
        run.seen = read_github(result.out)
    elif fmt == "junit":
        run.seen, run.skipped = _read_junit(result.out)
    elif fmt == "gitlab":
        run.seen = _read_gitlab(result.out)
    elif fmt == "checkstyle":
        run.seen = _read_checkstyle(result.out)
    return run


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback (most recent call last)" not in text, text[-3000:]


def _assert_text_matches(out: str, expected: list[Seen]) -> None:
    assert len(_TEXT_FINDING.findall(out)) == len(expected), out
    for seen in expected:
        shown = escaped_path(seen.path)  # the text report keeps each finding on one line
        assert re.search(rf"(^|\n){re.escape(shown)}:{seen.line}:\d+: {seen.rule} ", out), (
            seen,
            out,
        )


def _read_sarif(out: str) -> tuple[list[Seen], set[str]]:
    run = json.loads(out)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    seen = []
    for result in run["results"]:
        if result.get("suppressions"):
            continue
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        uri = unquote(location["artifactLocation"]["uri"])
        seen.append(Seen(result["ruleId"], uri, location["region"]["startLine"]))
    skipped = set()
    for invocation in run["invocations"]:
        for note in invocation.get("toolExecutionNotifications", []):
            for where in note.get("locations", []):
                skipped.add(unquote(where["physicalLocation"]["artifactLocation"]["uri"]))
    return seen, skipped


_ESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(.))")
_NAMED = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def unescape_controls(value: str) -> str:
    """The inverse of `escaped_path` (report/escape.py): `\\xNN` of 0x80-0xff is an
    undecodable byte of a file name, kept as os.fsdecode keeps it."""

    def plain(match: re.Match[str]) -> str:
        byte, code, named = match.groups()
        if byte is not None:
            number = int(byte, 16)
            return chr(number if number < 0x80 else 0xDC00 + number)
        return chr(int(code, 16)) if code is not None else _NAMED[named]

    return _ESCAPE.sub(plain, value)


def _unescape_property(value: str) -> str:
    # The inverse of the reporter's escaping: reglint's escapes (applied last) first, then
    # the runner's, `%25` last (it was escaped first). The runner itself undoes only its own.
    value = unescape_controls(value)
    for escaped, plain in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def read_github(out: str) -> list[Seen]:
    """The findings of a GitHub report, read as the Actions runner reads the commands."""
    seen = []
    for line in out.removesuffix("\n").split("\n") if out else ():  # the runner splits at LF
        match = _GITHUB.match(line)
        assert match is not None, f"not a workflow command: {line!r}"
        properties = dict(part.split("=", 1) for part in match["properties"].split(","))
        rule = _unescape_property(properties["title"]).split(" ")[0]
        seen.append(Seen(rule, _unescape_property(properties["file"]), int(properties["line"])))
    return seen


def _read_junit(out: str) -> tuple[list[Seen], set[str]]:
    root = ET.fromstring(out.encode("utf-8"))
    seen, skipped = [], set()
    for case in root.iter("testcase"):
        path = case.attrib["name"]
        if case.find("skipped") is not None:
            skipped.add(path)
        for element in (*case.findall("failure"), *case.findall("system-out")):
            text = element.text or ""
            # XML parsers turn a raw CR in character data into LF (XML 1.0 §2.11); the
            # reporter writes it raw, so a CR in a file name reads back as LF there.
            written = path.replace("\r", "\n")
            pattern = rf"(?:^|\n){re.escape(written)}:(\d+):\d+: (RL\d{{3}}) "
            found = [Seen(rule, path, int(line)) for line, rule in re.findall(pattern, text)]
            if element.tag == "failure":
                assert [s.rule for s in found][:1] == [element.attrib["type"]], text
            seen.extend(found)
    return seen, skipped


def _read_gitlab(out: str) -> list[Seen]:
    import jsonschema

    report = json.loads(out)
    validator = jsonschema.Draft7Validator(json.loads(_GITLAB_SCHEMA.read_text(encoding="utf-8")))
    for entry in report:
        validator.validate(entry)  # GitLab's parser stops at the first entry that fails
    fingerprints = [entry["fingerprint"] for entry in report]
    assert len(set(fingerprints)) == len(fingerprints), fingerprints
    return [Seen(e["check_name"], e["location"]["path"], e["location"]["lines"]["begin"]) for e in report]


def _read_checkstyle(out: str) -> list[Seen]:
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "checkstyle"
    seen = []
    for file in root.iter("file"):
        for error in file.iter("error"):
            source = error.attrib["source"]
            assert source.startswith("reglint.RL"), source
            seen.append(Seen(source.removeprefix("reglint."), file.attrib["name"], int(error.attrib["line"])))
    return seen


def assert_reported(
    runs: dict[str, FormatRun],
    expected: Iterable[Seen],
    *,
    code: int,
    skipped: Iterable[str] = (),
    words: dict[Seen, str] | None = None,
) -> None:
    """Every format reports exactly `expected`, exits `code`, and names `skipped` files as
    skipped (stderr always; the SARIF notifications and JUnit `<skipped>` too)."""
    expected = sorted(expected)
    for fmt, run in runs.items():
        assert run.code == code, (fmt, run.code, run.out[-2000:], run.err[-2000:])
        assert sorted(run.seen) == expected, (fmt, run.seen)
        for path in skipped:
            assert run.notified(path), (fmt, path, run.err)
            if fmt in ("sarif", "junit"):
                assert path in run.skipped, (fmt, path, run.skipped)
    for seen, word in (words or {}).items():
        assert word in runs["json"].messages[seen], (seen, runs["json"].messages[seen])


@dataclass(frozen=True)
class Measured:
    """A child `reglint` run: exit code, output, and the child's peak RSS in MiB."""

    code: int
    out: str
    err: str
    peak_rss_mib: float


# Runs the command given as arguments and records its peak RSS: RUSAGE_CHILDREN of this
# small wrapper covers only that one child, whatever else the test process ran before.
_WRAPPER = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_measured(cwd: Path, *args: str, timeout: float, stdin: bytes | None = None) -> Measured:
    """`python -m reglint ARGS` in `cwd`, killed (with its whole process group) after
    `timeout` seconds, which fails the test. `stdin`: bytes piped to it (else none)."""
    rss_file = cwd.parent / f".peak-rss-{os.getpid()}"
    command = [
        sys.executable,
        "-c",
        _WRAPPER,
        str(rss_file),
        sys.executable,
        "-m",
        "reglint",
        *args,
    ]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: a timeout kills reglint too
    )
    try:
        # A reader that stops early (a bounded read) closes the pipe: communicate() ignores that.
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"reglint {' '.join(args)} did not finish in {timeout} s") from None
    kib = int(rss_file.read_text())  # ru_maxrss is in KiB on Linux
    rss_file.unlink()
    text_out, text_err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    assert_no_traceback(text_out, text_err)
    return Measured(process.returncode, text_out, text_err, kib / 1024)
