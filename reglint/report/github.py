"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
which the runner turns into an annotation on the file and line.

    ::error file=a.yaml,line=3,endLine=3,col=8,endColumn=20,title=RL102 invalid-registry-url::message

Suppressed findings are not printed: an annotation cannot be marked as suppressed.

Positions. Workflow-command columns are 1-based like ours, but the end column is the
column of the region's *last* character: @actions/core documents that `endColumn`
"defaults to `startColumn`" (and `endLine` to `startLine`), which only makes sense for an
inclusive end, whereas a reglint span ends SARIF's way, one past the last character. And
columns "cannot be sent when `startLine` and `endLine` are different values" (the Checks
API that stores annotations rejects them), so a region over several lines is given by
its lines only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reglint.findings import Finding, Severity
from reglint.report.escape import escape_controls

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render(result: RunResult, context: ReportContext) -> str:
    """One workflow command per unsuppressed finding, in the report's order."""
    return "".join(command(f) + "\n" for f in result.shown if f.suppressed is None)


def command(finding: Finding) -> str:
    """The workflow command that annotates one finding."""
    span = finding.span
    properties = [("file", finding.path), ("line", str(span.line)), ("endLine", str(span.end_line))]
    if span.line == span.end_line:
        last_column = max(span.column, span.end_column - 1)  # exclusive end -> inclusive
        properties += [("col", str(span.column)), ("endColumn", str(last_column))]
    properties.append(("title", f"{finding.rule_id} {finding.rule_name}"))
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{_COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def escape_data(value: str) -> str:
    """Escape a command's message the way the Actions runner unescapes it, then every
    other control character as the text report does (report/escape.py).

    `%` first, so that the escapes added next are not escaped again. Unescaped, a newline
    would end the command and let the rest of the message be read as a new one; the
    runner turns `%0A` back into a line break inside the annotation, so a file name with
    one still names its file. ESC, DEL, C1 controls and the like have no runner escape.
    """
    return escape_controls(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    """Escape a property value: as data, plus `:` (which ends the properties) and `,`
    (which separates them)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
