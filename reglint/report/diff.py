"""`--diff`: what `--fix` would change, as a unified diff (`--- a/PATH`, `+++ b/PATH`,
hunks with three lines of context), one file after another in path order.

It is printed, so it follows the rules of every output: a line that holds a secret
(an RL106/RL110 finding's, or one a fix replaces) is never shown — the diff prints
`<a secret: line not shown>` in its place —, secret-shaped text is redacted anywhere
else, and control characters are escaped (report/escape.py; a tab stays a tab). Lines
are compared as reglint reads them: a CRLF file's diff shows its lines without the CR,
and a BOM is not shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from reglint.fixes.text import FixError, SourceText
from reglint.model.service import redact_secret_access_keys
from reglint.report.escape import escape_controls

SECRET_LINE = "<a secret: line not shown>"
_CONTEXT = 3


def file_diff(
    shown: str, old: bytes, new: bytes, old_secrets: frozenset[int], new_secrets: frozenset[int]
) -> str:
    """The unified diff of one file, `shown` as its path; empty when nothing changes."""
    old_lines, old_eol = _lines(old)
    new_lines, new_eol = _lines(new)
    if old_lines == new_lines and old_eol == new_eol:
        return ""
    path = escape_controls(shown)
    out = [f"--- a/{path}", f"+++ b/{path}"]
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        first, last = group[0], group[-1]
        out.append(
            f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@"
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_shown(" ", old_lines, i1, i2, old_secrets, old_eol))
                continue
            if tag in ("replace", "delete"):
                out.extend(_shown("-", old_lines, i1, i2, old_secrets, old_eol))
            if tag in ("replace", "insert"):
                out.extend(_shown("+", new_lines, j1, j2, new_secrets, new_eol))
    return "\n".join(out) + "\n"


def _lines(raw: bytes) -> tuple[list[str], bool]:
    """A text's lines, and whether it ends with a line break."""
    try:
        text = SourceText(raw).text
    except FixError:
        text = raw.decode("utf-8", "replace")
    if not text:
        return [], True
    lines = text.split("\n")
    if lines[-1] == "":
        return lines[:-1], True
    return lines, False


def _range(start: int, end: int) -> str:
    """A hunk range in unified diff notation (1-based start, count)."""
    count = end - start
    first = start + 1 if count else start
    return f"{first}" if count == 1 else f"{first},{count}"


def _shown(
    mark: str, lines: list[str], start: int, end: int, secrets: frozenset[int], eol: bool
) -> Iterator[str]:
    for index in range(start, end):
        number = index + 1
        if number in secrets:
            text = SECRET_LINE
        else:
            redacted = redact_secret_access_keys(lines[index])
            text = "\t".join(escape_controls(part) for part in redacted.split("\t"))
        yield f"{mark}{text}"
        if number == len(lines) and not eol:
            yield "\\ No newline at end of file"
