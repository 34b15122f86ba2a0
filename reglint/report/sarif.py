"""SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), shaped
for GitHub code scanning and clean under Microsoft's validator (`--rule-kind "Gh;Sarif"`).

One run; `tool.driver.rules` holds every rule of the catalogue (sarif_rules.py), so a
result's `ruleIndex` is stable whatever was selected. Paths are relative URIs against
`%SRCROOT%`, the current directory, which `originalUriBaseIds` spells out.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import reglint
from reglint.files.paths import display_path
from reglint.findings import Finding, Fix, Notification, RelatedLocation, Span, SuppressionKind
from reglint.report.escape import encodable
from reglint.report.sarif_rules import rule_descriptors

if TYPE_CHECKING:
    from reglint.report import ReportContext
    from reglint.report.result import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/reglint/reglint"
SRCROOT = "%SRCROOT%"

# Our own key, not GitHub's `primaryLocationLineHash`: GitHub's upload action computes
# that one itself from the source line and warns about every result whose supplied
# value differs from its own. A versioned key lets the hash input change one day
# without silently redefining what an old value meant.
FINGERPRINT_KEY = "reglint/v1"

# Semantic Versioning 2.0.0 (https://semver.org), which `semanticVersion` must follow; a
# PEP 440 version such as `0.2.0.dev1` does not, and is then given as `version` only.
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?"
)

# SARIF §3.35.2: "inSource" is a suppression written in the analysed file; "external"
# one kept elsewhere (the baseline file, the config's per-file-ignores).
_SUPPRESSION_KINDS = {
    SuppressionKind.INLINE: "inSource",
    SuppressionKind.BASELINE: "external",
    SuppressionKind.CONFIG: "external",
}


def render(result: RunResult, context: ReportContext) -> str:
    """The whole SARIF log as JSON text."""
    rule_index = {rule.id: index for index, rule in enumerate(context.catalogue)}
    cwd = result.cwd
    driver: dict[str, Any] = {"name": "reglint", "version": reglint.__version__}
    if _SEMVER.fullmatch(reglint.__version__):
        driver["semanticVersion"] = reglint.__version__
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = rule_descriptors(context.catalogue)
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {SRCROOT: {"uri": directory_uri(cwd)}},
        # Our columns count Unicode characters (code points), not UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, rule_index[finding.rule_id], cwd) for finding in result.shown
        ],
    }
    if result.live is not None:  # `aws verify`: what was read live
        run["properties"] = {"live": result.live}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # URIs carry a file name's exact bytes (relative_uri); its text, U+FFFD for each
    # byte that is not UTF-8.
    return encodable(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def _result(finding: Finding, rule_index: int, cwd: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": message_text(finding)},
        "locations": [{"physicalLocation": _physical(finding.path, finding.span, cwd)}],
    }
    if finding.related:
        result["relatedLocations"] = [
            _related(number, related, cwd) for number, related in enumerate(finding.related, 1)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [_fix(finding.fix, cwd)]
    if finding.suppressed is not None:
        suppression: dict[str, Any] = {
            "kind": _SUPPRESSION_KINDS[finding.suppressed.kind],
            "status": "accepted",
        }
        if finding.suppressed.justification:
            suppression["justification"] = finding.suppressed.justification
        result["suppressions"] = [suppression]
    return result


def _fix(fix: Fix, cwd: Path) -> dict[str, Any]:
    """SARIF §3.55-3.57: a fix's changes, one artifactChange per file, each edit a
    replacement of a region (deletedRegion, never its text) by insertedContent."""
    changes: dict[Path, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        changes.setdefault(edit.file, []).append(
            {
                "deletedRegion": _region(edit.span),
                "insertedContent": {"text": edit.text},
            }
        )
    return {
        "description": {"text": f"{fix.description} ({fix.safety.value} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(display_path(file, cwd), cwd),
                "replacements": replacements,
            }
            for file, replacements in changes.items()
        ],
    }


def message_text(finding: Finding) -> str:
    """The finding's message, plus a link to each related location.

    GitHub shows related locations only where the message links to them (SARIF §3.11.6
    embedded links, `[text](id)`); the link text is the place, `path:line`.
    """
    if not finding.related:
        return finding.message
    links = ", ".join(
        f"[{_link_text(f'{related.path}:{related.span.line}')}]({number})"
        for number, related in enumerate(finding.related, 1)
    )
    return f"{finding.message} (related: {links})"


def _link_text(text: str) -> str:
    # SARIF §3.11.6: in a link's text, `\`, `[` and `]` are escaped with a backslash.
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _related(number: int, related: RelatedLocation, cwd: Path) -> dict[str, Any]:
    # SARIF §3.28.2: a location's id is unique within its result; a message may link
    # to it as `[text](id)`.
    return {
        "id": number,
        "physicalLocation": _physical(related.path, related.span, cwd),
        "message": {"text": related.message},
    }


def _physical(path: str, span: Span, cwd: Path) -> dict[str, Any]:
    return {"artifactLocation": artifact_location(path, cwd), "region": _region(span)}


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        # Our spans already end SARIF's way: the column just after the region.
        "endColumn": span.end_column,
    }


def _invocation(result: RunResult) -> dict[str, Any]:
    return {
        # false only when a check crashed (RL000): bad input is a finding, not a failure.
        "executionSuccessful": not result.internal_error,
        # GitHub uses this to turn an absolute file URI (a file outside the current
        # directory) back into a repository path.
        "workingDirectory": {"uri": directory_uri(result.cwd)},
        "toolExecutionNotifications": [
            _notification(note, result.cwd) for note in result.notifications
        ],
    }


def _notification(note: Notification, cwd: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": note.level.value, "message": {"text": note.message}}
    if note.path not in ("", "."):  # "." is the whole project: no one file to point at
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact_location(note.path, cwd)}}
        ]
    return notification


def artifact_location(path: str, cwd: Path) -> dict[str, str]:
    """A report path as a SARIF artifactLocation: a relative URI reference against
    `%SRCROOT%` when the file is inside the current directory, else an absolute file URI.

    `..` segments are not allowed in file URIs (SARIF1002), and a relative reference
    cannot climb above its base anyway, so a file outside the current directory gets the
    absolute URI of its normalised path.
    """
    # Path, not PurePosixPath, for "absolute": on Windows `C:/x` is absolute too.
    if not Path(path).is_absolute() and ".." not in PurePosixPath(path).parts:
        return {"uri": relative_uri(path), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.normpath(cwd / path)).as_uri()}


def relative_uri(path: str) -> str:
    """Percent-encode a `/`-separated relative path as an RFC 3986 relative reference.

    Everything but unreserved characters and `/` is escaped: spaces, non-ASCII (as
    UTF-8), `%`, `#` and `?` (which would start a fragment or query) and `:` (which in
    a first segment would read as a URI scheme).
    """
    # surrogateescape: a file name that is not UTF-8 comes back as its original bytes
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def directory_uri(directory: Path) -> str:
    """An absolute file URI of a directory, with the trailing `/` that a base URI needs
    (SARIF §3.14.14) so that relative references resolve inside it."""
    uri = directory.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"
