"""`--add-ignore REASON`: adopt reglint on a repository with findings (SPEC §6.5).

Each remaining finding of a YAML file gets an ignore comment with the reason (on its
line, or directly above it: fixes/comment_edits.py), one comment per line naming every
rule found there; the comments are checked like fixes (the data reads the same) and by
a run over the result, where a comment that suppresses nothing (RL004: a comment above
a key covers its whole block, so another one inside it is redundant) loses its unused
rules. Findings of JSON files, which hold no comments, become config `suppressions:`
entries (with the statement's `Sid` where it has one), printed for the user to paste.
RL000, RL001 and RL004 are never suppressed so (SPEC §3.3: RL001 not inline, RL004
never), nor is a finding in the config file itself.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from reglint.config.suppressions import statement_sid
from reglint.engine.fixing import Fixer, FixOutcome
from reglint.engine.run import RunRequest, run
from reglint.files.paths import relative_posix
from reglint.findings import Finding, Notification, Severity
from reglint.fixes.comment_edits import add_ignore
from reglint.fixes.text import FixError, SourceText
from reglint.loading.document import DocumentKind, Limits
from reglint.loading.errors import LoadError
from reglint.loading.reader import Skipped, is_json, load_bytes
from reglint.report.result import RunResult
from reglint.rule_catalogue import Catalogue

NEVER = frozenset({"RL000", "RL001", "RL004"})
_PASSES = 3  # runs that remove comments a wider one made redundant


class IgnoreOutcome(NamedTuple):
    result: RunResult  # the run over the result
    changed: dict[Path, bytes]
    original: dict[Path, bytes]
    comments: int  # comments written
    entries: list[dict[str, str]]  # config suppressions for the JSON findings


def usage_problem(reason: str, reads_stdin: bool, diff: bool) -> str | None:
    """Why `--add-ignore REASON` cannot be done as asked, or None."""
    if reads_stdin or diff:
        return "--add-ignore edits files: it takes neither '-' nor --diff"
    if not reason.strip():
        return "--add-ignore needs a reason: --add-ignore 'why these findings are accepted'"
    if any(c in reason for c in "\n\r\x85\u2028\u2029"):
        return "the --add-ignore reason must be one line"
    return None


def add_ignores(
    request: RunRequest, catalogue: Catalogue, reason: str, start: FixOutcome | None
) -> IgnoreOutcome:
    """Write ignore comments in memory for what `start` (or a fresh run) leaves."""
    from reglint.report.escape import escape_controls

    reason = escape_controls(reason.strip())
    request = request._replace(render_fixes=True)
    fixer = Fixer(request, catalogue, unsafe=False)
    contents = dict(start.changed) if start is not None else {}
    fixer.original.update(start.original if start is not None else {})
    result = start.result if start is not None else run(request._replace(overrides=contents), catalogue)
    by_file: dict[Path, dict[int, set[str]]] = {}
    json_findings: list[tuple[Path, Finding]] = []
    for finding in result.active:
        path = _absolute(request.cwd, finding.path)
        if finding.rule_id in NEVER or (request.config.path is not None and path == request.config.path):
            continue
        raw = contents.get(path) or fixer.read(path)
        if raw is None:
            continue
        if is_json(path, raw[:64].decode("utf-8", "replace")):
            json_findings.append((path, finding))
        else:
            by_file.setdefault(path, {}).setdefault(finding.span.line, set()).add(finding.rule_id)
    notes: list[Notification] = []
    written = 0
    for path, lines in sorted(by_file.items()):
        raw = contents.get(path) or fixer.read(path)
        assert raw is not None
        try:
            contents[path] = _commented(path, raw, lines, reason)
            written += len(lines)
        except (FixError, LoadError):
            notes.append(Notification(str(path), "no ignore comment written: the file could not be edited exactly", Severity.WARNING))
    if written:
        result = run(request._replace(overrides=contents), catalogue)
        for _ in range(_PASSES):
            redundant = [f for f in result.active if f.rule_id == "RL004" and _absolute(request.cwd, f.path) in by_file]
            updated = fixer.apply(fixer.round_edits(redundant, None), contents)
            if updated == contents:
                break
            contents = updated
            result = run(request._replace(overrides=contents), catalogue)
    result.notifications.extend(notes)
    entries = _entries(json_findings, request, fixer, contents, reason)
    original = {path: fixer.original[path] for path in contents if path in fixer.original}
    return IgnoreOutcome(result, contents, original, written, entries)


def _absolute(cwd: Path, shown: str) -> Path:
    import os

    return Path(os.path.normpath(cwd / shown))


def _commented(path: Path, raw: bytes, lines: dict[int, set[str]], reason: str) -> bytes:
    """`raw` with an ignore comment for each line's rules; the data must read the same."""
    from reglint.loading.yaml_loader import load_yaml

    text = SourceText(raw)
    scalars: list[Any] = []
    before = load_yaml(text.text, Limits(), scalars)
    scalars.sort()
    splices = [add_ignore(line, sorted(rules), reason, text, scalars) for line, rules in sorted(lines.items())]
    after = load_yaml(text.decoded_after(splices), Limits())
    if [d.data for d in after] != [d.data for d in before]:
        raise FixError("an ignore comment would change the data")
    return text.bytes_after(splices)


def _entries(
    findings: Iterable[tuple[Path, Finding]], request: RunRequest, fixer: Fixer, contents: dict[Path, bytes], reason: str
) -> list[dict[str, str]]:
    """One config `suppressions` entry per JSON file, rule and statement Sid."""
    entries: dict[tuple[str, str, str], dict[str, str]] = {}
    for path, finding in findings:
        relative = relative_posix(path, request.root)
        if relative is None:
            continue
        entry = {"path": _glob(relative), "rule": finding.rule_id}
        sid = _sid(path, contents.get(path) or fixer.read(path), finding.data_path, request.config.limits)
        if sid is not None:
            entry["sid"] = sid
        entry["reason"] = reason
        entries.setdefault((entry["path"], entry["rule"], sid or ""), entry)
    return list(entries.values())


def _glob(relative: str) -> str:
    """A glob that matches exactly this path from the project root."""
    escaped = re.sub(r"([\\*?\[\]!#])", r"\\\1", relative)
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return "/" + escaped


_STEP = re.compile(r"""\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]""")


def _sid(path: Path, raw: bytes | None, data_path: str, limits: Limits) -> str | None:
    """The Sid of the statement a JSON finding's data path leads into, if any."""
    if raw is None or not data_path.startswith("Statement"):
        return None
    source = load_bytes(path, raw, True, limits)
    if isinstance(source, Skipped):
        return None
    policies = [d for d in source.documents if d.kind is DocumentKind.POLICY]
    if len(policies) != 1:
        return None
    steps: list[Hashable] = []
    at = 0
    while at < len(data_path):
        match = _STEP.match(data_path, at)
        if match is None:
            break
        name, index, quoted = match.groups()
        steps.append(name if name is not None else int(index) if index is not None else ast.literal_eval(quoted))
        at = match.end()
    return statement_sid(policies[0].data, steps)


def suppressions_text(entries: list[dict[str, str]]) -> str:
    """The entries as YAML for the config (each value a JSON string, which YAML reads)."""
    lines = ["# reglint --add-ignore: paste these entries under `suppressions:` in the config", "suppressions:"]
    for entry in entries:
        first = True
        for key, value in entry.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {json.dumps(value)}")
            first = False
    return "\n".join(lines) + "\n"
