"""Escaping for the outputs people and CI runners read line by line: the text and GitHub
reports and every line reglint prints on stderr.

A value or a file name may hold anything: a line break followed by `::error …` (which a
GitHub Actions runner would run as a workflow command), ESC and OSC sequences (which
drive the terminal, even through a pipe into a log), bidi overrides (which reorder what
a reader sees), or a byte that is not UTF-8 (which cannot be written to a UTF-8 stream).
So each such character is written as an escape:

    \\  ->  \\\\          backslash, so that an escape reads back unambiguously
    LF, CR, TAB  ->  \\n \\r \\t
    other C0 controls and DEL  ->  \\x00 … \\x1f, \\x7f
    C1 controls, U+2028/U+2029, bidi embeddings, overrides and isolates  ->  \\u0085 …
    an undecodable byte of a file name (U+DC80-U+DCFF)  ->  \\x80 … \\xff, the byte itself
    any other lone surrogate  ->  \\ud800 …

JSON, SARIF, GitLab Code Quality, JUnit and checkstyle are data formats: they escape by
their own syntax instead, and write a lone surrogate, which no UTF-8 output can carry, as
U+FFFD (`encodable`); the XML ones also drop what XML 1.0 cannot carry (`xml_text`).
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
# XML 1.0 §2.2: only #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF may
# appear in a document, not even escaped (`&#0;` is ill-formed), so the rest is dropped.
# Written as the set of what is left out: the same characters, but the negated class of
# the allowed ranges is slow to compile (it spans every astral code point).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0x7F:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's "surrogateescape" of an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every character that could break a line, forge a command or drive a
    terminal written as an escape (see the module docstring)."""
    return _UNSAFE.sub(_escape, text)


def encodable(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so that UTF-8 can encode it (a
    file name that is not UTF-8 holds one for each undecodable byte; SARIF's URIs keep
    the exact bytes)."""
    return _SURROGATE.sub("\ufffd", text)


def xml_text(text: str) -> str:
    """`text` as an XML 1.0 document can hold it: a lone surrogate (an undecodable byte
    of a file name) as U+FFFD, as in JSON and SARIF; then what else XML 1.0 forbids
    dropped. ElementTree escapes the rest (`&`, `<`, quotes, line breaks in attributes)."""
    return _NOT_XML.sub("", encodable(text))


def echo_error(line: str) -> None:
    """Print one line on stderr, escaped."""
    import click

    click.echo(escape_controls(line), err=True)
