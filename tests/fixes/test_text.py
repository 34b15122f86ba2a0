"""fixes/text.py: positions kept on the decoded text land on the right bytes of the file
as written, whatever its BOM and line breaks, and inserted text takes the file's own
line breaks."""

from __future__ import annotations

import codecs

import pytest

from reglint.findings import Span
from reglint.fixes.text import FixError, SourceText, Splice, overlaps


def _replace(raw: bytes, span: Span, text: str) -> bytes:
    return SourceText(raw).bytes_after([Splice(span, text)])


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_span_lands_on_the_same_characters_whatever_the_line_breaks(newline: str) -> None:
    raw = newline.join(["a: 1", "url: HTTPS://x", "c: 3", ""]).encode()
    # line 2, columns 6-15: `HTTPS://x` in the decoded text
    fixed = _replace(raw, Span(2, 6, 2, 15), "x")
    assert fixed == newline.join(["a: 1", "url: x", "c: 3", ""]).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_inserted_line_breaks_are_the_files_own(newline: str) -> None:
    raw = newline.join(["{", '  "Statement": []', "}"]).encode()
    fixed = _replace(raw, Span(2, 3, 2, 3), '"Version": "2012-10-17",\n  ')
    assert fixed == newline.join(["{", '  "Version": "2012-10-17",', '  "Statement": []', "}"]).encode()
    assert fixed.count(b"\n") + fixed.count(b"\r") - fixed.count(b"\r\n") == 3


def test_a_bom_is_kept_and_not_counted_as_a_column() -> None:
    raw = codecs.BOM_UTF8 + b"url: Up\r\n"
    assert _replace(raw, Span(1, 6, 1, 8), "up") == codecs.BOM_UTF8 + b"url: up\r\n"


def test_columns_count_characters_not_bytes() -> None:
    raw = "name: é世 X\n".encode()
    assert _replace(raw, Span(1, 10, 1, 11), "y") == "name: é世 y\n".encode()


def test_a_span_to_the_start_of_the_next_line_takes_the_line_break() -> None:
    raw = b"a: 1\r\nb: 2\r\nc: 3\r\n"
    assert _replace(raw, Span(2, 1, 3, 1), "") == b"a: 1\r\nc: 3\r\n"


def test_a_span_outside_the_text_is_refused() -> None:
    text = SourceText(b"a: 1\n")
    with pytest.raises(FixError):
        text.bytes_after([Splice(Span(1, 7, 1, 7), "x")])
    with pytest.raises(FixError):
        text.bytes_after([Splice(Span(9, 1, 9, 1), "x")])


def test_overlapping_splices_are_refused() -> None:
    text = SourceText(b"abcdef\n")
    with pytest.raises(FixError):
        text.bytes_after([Splice(Span(1, 1, 1, 4), "x"), Splice(Span(1, 3, 1, 5), "y")])
    with pytest.raises(FixError):  # two insertions at one place: no order between them
        text.bytes_after([Splice(Span(1, 2, 1, 2), "x"), Splice(Span(1, 2, 1, 2), "y")])
    # an insertion right after a replaced region is not an overlap
    assert text.bytes_after([Splice(Span(1, 1, 1, 3), "X"), Splice(Span(1, 3, 1, 3), "-")]) == b"X-cdef\n"


def test_overlaps() -> None:
    assert overlaps(Span(1, 1, 1, 4), Span(1, 3, 1, 6))
    assert not overlaps(Span(1, 1, 1, 3), Span(1, 3, 1, 6))
    assert overlaps(Span(2, 5, 2, 5), Span(2, 5, 2, 5))
    assert overlaps(Span(2, 5, 2, 5), Span(2, 1, 2, 9))
    assert not overlaps(Span(2, 5, 2, 5), Span(2, 5, 2, 9))


def test_text_that_is_not_utf8_has_no_fix() -> None:
    with pytest.raises(FixError):
        SourceText(b"\xff\xfe")
