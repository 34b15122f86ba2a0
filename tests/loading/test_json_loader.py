"""load_json(): strict JSON, duplicate keys, limits and lazy positions (SPEC §1.2, §4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reglint.findings import Span
from reglint.loading import json_loader
from reglint.loading.decode import decode
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.json_loader import load_json
from reglint.loading.json_positions import scan_positions
from reglint.loading.positions import LazyPositions

LIMITS = Limits()

POLICY = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Push", "Effect": "Allow", "Action": ["ecr:PutImage", "ecr:BatchGetImage"],
     "Resource": "*"}
  ]
}
"""


def load_one(text: str) -> ParsedDocument:
    documents = load_json(text, LIMITS)
    assert len(documents) == 1
    return documents[0]


def load_error(text: str, limits: Limits = LIMITS) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_json(text, limits)
    return caught.value


def at(doc: ParsedDocument, *path: Any, key: bool = False) -> Span:
    return doc.positions.span(path, on_key=key)


def test_keys_and_values_have_exact_spans() -> None:
    doc = load_one(POLICY)
    assert doc.data["Statement"][0]["Action"] == ["ecr:PutImage", "ecr:BatchGetImage"]
    assert doc.span == Span(1, 1, 7, 2)
    assert at(doc, "Version") == Span(2, 14, 2, 26)  # string spans include the quotes
    assert at(doc, "Version", key=True) == Span(2, 3, 2, 12)
    assert at(doc, "Statement") == Span(3, 16, 6, 4)
    assert at(doc, "Statement", 0) == Span(4, 5, 5, 22)
    assert at(doc, "Statement", 0, "Sid") == Span(4, 13, 4, 19)
    assert at(doc, "Statement", 0, "Action") == Span(4, 50, 4, 87)
    assert at(doc, "Statement", 0, "Action", 1) == Span(4, 67, 4, 86)
    assert at(doc, "Statement", 0, "Resource", key=True) == Span(5, 6, 5, 16)
    assert at(doc, "Statement", 0, "Resource") == Span(5, 18, 5, 21)
    assert doc.duplicates == []


def test_positions_are_built_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[str] = []

    def counting_scan(text: str, max_depth: int) -> Any:
        scans.append(text)
        return scan_positions(text, max_depth)

    monkeypatch.setattr(json_loader, "scan_positions", counting_scan)
    doc = load_one(POLICY)
    assert isinstance(doc.positions, LazyPositions) and scans == []
    assert at(doc, "Statement", 0, "Effect") == Span(4, 31, 4, 38)
    assert at(doc, "Version") == Span(2, 14, 2, 26)
    assert len(scans) == 1  # built once, then reused


def test_numbers_literals_and_unicode_columns() -> None:
    doc = load_one('{"é☕": "😀", "n": -1.5e+3, "t": true, "z": null, "e": {}, "l": []}')
    assert doc.data == {"é☕": "😀", "n": -1500.0, "t": True, "z": None, "e": {}, "l": []}
    assert at(doc, "é☕", key=True) == Span(1, 2, 1, 6)  # columns count characters
    assert at(doc, "é☕") == Span(1, 8, 1, 11)
    assert at(doc, "n") == Span(1, 18, 1, 25)
    assert at(doc, "t") == Span(1, 32, 1, 36)
    assert at(doc, "z") == Span(1, 43, 1, 47)
    assert at(doc, "e") == Span(1, 54, 1, 56)
    assert at(doc, "l") == Span(1, 63, 1, 65)


def test_a_scalar_document_and_surrounding_blank_lines() -> None:
    assert load_one("12").span == Span(1, 1, 1, 3)
    doc = load_one('\n\n  {"a": 1}\n\n')
    assert doc.span == Span(3, 3, 3, 11)
    assert at(doc, "a") == Span(3, 9, 3, 10)


@pytest.mark.parametrize("text", ["", "  ", "\n\t\r\n"])
def test_empty_or_blank_text_has_no_document(text: str) -> None:
    assert load_json(text, LIMITS) == []


def test_crlf_file_positions_after_decode() -> None:
    doc = load_one(decode(b'{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n'))
    assert at(doc, "a", 1) == Span(4, 5, 4, 6)
    assert at(doc, "a") == Span(2, 8, 5, 4)


def test_duplicate_keys_record_the_second_occurrence_and_keep_the_last_value() -> None:
    text = '{"a": 1,\n "b": {"c": 1, "c": 2},\n "a": 3}'
    doc = load_one(text)
    assert doc.data == {"a": 3, "b": {"c": 2}}
    assert doc.duplicates == [
        DuplicateKey("c", Span(2, 16, 2, 19), Span(2, 8, 2, 11)),
        DuplicateKey("a", Span(3, 2, 3, 5), Span(1, 2, 1, 5)),
    ]
    assert at(doc, "a") == Span(3, 7, 3, 8)  # the last occurrence, as in the data
    assert at(doc, "b", "c") == Span(2, 21, 2, 22)


