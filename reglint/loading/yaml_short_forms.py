"""CloudFormation's YAML short forms read as the long form they stand for (SPEC §6.2).

With `load_yaml(..., short_forms=True)`, a node tagged `!Name` becomes the one-key
mapping of its long form, as plain data: `!Ref X` -> `{"Ref": "X"}`, `!Condition C` ->
`{"Condition": "C"}`, and any other `!Name` -> `{"Fn::Name": value}` (`!Sub`, `!Join`,
`!If`, `!GetAtt`, `!Select`, `!Split`, `!FindInMap`, `!ImportValue`, `!GetAZs`,
`!Base64`, `!Cidr`, `!Equals`, `!And`, `!Or`, `!Not`, `!Transform`,
`!GetStackOutput`…). Nothing is ever constructed. Like the AWS CLI's and cfn-lint's
readers, a tag that AWS does not document is still read as `Fn::Name`: an unknown
function is then an unknown value (a placeholder), never its argument taken literally.

- The argument of a tagged scalar is a string, whatever it looks like (`!Ref 123` is
  `{"Ref": "123"}`), as CloudFormation and the AWS CLI read it; a tagged sequence or
  mapping keeps its items typed as usual.
- `!GetAtt A.B.C` is split at its first dot, `{"Fn::GetAtt": ["A", "B.C"]}` (an
  attribute name may hold dots: `Endpoint.Address`); `!GetAtt [A, B]` is kept as is.
- Positions: the whole tagged node spans the tag and its value; the key (`Fn::GetAtt`)
  spans the tag alone (`!GetAtt`, or `!<!GetAtt>` written verbatim); the value spans
  the argument without the tag. The two names of a split `!GetAtt` get their own spans
  when the scalar is written on one line without escapes, else the scalar's span.
- Only local tags of the primary handle whose name is a word (`!Sub`) are short
  forms; `!!python/...`, `!e!x` and `!` stay what they are without the option.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from reglint.findings import Span
from reglint.loading.positions import Position, PositionNode
from reglint.loading.yaml_errors import SpanMaker

__all__ = ["short_form_key", "tagged_collection", "tagged_scalar"]

_WORD = re.compile(r"![A-Za-z][A-Za-z0-9]*\Z")
_UNPREFIXED = frozenset({"!Ref", "!Condition"})  # their long forms have no `Fn::`
_GETATT = "Fn::GetAtt"
_BLANK = " \t\n"


class _Mark:
    """A parser mark (0-based line and column, character index) found in the text."""

    __slots__ = ("column", "index", "line")

    def __init__(self, line: int, column: int, index: int) -> None:
        self.line, self.column, self.index = line, column, index


def short_form_key(tag: str | None) -> str | None:
    """The long form's key for a short-form tag (`Fn::Sub` for `!Sub`), else None."""
    if tag is None or not _WORD.match(tag):
        return None
    return tag[1:] if tag in _UNPREFIXED else f"Fn::{tag[1:]}"


def tagged_scalar(
    text: str, event: Any, key: str, span: Span, make_span: SpanMaker
) -> tuple[dict[str, Any], PositionNode]:
    """The long form of a tagged scalar, and its positions."""
    tag_span, content = _locate(text, event, make_span)
    end = event.end_mark
    if content.index > end.index:  # an empty scalar: `!Ref` at the end of its line
        content = _Mark(end.line, end.column, end.index)
    value_span = make_span(content, end)
    value: Any = event.value
    inner: Position = value_span
    if key == _GETATT:
        name, dot, attribute = value.partition(".")
        value = [name, attribute] if dot else [name]
        inner = PositionNode(
            value_span, None, _getatt_spans(text, event, content, value, make_span)
        )
    return {key: value}, PositionNode(span, {key: tag_span}, {key: inner})


