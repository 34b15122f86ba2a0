"""What every platform reader returns besides its own records: how a value is known, and
what is wrong with an input (SPEC §6.3).

Readers never raise for anything a file holds. An input that cannot be decoded is a
`MALFORMED` problem (the integration reports it like RL001); one that decodes but is not
what Kubernetes, Docker or MLRun accept is an `INVALID` problem (like RL002). A problem's
message never quotes a decoded value: it names the data key and says what is wrong.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Hashable
from typing import NamedTuple

from reglint.model.placeholder import is_placeholder

__all__ = [
    "DataPath",
    "ProblemKind",
    "SourceProblem",
    "ValueState",
    "has_template",
    "redact_userinfo",
    "value_state",
]

REDACTED = "<redacted>"
# As in reglint/model/reference.py: a scheme, and an image digest's `@algorithm:hex` tail.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_DIGEST_TAIL = re.compile(r"@[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")

DataPath = tuple[Hashable, ...]


class ValueState(enum.Enum):
    """How much is known about a value."""

    LITERAL = "literal"  # written out in the file
    PLACEHOLDER = "placeholder"  # filled in later (`${…}`, `{{ … }}`, `<…>`, a `valueFrom`)
    EMPTY = "empty"  # "", whitespace or null: no value


class ProblemKind(enum.Enum):
    MALFORMED = "malformed"  # cannot be decoded or parsed: an RL001-like finding
    INVALID = "invalid"  # decoded, but rejected by Kubernetes, Docker or MLRun: RL002-like


class SourceProblem(NamedTuple):
    """One thing wrong with an input, at the data path of the key that holds it."""

    kind: ProblemKind
    message: str  # never quotes a decoded value
    path: DataPath


def value_state(text: str) -> ValueState:
    """Whether `text` is a literal, a placeholder (SPEC §6.6) or empty."""
    if not text.strip():
        return ValueState.EMPTY
    return ValueState.PLACEHOLDER if is_placeholder(text) else ValueState.LITERAL


def has_template(text: str) -> bool:
    """True when some part of `text` is filled in by a template engine (`${…}`, `{{ … }}`)
    or the whole of it is a placeholder.

    A Helm chart writes a Secret's data as `{{ .Values.x | b64enc }}` or builds it from
    parts (`eyJhdXRocyI6{{ … }}`): such a value is known only at install time, so it is
    neither malformed base64 nor a literal secret.
    """
    return "${" in text or "{{" in text or is_placeholder(text)


def redact_userinfo(url: str) -> str:
    """`url` with the credentials before its last `@` replaced by `<redacted>`.

    Every `@` but a digest's counts, even one after a `/` (a secret access key may hold
    `/`), as the reference parser reads it; the URL checks still see the `@` and report
    it (RL102) without the credentials ever reaching a record.
    """
    digest = _DIGEST_TAIL.search(url)
    body = url[: digest.start()] if digest else url
    at = body.rfind("@")
    if at < 0:
        return url
    scheme = _SCHEME.match(body)
    head = scheme.group(0) if scheme is not None and scheme.end() <= at else ""
    return f"{head}{REDACTED}{url[at:]}"
