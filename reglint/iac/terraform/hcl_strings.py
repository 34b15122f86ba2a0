"""HCL string syntax: escapes of quoted strings, heredoc bodies, and the splitting of a
template's raw text (a heredoc body, a `.tf.json` string) into literal text and the
source of its `${…}` interpolations.

Quoted strings reach reglint already split by python-hcl2's grammar; heredocs and JSON
strings do not (python-hcl2 keeps a heredoc as one raw token), so their interpolations
are found here and parsed one by one (hcl_expressions.py). Every loop is iterative.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from reglint.iac.model import Placeholder, Reference, Template
from reglint.loading.errors import LoadError
from reglint.loading.positions import Position

__all__ = [
    "Heredoc",
    "RawPart",
    "TemplateBuilder",
    "decode_escapes",
    "number_text",
    "read_heredoc",
    "split_template",
]

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_TEMPLATE_MARK = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
_HEREDOC_HEAD = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\n")


class RawPart(NamedTuple):
    """A piece of a template: literal text, or the source of one `${…}` expression."""

    text: str
    start: int  # offset of `text` in the template's raw text
    is_expression: bool


class Heredoc(NamedTuple):
    """A heredoc token taken apart: its body and where that body starts in the token."""

    body: str  # the raw lines between the marker lines, each with its newline
    body_start: int  # offset of `body` in the token
    flush: bool  # `<<-`: the common indentation of the lines is removed
    end: int  # offset just past the closing marker (before its newline)


def decode_escapes(raw: str, offset: int) -> tuple[str, int | None]:
    """Decode a quoted string's escapes: (text, None), or ("", offset of a bad escape)."""
    if "\\" not in raw:
        return raw, None
    pieces: list[str] = []
    last = 0
    for match in _ESCAPE.finditer(raw):
        pieces.append(raw[last : match.start()])
        last = match.end()
        code = match.group(1) or match.group(2)
        if code is not None:
            value = int(code, 16)
            if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                return "", offset + match.start()
            pieces.append(chr(value))
            continue
        char = _ESCAPES.get(match.group(3))
        if char is None:
            return "", offset + match.start()
        pieces.append(char)
    pieces.append(raw[last:])
    return "".join(pieces), None


def read_heredoc(token: str) -> Heredoc:
    """Split a heredoc token (`<<EOF\\n…\\nEOF\\n`, as python-hcl2's lexer matched it)."""
    head = _HEREDOC_HEAD.match(token)
    if head is None:  # the lexer matched this shape; never reached
        return Heredoc("", len(token), False, len(token))
    body_start = head.end()
    content = token.removesuffix("\n")
    last_line = content.rfind("\n") + 1  # the closing marker's line
    if last_line <= body_start:  # an empty body: the marker follows the header line
        return Heredoc("", body_start, head.group(1) == "-", len(content))
    return Heredoc(token[body_start:last_line], body_start, head.group(1) == "-", len(content))


def flush_indent(body: str) -> int:
    """How many leading whitespace characters `<<-` removes from each line of `body`.

    As HCL does: the smallest indentation of the lines that are not blank (a line of
    whitespace only is neither counted nor trimmed).
    """
    smallest: int | None = None
    for line in body.splitlines():
        stripped = line.lstrip()
        if not stripped:
            continue
        indent = len(line) - len(stripped)
        if smallest is None or indent < smallest:
            smallest = indent
    return smallest or 0


def dedent_literal(text: str, at_line_start: bool, indent: int) -> str:
    """Remove `indent` characters from each line of a literal that starts a line."""
    if not indent:
        return text
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    for number, line in enumerate(lines):
        starts_line = at_line_start if number == 0 else True
        # A blank line (whitespace, then its newline) is kept; whitespace before an
        # interpolation is indentation like any other.
        if starts_line and (line.strip() or not line.endswith("\n")):
            line = line[indent:]
        out.append(line)
    return "".join(out)


def split_template(raw: str) -> list[RawPart] | None:
    """Literal text and `${…}` sources of a template; None if it has a `%{…}` directive.

    `$${` and `%%{` are escapes for a literal `${` and `%{`. Raises `LoadError` (with
    an offset into `raw` in its message-free `args[1]`) for an unclosed `${`.
    """
    parts: list[RawPart] = []
    literal: list[str] = []
    literal_start = 0
    position = 0
    while True:
        match = _TEMPLATE_MARK.search(raw, position)
        if match is None:
            literal.append(raw[position:])
            break
        literal.append(raw[position : match.start()])
        mark = match.group()
        if mark in ("$${", "%%{"):
            literal.append(mark[1:])
            position = match.end()
            continue
        if mark == "%{":
            return None
        end = interpolation_end(raw, match.end())
        if end is None:
            raise UnclosedInterpolation(match.start())
        if any(literal):
            parts.append(RawPart("".join(literal), literal_start, False))
        literal = []
        parts.append(RawPart(raw[match.end() : end], match.end(), True))
        position = literal_start = end + 1
    if any(literal):
        parts.append(RawPart("".join(literal), literal_start, False))
    return parts


class UnclosedInterpolation(LoadError):
    """A `${` without its `}`: `offset` is where it starts in the template's raw text."""

    def __init__(self, offset: int) -> None:
        super().__init__("a template interpolation `${` is never closed with `}`")
        self.offset = offset


def interpolation_end(raw: str, start: int) -> int | None:
    """The offset of the `}` that closes the interpolation whose expression starts at
    `start`, skipping braces inside nested objects and quoted strings; None if none."""
    # A stack of contexts: "e" an expression (its braces counted), "s" a quoted string.
    stack = ["e"]
    braces = [0]
    position, size = start, len(raw)
    while position < size:
        char = raw[position]
        if stack[-1] == "s":
            if char == "\\":
                position += 2
                continue
            if char == '"':
                stack.pop()
            elif raw.startswith("${", position):
                stack.append("e")
                braces.append(0)
                position += 2
                continue
        elif char == '"':
            stack.append("s")
        elif char == "{":
            braces[-1] += 1
        elif char == "}":
            if braces[-1]:
                braces[-1] -= 1
            else:
                stack.pop()
                braces.pop()
                if not stack:
                    return position
        position += 1
    return None


class TemplateBuilder:
    """Literal text and values joined as Terraform joins them in a template."""

    __slots__ = ("only", "parts", "texts")

    def __init__(self) -> None:
        self.parts: list[str | Placeholder | Reference] = []
        self.only: tuple[Any, Position] | None = None  # the value of a lone interpolation
        self.texts = 0

    def literal(self, text: str) -> None:
        if text:
            self._add(text)
            self.texts += 1

    def value(self, value: Any, position: Position, text: str) -> None:
        self.only = (value, position) if not self.parts and not self.texts else None
        if isinstance(value, str):
            self._add(value)
        elif isinstance(value, bool):
            self._add(str(value).lower())
        elif isinstance(value, (int, float)):
            self._add(number_text(value))
        elif isinstance(value, (Placeholder, Reference)):
            self.parts.append(value)
        elif isinstance(value, Template):
            for part in value.parts:
                self._add(part) if isinstance(part, str) else self.parts.append(part)
        else:  # null, an object, a list, a choice: not a string reglint can build
            self.parts.append(Placeholder(text))

    def result(self, text: str, span: Any) -> tuple[Any, Position]:
        if self.only is not None and len(self.parts) <= 1 and not self.texts:
            return self.only
        if not self.parts:
            return "", span
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            return self.parts[0], span
        return Template(tuple(self.parts), text), span

    def _add(self, text: str) -> None:
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)


def number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
