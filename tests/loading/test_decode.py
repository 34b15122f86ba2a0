"""decode(): bytes -> text, UTF-8 only, line breaks normalised (SPEC §4)."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reglint.findings import FILE_START, Span
from reglint.loading.decode import decode
from reglint.loading.errors import LoadError


def test_empty_input_is_empty_text() -> None:
    assert decode(b"") == ""


def test_plain_utf8_is_returned_unchanged() -> None:
    assert decode("name: café ☕\n".encode()) == "name: café ☕\n"


def test_utf8_bom_is_dropped() -> None:
    assert decode(codecs.BOM_UTF8 + b"a: 1\n") == "a: 1\n"


def test_a_bom_alone_is_an_empty_file() -> None:
    assert decode(codecs.BOM_UTF8) == ""


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode(b"a: 1\r\nb: 2\rc: 3\r\n\r\n") == "a: 1\nb: 2\nc: 3\n\n"


def test_cr_before_crlf_gives_two_line_breaks() -> None:
    # "\r\r\n" is a lone CR then a CRLF: two line ends, as an editor shows them.
    assert decode(b"a\r\r\nb") == "a\n\nb"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + "a: 1\n".encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + "a: 1\n".encode("utf-32-le"), "UTF-32"),
        (codecs.BOM_UTF32_BE + "a: 1\n".encode("utf-32-be"), "UTF-32"),
        ("a: 1\n".encode("utf-16-le"), "UTF-16"),  # no BOM: found from the NUL padding
        ("a: 1\n".encode("utf-16-be"), "UTF-16"),
        ("a: 1\n".encode("utf-32-le"), "UTF-32"),
        ("a: 1\n".encode("utf-32-be"), "UTF-32"),
    ],
)
def test_wide_encodings_are_named(raw: bytes, encoding: str) -> None:
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert caught.value.message == f"file is {encoding} encoded; reglint reads UTF-8"
    assert caught.value.span == FILE_START


def test_utf16_example_from_the_brief() -> None:
    with pytest.raises(LoadError, match=r"^file is UTF-16 encoded; reglint reads UTF-8$"):
        decode("kind: RegistryService\n".encode("utf-16"))


def test_nul_bytes_mean_a_binary_file() -> None:
    with pytest.raises(LoadError) as caught:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert caught.value.message == (
        "file contains NUL bytes: it looks like a binary file, not YAML or JSON"
    )


def test_invalid_utf8_names_the_byte_and_its_position() -> None:
    raw = b"a: 1\nname: caf\xe9 secret\n"  # Latin-1 "é" on line 2, column 10
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert caught.value.span == Span(2, 10, 2, 11)
    assert "0xe9" in caught.value.message
    assert "UTF-8" in caught.value.message
    assert "caf" not in caught.value.message and "secret" not in caught.value.message


def test_invalid_utf8_column_counts_characters_after_a_bom_and_crlf() -> None:
    raw = codecs.BOM_UTF8 + b"x: 1\r\ny: " + "☕☕".encode() + b"\xff"
    with pytest.raises(LoadError) as caught:
        decode(raw)
    # Line 2 (the CRLF is one break); "y: ☕☕" is 5 characters, so the byte is column 6.
    assert caught.value.span == Span(2, 6, 2, 7)
    assert "0xff" in caught.value.message


def test_invalid_utf8_after_a_lone_cr_is_on_the_next_line() -> None:
    with pytest.raises(LoadError) as caught:
        decode(b"a\rb\xc3(")
    assert caught.value.span == Span(2, 2, 2, 3)
    assert "0xc3" in caught.value.message


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_raise_load_error(raw: bytes) -> None:
    try:
        text = decode(raw)
    except LoadError as error:
        assert error.span.line >= 1 and error.span.column >= 1
    else:
        assert "\r" not in text and not text.startswith("\ufeff")
