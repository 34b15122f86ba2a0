"""Bytes -> text: UTF-8 only, BOM dropped, every line break made a `\\n`.

Both parsers and every reporter count lines by `\\n`; normalising CRLF and lone CR here
keeps their line numbers equal to what an editor shows for the file. Messages name the
cause and never quote file content (a file may hold secrets).
"""

from __future__ import annotations

import codecs

from reglint.findings import Span
from reglint.loading.errors import LoadError

__all__ = ["decode"]

# UTF-32 first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode(raw: bytes) -> str:
    """Decode a file's bytes as UTF-8, or raise `LoadError` naming why it cannot be read."""
    if not raw:
        return ""
    for bom, encoding in _FOREIGN_BOMS:
        if raw.startswith(bom):
            raise LoadError(f"file is {encoding} encoded; reglint reads UTF-8")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in raw:
        wide = _sniff_wide_encoding(raw)
        if wide is not None:
            raise LoadError(f"file is {wide} encoded; reglint reads UTF-8")
        raise LoadError("file contains NUL bytes: it looks like a binary file, not YAML or JSON")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid_utf8(raw, exc.start) from None
    if "\r" in text:
        # CRLF first, so that its CR does not become a line of its own.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _sniff_wide_encoding(raw: bytes) -> str | None:
    """Name UTF-16/UTF-32 text written without a BOM, from the NULs around its first ASCII.

    The same zero-byte pattern test that RFC 4627 §3 describes for JSON: a YAML or JSON
    file starts with an ASCII character, which these encodings pad with NUL bytes.
    """
    if len(raw) >= 4 and (raw[:3] == b"\x00\x00\x00" or raw[1:4] == b"\x00\x00\x00"):
        return "UTF-32"
    if len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0):
        return "UTF-16"
    return None


def _invalid_utf8(raw: bytes, offset: int) -> LoadError:
    """The error for the first undecodable byte, at its line and column in the decoded text."""
    # Everything before the first bad byte decodes; normalise its line breaks exactly as
    # `decode` would so the position matches the text the user sees.
    before = raw[:offset].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return LoadError(
        f"file is not valid UTF-8: byte 0x{raw[offset]:02x} cannot be decoded "
        "(is it Latin-1 or another encoding?); reglint reads UTF-8",
        Span.from_zero_based(line, column, line, column + 1),
    )