def tagged_collection(
    text: str, start: Any, end: Any, properties: tuple[str | None, str], obj: Any,
    node: PositionNode, make_span: SpanMaker,
) -> tuple[dict[str, Any], PositionNode]:  # fmt: skip
    """The long form of a tagged sequence or mapping (`properties`: its anchor and tag),
    and its positions: `node` spans the tag and the collection, and is narrowed to the
    collection."""
    anchor, tag = properties
    key = short_form_key(tag) or tag
    whole = node.span
    tag_span, content = _locate(text, _Properties(start, anchor, tag), make_span)
    node.span = make_span(content, end)
    return {key: obj}, PositionNode(whole, {key: tag_span}, {key: node})


class _Properties(NamedTuple):
    """What `_locate` needs of an event: where its node starts, its anchor and tag."""

    start_mark: Any
    anchor: str | None
    tag: str


def _locate(text: str, event: Any, make_span: SpanMaker) -> tuple[Span, _Mark]:
    """The tag's span, and the mark where the node's content starts.

    A node starts at its properties (`&anchor !Tag`, in either order), then blanks or
    comments; libyaml reports only the start of the whole, so the text is read."""
    start = event.start_mark
    cursor = _Cursor(text, start.line, start.column, start.index)
    if event.anchor is not None and cursor.peek() == "&":
        cursor.skip_word()
        cursor.skip_blanks()
    tag_start = cursor.mark()
    written = next(
        (w for w in (event.tag, f"!<{event.tag}>") if text.startswith(w, cursor.index)), None
    )
    if written is None:  # not where it was expected: the key gets the node's first point
        point = make_span(start, start)
        return Span.point(point.line, point.column), tag_start
    cursor.advance(len(written))
    tag_span = make_span(tag_start, cursor.mark())
    cursor.skip_blanks()
    if event.anchor is not None and cursor.peek() == "&":
        cursor.skip_word()
        cursor.skip_blanks()
    return tag_span, cursor.mark()


class _Cursor:
    """A position in the text that moves forward, counting lines as `\\n` ends them."""

    __slots__ = ("column", "index", "line", "text")

    def __init__(self, text: str, line: int, column: int, index: int) -> None:
        self.text, self.line, self.column, self.index = text, line, column, index

    def mark(self) -> _Mark:
        return _Mark(self.line, self.column, self.index)

    def peek(self) -> str:
        return self.text[self.index : self.index + 1]

    def advance(self, count: int) -> None:
        """Move over `count` characters of one line."""
        self.index += count
        self.column += count

    def skip_word(self) -> None:
        end = self.index
        while end < len(self.text) and self.text[end] not in _BLANK:
            end += 1
        self.advance(end - self.index)

    def skip_blanks(self) -> None:
        """Move over blanks, line breaks and comments (each character once)."""
        text = self.text
        while self.index < len(text):
            char = text[self.index]
            if char == "\n":
                self.index += 1
                self.line += 1
                self.column = 0
            elif char in " \t":
                self.advance(1)
            elif char == "#":  # a comment runs to the end of its line
                end = text.find("\n", self.index)
                self.advance((len(text) if end < 0 else end) - self.index)
            else:
                return


def _getatt_spans(
    text: str, event: Any, content: _Mark, parts: list[str], make_span: SpanMaker
) -> list[Position]:
    """Spans of the resource and attribute names of `!GetAtt A.B`.

    Exact when the scalar is written on one line as its value reads (plain, or quoted
    without escapes); otherwise each name gets the scalar's span."""
    end = event.end_mark
    written = text[content.index : end.index]
    quote = event.style if event.style in ("'", '"') else ""
    whole = make_span(content, end)
    if "\n" in written or written != f"{quote}{event.value}{quote}":
        return [whole for _ in parts]
    spans: list[Position] = []
    column, index = content.column + len(quote), content.index + len(quote)
    for part in parts:
        spans.append(
            make_span(
                _Mark(content.line, column, index),
                _Mark(content.line, column + len(part), index + len(part)),
            )
        )
        column, index = column + len(part) + 1, index + len(part) + 1
    return spans
