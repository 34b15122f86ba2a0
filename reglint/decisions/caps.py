"""What one finding, and one rule in one file, may print (docs/safety.md).

A message quotes values from the checked files, and a file can hold a 4 MB action or
ten thousand broken ones; without caps a report grows with the input, several times
over. So:

- a quoted value (between `'…'`, `"…"` or backticks, as messages quote them: an
  opening quote and its closing one, so reglint's own words between two quoted values
  are never cut) shows at most `QUOTED_VALUE_LIMIT` characters, then `…`; whatever its quoting, a message,
  related message or suppression reason shows at most `TEXT_LIMIT` characters, then `…`
  (no message of reglint's own comes near; only a value that holds quote characters
  could otherwise escape the first cap);
- a finding points to at most `RELATED_LIMIT` related locations;
- a report lists at most `FINDINGS_PER_RULE` findings of one rule in one file (by
  position), then one finding of that rule, at the place of the first one left out,
  that says how many more there are and has the highest level of those it stands for.
  Unsuppressed and suppressed findings are counted apart. The summary, the exit code,
  `--statistics` and `--write-baseline` still count every finding.

The text caps are applied by the Decider after redaction (so a cut never leaves half a
secret to be missed); the findings cap by the reporters, over the run's sorted
findings, so it is the same whatever `--jobs` says.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from reglint.findings import Finding, Notification
from reglint.model.service import redact_secret_access_keys

if TYPE_CHECKING:
    from collections.abc import Iterable

QUOTED_VALUE_LIMIT = 200
TEXT_LIMIT = 1000
RELATED_LIMIT = 100
FINDINGS_PER_RULE = 100
ELLIPSIS = "…"

# A quoted value: an opening quote (not an apostrophe: no letter or digit before it) and
# its closing quote. Matched left to right, so a closing quote never opens another value
# (`Resource "*", the …` quotes `*` only); a quote left open quotes nothing (the whole
# text's cap bounds it). Each try stops at the next quote of its kind, so the scan is
# linear in the text, however many quotes it holds.
_QUOTED = re.compile(r"""(?<!\w)(?:'[^']*'|"[^"]*"|`[^`]*`)""")


def cap_text(text: str) -> str:
    """`text` with each quoted value cut to QUOTED_VALUE_LIMIT characters and the whole
    cut to TEXT_LIMIT characters, each cut marked with `…`."""
    if len(text) <= QUOTED_VALUE_LIMIT:
        return text  # the usual message: nothing in it can be too long
    text = _QUOTED.sub(_cut_value, text)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + ELLIPSIS


def _cut_value(match: re.Match[str]) -> str:
    quoted = match.group()
    if len(quoted) <= QUOTED_VALUE_LIMIT + 2:
        return quoted
    return quoted[: QUOTED_VALUE_LIMIT + 1] + ELLIPSIS + quoted[-1]


def cap_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings a report lists: at most FINDINGS_PER_RULE of one rule in one file,
    suppressed and unsuppressed ones counted apart, then one note for the rest.

    `findings` must be in report order (sorted): the cap keeps the first ones.
    """
    shown: list[Finding] = []
    counts: dict[tuple[str, str, bool], int] = {}
    left_out: dict[tuple[str, str, bool], list[Finding]] = {}
    for finding in findings:
        key = (finding.path, finding.rule_id, finding.suppressed is None)
        count = counts[key] = counts.get(key, 0) + 1
        if count <= FINDINGS_PER_RULE:
            shown.append(finding)
        else:
            left_out.setdefault(key, []).append(finding)
    if not left_out:
        return shown
    for hidden in left_out.values():
        first = hidden[0]
        what = "suppressed " if first.suppressed is not None else ""
        more = "finding" if len(hidden) == 1 else "findings"
        shown.append(
            Finding(
                rule_id=first.rule_id,
                rule_name=first.rule_name,
                # The highest level it stands for, so that no report reads as milder than
                # the run's exit code (which counts every finding).
                severity=max((f.severity for f in hidden), key=lambda s: s.rank),
                path=first.path,
                span=first.span,
                message=(
                    f"{len(hidden)} more {what}{first.rule_id} {more} in this file from here "
                    f"on (a report lists the first {FINDINGS_PER_RULE} of a rule in a file)"
                ),
                fingerprint=hashlib.sha256(f"{first.fingerprint}:more".encode()).hexdigest()[:32],
                suppressed=first.suppressed,
            )
        )
    shown.sort(key=lambda f: f.sort_key)
    return shown


def shown_text(text: str) -> str:
    """What a finding may print of a text a check or a file wrote: every secret-shaped
    token redacted (the one guard of "no secret in any output", whatever a check quoted:
    a key, a path, a parser's words), then capped (`cap_text`). Redaction comes first, so
    that a cut never leaves part of a key too short to be recognised."""
    return cap_text(redact_secret_access_keys(text))


def shown_notification(note: Notification) -> Notification:
    """A notification as it may be printed: its message passed through `shown_text`."""
    return note._replace(message=shown_text(note.message))