def test_escaped_keys_are_compared_decoded() -> None:
    doc = load_one('{"key": 1, "k\\u0065y": 2, "key": 3}')
    assert doc.data == {"key": 3}
    assert [d.span for d in doc.duplicates] == [Span(1, 12, 1, 22), Span(1, 27, 1, 32)]
    assert {d.first for d in doc.duplicates} == {Span(1, 2, 1, 7)}


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ('{"a": 1,}', ("Expecting property name enclosed in double quotes"
                       " (a trailing comma is not allowed in JSON)"), Span(1, 9, 1, 10)),
        ("[1, 2,\n]", "Expecting value (a trailing comma is not allowed in JSON)",
         Span(2, 1, 2, 2)),
        ('{\n  // note\n  "a": 1}', ("Expecting property name enclosed in double quotes"
                                    " (comments are not allowed in JSON)"), Span(2, 3, 2, 4)),
        ("/* c */ {}", "Expecting value (comments are not allowed in JSON)", Span(1, 1, 1, 2)),
        ('{"a": NaN}', "NaN and Infinity are not valid JSON numbers", Span(1, 7, 1, 10)),
        ('[1,\n -Infinity]', "NaN and Infinity are not valid JSON numbers", Span(2, 2, 2, 11)),
        ('["Infinity", Infinity]', "NaN and Infinity are not valid JSON numbers",
         Span(1, 14, 1, 22)),
        ('{"a": "x\ty"}', "Invalid control character", Span(1, 9, 1, 10)),
        ("{'a': 1}", "Expecting property name enclosed in double quotes", Span(1, 2, 1, 3)),
        ('{"a": 1} {"b": 2}', "Extra data", Span(1, 10, 1, 11)),
        ("1" * 5000, "a number in the file has too many digits", Span(1, 1, 1, 1)),
    ],
)  # fmt: skip
def test_strict_json_errors(text: str, message: str, span: Span) -> None:
    error = load_error(text)
    assert (error.message, error.span) == (message, span)


def test_depth_limit_at_200000_levels_catches_the_recursion_error() -> None:
    error = load_error("[" * 200_000 + "]" * 200_000)
    assert (error.message, error.span) == ("nesting deeper than 200 levels", Span(1, 201, 1, 202))


def test_depth_limit_is_exact() -> None:
    assert load_one("[" * 200 + "]" * 200).span == Span(1, 1, 1, 401)
    error = load_error("[" * 201 + "]" * 201)
    assert (error.message, error.span) == ("nesting deeper than 200 levels", Span(1, 201, 1, 202))
    objects = '{"a":\n' * 201 + "1" + "}" * 201
    error = load_error(objects)
    assert (error.message, error.span) == ("nesting deeper than 200 levels", Span(201, 1, 201, 2))


def test_brackets_inside_strings_are_not_nesting() -> None:
    assert load_one(json.dumps(["[" * 500, {"k": "{" * 500}])).data[1]["k"] == "{" * 500


def span_text(text: str, span: Span) -> str:
    """The characters a span covers (lines split on "\\n" only, as reglint counts them)."""
    lines = text.split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    middle = lines[span.line : span.end_line - 1]
    parts = [lines[span.line - 1][span.column - 1 :], *middle]
    return "\n".join([*parts, lines[span.end_line - 1][: span.end_column - 1]])


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield prefix, value
    if isinstance(value, (dict, list)):
        for step, child in value.items() if isinstance(value, dict) else enumerate(value):
            yield from paths(child, (*prefix, step))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 0, 2]), st.booleans())
def test_every_span_covers_exactly_its_value(value: Any, indent: int | None, ascii: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii)
    doc = load_one(text)
    assert doc.data == value
    for path, expected in paths(value):
        assert json.loads(span_text(text, at(doc, *path))) == expected
        if path and isinstance(path[-1], str):
            assert json.loads(span_text(text, at(doc, *path, key=True))) == path[-1]


JSONISH = st.text(alphabet='{}[]:,"\\ \n01eE.-+tfalsnuINaf/*', max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), JSONISH, st.binary(max_size=60)))
def test_any_text_loads_or_raises_load_error(text: str | bytes) -> None:
    try:
        if isinstance(text, bytes):  # bytes go the way files go: through decode()
            text = decode(text)
        docs = load_json(text, LIMITS)
    except LoadError as error:
        assert error.message and error.span.line >= 1
        return
    for doc in docs:
        doc.positions.span(("a", 0))  # building positions never fails on accepted text
