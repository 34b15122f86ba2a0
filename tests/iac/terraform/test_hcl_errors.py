"""HCL that does not parse -> a `LoadError` at the line and column of the problem, whose
message names the cause and never quotes the file (it may hold secrets)."""

from __future__ import annotations

import pytest

from reglint.findings import Span
from reglint.iac.terraform.hcl_loader import load_hcl
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError

SECRET = "hunter2-AKIAIOSFODNN7EXAMPLE"

CASES = [
    (
        f'resource "aws_iam_user" "u" {{\n  password {SECRET}\n}}\n',
        "HCL syntax error: `}` is not expected here; expected `{`",  # `password x-y` is a block
        Span(3, 1, 3, 2),
    ),
    (
        f'resource "aws_iam_user" "u" {{\n  password "{SECRET}"\n}}\n',
        "HCL syntax error: `}` is not expected here; expected `{`",
        Span(3, 1, 3, 2),
    ),
    (
        f'resource "t" "n" {{\n  v = "{SECRET}\n}}\n',
        'HCL syntax error: the text ends too early (an unclosed `{`, `[`, `(` or `"`?)',
        Span(3, 1, 3, 2),
    ),
    (
        f'resource "t" "n" {{\n  v = {{ a = "{SECRET}" }}}}}}\n',
        "HCL syntax error: `}` is not expected here; expected the end of the file",
        Span(2, 46, 2, 47),
    ),
    (
        'resource "t" "n" {\n  v = <<EOF\n  never closed\n}\n',
        "HCL syntax error: a heredoc (`<<MARKER`) whose closing marker is missing",
        Span(2, 7, 2, 9),
    ),
    (
        'resource "t" "n" {\n  v = [1, 2\n}\n',
        "HCL syntax error: `}` is not expected here; expected `,` or `]`",
        Span(3, 1, 3, 2),
    ),
    (
        'resource "t" "n" {\n  v = 1 @ 2\n}\n',
        "HCL syntax error: text is not expected here",
        Span(2, 9, 2, 12),
    ),
    (
        f'resource "t" "n" {{\n  v = "{SECRET}" "again"\n}}\n',
        'HCL syntax error: a quote `"` is not expected here; expected `}`, a name or the end of the file',
        Span(2, 38, 2, 39),
    ),
]


@pytest.mark.parametrize(("text", "message", "span"), CASES, ids=[c[1] for c in CASES])
def test_syntax_errors_are_placed_and_quote_nothing(text: str, message: str, span: Span) -> None:
    with pytest.raises(LoadError) as caught:
        load_hcl(text, Limits())
    assert caught.value.message == message
    assert caught.value.span == span
    assert "hunter2" not in caught.value.message and "AKIA" not in caught.value.message


def test_a_parse_tree_of_an_unknown_shape_is_a_load_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from lark import Tree

    from reglint.iac.terraform import hcl_loader

    # what a python-hcl2 release with another grammar could return
    monkeypatch.setattr(
        hcl_loader, "parse_hcl", lambda text: Tree("start", [Tree("body", [Tree("block", [])])])
    )
    with pytest.raises(LoadError) as caught:
        load_hcl('resource "t" "n" {}\n', Limits())
    assert (
        caught.value.message
        == "reglint cannot read this HCL: python-hcl2 returned an unknown parse tree"
    )
