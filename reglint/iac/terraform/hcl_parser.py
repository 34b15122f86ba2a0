"""HCL text -> python-hcl2's Lark parse tree, within bounds that hostile text cannot break.

python-hcl2 (https://github.com/amplify-education/python-hcl2) parses with a Lark LALR
parser: iterative, so nesting depth cannot overflow the stack, and linear in the number
of tokens. Its costs are still those of pure Python, measured on CPython 3.11 on a
loaded 2-core machine:

- ~80 KB of ordinary HCL per second and ~250 bytes of memory per character. Some
  shapes cost more: 60,000 nested objects (240 KB) take ~12 s, a 120,000-step
  traversal `a.b.b.b…` (240 KB) needs 290 MB. Hence `MAX_HCL_CHARS` (256 KiB, 6x the
  largest file of terraform-aws-modules): a larger `.tf` file is an RL001 at once,
  not a minute-long parse; any file under it parses in seconds and under 300 MB.
- One regex is quadratic: python-hcl2's heredoc terminal ends in `\\s*(?P=marker)`, so a
  heredoc that is never closed makes the lexer try every newline against all the
  whitespace that follows it (40,000 blank lines: 11 s; 500,000: hours). Closed
  heredocs match in linear time. `check_whitespace_runs` bounds that work before
  parsing: it refuses runs of blank lines whose cost (newlines x length) exceeds a
  budget that no real file approaches (about 4,000 consecutive blank lines).

The parser itself is python-hcl2's grammar built by reglint once per user and version
and kept in the user's cache folder (hcl_grammar.py): ~80 ms to load, against ~1.5-4 s
to build. python-hcl2's own cache (`hcl2/.lark_cache.bin` in site-packages) is neither
read nor written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reglint.findings import Span
from reglint.loading.errors import LoadError

__all__ = ["MAX_HCL_CHARS", "LineIndex", "check_whitespace_runs", "parse_hcl", "parse_unchecked"]

MAX_HCL_CHARS = 256 * 1024
# Character steps of the heredoc regex over runs of whitespace (~7 ns each): 0.15 s.
_WHITESPACE_BUDGET = 20_000_000
_WHITESPACE_RUN = re.compile(r"\s+")

# What a token is, for messages: punctuation is grammar, never file content, and any
# other token is named by its kind (a message never quotes the file: it may hold secrets).
_TOKEN_WORDS = {
    "$END": "the end of the file",
    "NAME": "a name",
    "STRING_CHARS": "text",
    "NL_OR_COMMENT": "a new line",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "DECIMAL": "a number",
    "HEREDOC_TEMPLATE": "a heredoc",
    "HEREDOC_TEMPLATE_TRIM": "a heredoc",
    "INTERP_START": "`${`",
    "DIRECTIVE_START": "`%{`",
    "EQ": "`=`",
    "COLON": "`:`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "DBLQUOTE": 'a quote `"`',
    "QMARK": "`?`",
}


class LineIndex:
    """Character offsets -> 1-based line and column (in characters) of one text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at != -1:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts

    def span(self, start: int, end: int) -> Span:
        line, end_line = self._line(start), self._line(end)
        starts = self._starts
        return Span.from_zero_based(line, start - starts[line], end_line, end - starts[end_line])

    def point(self, offset: int) -> Span:
        return self.span(offset, offset + 1)

    def _line(self, offset: int) -> int:
        from bisect import bisect_right

        return bisect_right(self._starts, offset) - 1


def parse_hcl(text: str, *, what: str = "Terraform file") -> Any:
    """Parse HCL text, or raise `LoadError` at the place and with the cause of the failure."""
    if len(text) > MAX_HCL_CHARS:
        raise LoadError(
            f"{what} is larger than {MAX_HCL_CHARS // 1024} KiB ({len(text):,} characters); "
            "reglint parses HCL up to that size"
        )
    if "<<" in text:
        check_whitespace_runs(text, LineIndex(text).point)
    return parse_unchecked(text)


def parse_unchecked(text: str, locate: Locate | None = None) -> Any:
    """Parse text that `parse_hcl` has bounded (or a slice of it) into a `lark.Tree`.

    `locate` maps offsets of `text` to the file's spans (for a slice parsed on its own);
    by default `text` is the file.
    """
    from lark.exceptions import LarkError

    from reglint.iac.terraform.hcl_grammar import hcl_parser

    try:
        # The newline is python-hcl2's own workaround (`hcl2.api.parses_to_tree`): its
        # grammar cannot end a line at the end of the text.
        return hcl_parser().parse(text + "\n")
    except LarkError as exc:
        raise _syntax_error(exc, text, locate or LineIndex(text).span) from None


Locate = Callable[[int, int], Span]


def _syntax_error(exc: Exception, text: str, locate: Locate) -> LoadError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    end_of_text = len(text.rstrip())
    # The end of the text is placed on its last character: visible in an editor.
    last = locate(max(end_of_text - 1, 0), max(end_of_text, 1))
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        offset = token.start_pos if isinstance(token.start_pos, int) else None
        if token.type == "$END" or offset is None or offset >= end_of_text:
            return LoadError(
                'HCL syntax error: the text ends too early (an unclosed `{`, `[`, `(` or `"`?)',
                last,
            )
        if str(token).startswith("<<"):
            return LoadError(
                "HCL syntax error: a heredoc (`<<MARKER`) whose closing marker is missing",
                locate(offset, offset + 2),
            )
        message = f"HCL syntax error: {_TOKEN_WORDS.get(token.type, 'text')} is not expected here"
        expected = _expected_words(exc.expected)
        if expected:
            message += f"; expected {expected}"
        token_end = token.end_pos if isinstance(token.end_pos, int) else offset + 1
        end = min(token_end, _line_end(text, offset))
        return LoadError(message, locate(offset, end))
    if isinstance(exc, UnexpectedCharacters):
        offset = min(exc.pos_in_stream or 0, end_of_text)
        if text.startswith('"', offset):
            message = "HCL syntax error: a string whose closing quote is missing"
        else:
            message = "HCL syntax error: this character is not expected here"
        return LoadError(message, locate(offset, offset + 1))
    # UnexpectedEOF, or any other Lark error
    return LoadError("HCL syntax error: the text ends too early", last)


def _expected_words(expected: object) -> str:
    """At most four expected tokens that the message can name ("`=` or `{`")."""
    if not isinstance(expected, (set, frozenset, list, tuple)):
        return ""
    words = sorted(
        {_TOKEN_WORDS[name] for name in expected if name in _TOKEN_WORDS} - {"a new line"}
    )
    if not words or len(words) > 4:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else max(end, offset + 1)


def check_whitespace_runs(text: str, point: Callable[[int], Span]) -> None:
    """Refuse the whitespace that would make python-hcl2's heredoc regex quadratic."""
    cost = 0
    for match in _WHITESPACE_RUN.finditer(text):
        run = match.group()
        newlines = run.count("\n")
        if newlines > 1:
            cost += newlines * len(run)
            if cost > _WHITESPACE_BUDGET:
                raise LoadError(
                    "too many blank lines in a row for a file with heredocs "
                    f"({newlines:,} here): reglint bounds the work of parsing them",
                    point(match.start()),
                )
