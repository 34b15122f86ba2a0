"""HCL expressions -> plain values, or the records of values reglint cannot know
(SPEC §6.2 "Unresolved values"), each with its position.

What each expression becomes:

- literals (`"text"`, `12`, `1.5`, `true`, `null`, `[…]`, `{…}`) -> str, int, float,
  bool, None, list, dict. An object key written as a bare name is that name.
- a quoted string or heredoc with `${…}` -> `Template` (literal text, `Placeholder` and
  `Reference` parts); a string that is one interpolation alone (`"${var.x}"`) is that
  interpolation's value, as in Terraform. `<<-` heredocs lose their common indentation.
  A template with a `%{…}` directive -> `Placeholder`.
- `aws_iam_role.nodes.arn`, `aws_iam_role.nodes[0].arn` -> `Reference("aws_iam_role.nodes",
  "arn")`; `data.aws_iam_policy_document.x.json` -> `Reference("data.aws_iam_policy_document.x",
  "json")` (an instance key after the name is dropped: every instance shares the
  configuration).
- `local.x…` -> `Reference("local.x", rest)`, folded by the module step (module.py).
- `var.x`, `module.m.out`, `each.*`, `count.*`, `self.*`, `path.*`, `terraform.*`, and
  the data sources whose value only AWS knows (`hcl_references.UNKNOWABLE_DATA`:
  caller identity, partition, region…) -> `Placeholder`. Traversals longer than 64
  steps -> `Placeholder`.
- `a ? b : c` -> `Choice((b, c))`, its position a node whose children are the branches'
  (a literal `true`/`false` condition picks its branch); deeper than `MAX_CHOICES`
  nested conditionals -> `Placeholder`.
- `jsonencode(x)` -> `x` when `x` is an object or a list (or a `Choice` of them);
  `jsonencode(local.x)` -> `JsonEncodedLocal`, which the module step folds.
- `file(P)` / `templatefile(P, vars)` -> `FileContent(P, template)` where `P` is the
  file's path relative to the module folder, `/`-separated and normalised
  (`"${path.module}/x.json"` -> `x.json`, `"../p/x.json"` stays so, an absolute path
  stays absolute: the caller confines what it reads); a path that is not literal ->
  `Placeholder`. The template's variables are not kept.
- anything else (other functions, operators, `for` expressions, splats) -> `Placeholder`
  with the source text (one line, at most 160 characters).
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable
from typing import Any

from reglint.findings import Span
from reglint.iac.model import Choice, FileContent, Placeholder, Reference, Template
from reglint.iac.terraform.hcl_parser import check_whitespace_runs, parse_unchecked
from reglint.iac.terraform.hcl_references import PATH_MODULE, simple_traversal, traversal
from reglint.iac.terraform.hcl_source import Node, Source, describe, meaningful
from reglint.iac.terraform.hcl_strings import (
    TemplateBuilder,
    UnclosedInterpolation,
    decode_escapes,
    dedent_literal,
    flush_indent,
    number_text,
    read_heredoc,
    split_template,
)
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.positions import Position, PositionNode

__all__ = ["JsonEncodedLocal", "evaluate", "evaluate_template", "module_path"]

MAX_CHOICES = 8  # SPEC §6.2: conditional nesting beyond this is a placeholder
Result = tuple[Any, Position]


_NAMES = ("identifier", "literal_value")  # an object key written as a bare word


class JsonEncodedLocal(Reference):
    """`jsonencode(local.x)`: the local's value once folded, if it is an object or list."""

    __slots__ = ()


def evaluate(node: Node, src: Source, depth: int, choices: int = 0) -> Result:
    """The value of an expression node and its position."""
    if depth > src.state.limits.max_depth:
        raise src.state.too_deep(src.span(node))
    if node.data == "expr_term":
        inner = [child for child in node.children if meaningful(child)]
        if len(inner) == 3:  # ( expression )
            return evaluate(inner[1], src, depth + 1, choices)
        if len(inner) == 1 and hasattr(inner[0], "data"):
            node = inner[0]
    handler = _HANDLERS.get(node.data)
    if handler is None:
        return _placeholder(node, src)
    return handler(node, src, depth, choices)


def _placeholder(node: Node, src: Source) -> Result:
    return Placeholder(src.text_of(node)), src.span(node)


def _number(node: Node, src: Source, depth: int, choices: int) -> Result:
    token = str(node.children[0])
    try:
        value: int | float = int(token) if node.data == "int_lit" else float(token)
    except ValueError:  # int() refuses more than 4,300 digits (CVE-2020-10735 guard)
        raise LoadError("a number in the file has too many digits", src.span(node)) from None
    if isinstance(value, float) and not math.isfinite(value):
        return _placeholder(node, src)
    return value, src.span(node)


def _literal(node: Node, src: Source, depth: int, choices: int) -> Result:
    word = str(node.children[0])
    value = {"true": True, "false": False, "null": None}.get(word, word)
    return value, src.span(node)


def _identifier(node: Node, src: Source, depth: int, choices: int) -> Result:
    return _placeholder(node, src)  # a bare name as a value: `type = string`


def _unary(node: Node, src: Source, depth: int, choices: int) -> Result:
    operator, operand = node.children[0], node.children[-1]
    if str(operator) == "-" and hasattr(operand, "data"):
        value, _ = evaluate(operand, src, depth + 1, choices)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value, src.span(node)
    return _placeholder(node, src)


def _tuple(node: Node, src: Source, depth: int, choices: int) -> Result:
    items: list[Any] = []
    positions: list[Position] = []
    for child in node.children:
        if hasattr(child, "data") and meaningful(child):
            value, position = evaluate(child, src, depth + 1, choices)
            items.append(value)
            positions.append(position)
    return items, PositionNode(src.span(node), None, positions)


def _object(node: Node, src: Source, depth: int, choices: int) -> Result:
    data: dict[Any, Any] = {}
    keys: dict[Any, Any] = {}
    children: dict[Any, Position] = {}
    firsts: dict[Any, Any] = {}
    for element in node.children:
        if getattr(element, "data", None) != "object_elem":
            continue
        key_node, value_node = element.children[0], element.children[-1]
        key, key_span = _object_key(key_node, src, depth, choices)
        value, position = evaluate(value_node, src, depth + 1, choices)
        if key in data:
            first = firsts.setdefault(key, keys[key])
            src.state.duplicates.append(DuplicateKey(key, key_span, first))
        data[key], keys[key], children[key] = value, key_span, position
    return data, PositionNode(src.span(node), keys, children)


def _object_key(key_node: Node, src: Source, depth: int, choices: int) -> tuple[Any, Span]:
    """An object key: a bare name is itself; any other expression is evaluated."""
    span = src.span(key_node)
    expression = next(child for child in key_node.children if meaningful(child))
    if getattr(expression, "data", None) == "keyword":
        return str(expression.children[0]), span
    inner = [child for child in expression.children if meaningful(child)]
    if (
        expression.data == "expr_term"
        and len(inner) == 1
        and getattr(inner[0], "data", None) in _NAMES
    ):
        return str(inner[0].children[0]), span
    value, _ = evaluate(expression, src, depth + 1, choices)
    if isinstance(value, bool):
        return str(value).lower(), span
    if isinstance(value, (int, float)):
        return number_text(value), span
    try:
        hash(value)
    except TypeError:
        return Placeholder(src.text_of(expression)), span
    return value, span


def _conditional(node: Node, src: Source, depth: int, choices: int) -> Result:
    parts = [c for c in node.children if hasattr(c, "data") and meaningful(c)]
    if choices >= MAX_CHOICES or len(parts) != 3:
        return _placeholder(node, src)
    condition, when_true, when_false = parts
    test, _ = evaluate(condition, src, depth + 1, choices)
    if isinstance(test, bool):
        return evaluate(when_true if test else when_false, src, depth + 1, choices)
    first, first_position = evaluate(when_true, src, depth + 1, choices + 1)
    second, second_position = evaluate(when_false, src, depth + 1, choices + 1)
    choice = Choice((first, second), src.text_of(node))
    return choice, PositionNode(src.span(node), None, [first_position, second_position])


def _function(node: Node, src: Source, depth: int, choices: int) -> Result:
    name = str(node.children[0].children[0])
    if any(getattr(child, "type", "") == "COLONS" for child in node.children):
        return _placeholder(node, src)  # provider::aws::…: a provider-defined function
    arguments = next((c for c in node.children if getattr(c, "data", None) == "arguments"), None)
    args = (
        []
        if arguments is None
        else [c for c in arguments.children if hasattr(c, "data") and meaningful(c)]
    )
    if arguments is not None and any(
        getattr(c, "type", "") == "ELLIPSIS" for c in arguments.children
    ):
        return _placeholder(node, src)
    if name == "jsonencode" and len(args) == 1:
        value, position = evaluate(args[0], src, depth + 1, choices)
        if _is_container(value):
            return value, position
        if type(value) is Reference and value.target.startswith("local."):
            return JsonEncodedLocal(value.target, value.attribute, src.text_of(node)), src.span(
                node
            )
    elif (name, len(args)) in (("file", 1), ("templatefile", 2)):
        value, _ = evaluate(args[0], src, depth + 1, choices)
        path = module_path(value)
        if path is not None:
            return FileContent(path, name == "templatefile", src.text_of(node)), src.span(node)
    return _placeholder(node, src)


def _is_container(value: Any) -> bool:
    if isinstance(value, Choice):
        return all(_is_container(branch) for branch in value.branches)
    return isinstance(value, (dict, list))


def module_path(value: Any) -> str | None:
    """A `file()` argument as a normalised path relative to the module folder (or
    absolute), or None when it is not literal."""
    if isinstance(value, Template):
        parts = value.parts
        if not parts or parts[0] != PATH_MODULE or not all(isinstance(p, str) for p in parts[1:]):
            return None
        value = "".join(str(part) for part in parts[1:]).lstrip("/")
    if not isinstance(value, str) or not value or "\\" in value or "\0" in value:
        return None
    path = posixpath.normpath(value)
    if path in (".", "..", "/") or path.endswith("/.."):
        return None  # a folder, not a file
    return path


def _string(node: Node, src: Source, depth: int, choices: int) -> Result:
    builder = TemplateBuilder()
    for part in node.children:
        if not hasattr(part, "data"):
            continue  # the quotes
        piece = part.children[0]
        kind = getattr(piece, "type", None) or piece.data
        if kind == "STRING_CHARS" or kind in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            raw = str(piece) if kind == "STRING_CHARS" else str(piece)[1:]
            text, bad = decode_escapes(raw, piece.start_pos + (kind != "STRING_CHARS"))
            if bad is not None:
                raise LoadError(
                    "invalid escape sequence in a string", src.span_between(bad, bad + 2)
                )
            builder.literal(text)
        elif kind == "interpolation":
            expression = next(c for c in piece.children if hasattr(c, "data") and meaningful(c))
            value, position = evaluate(expression, src, depth + 1, choices)
            builder.value(value, position, src.text_of(expression))
        else:  # a %{ if } / %{ for } directive
            return _placeholder(node, src)
    return builder.result(src.text_of(node), src.span(node))


def _heredoc(node: Node, src: Source, depth: int, choices: int) -> Result:
    token = node.children[0]
    heredoc = read_heredoc(str(token))
    flush = heredoc.flush or node.data == "heredoc_template_trim"
    body = heredoc.body
    indent = flush_indent(body) if flush else 0
    span = src.span(node)
    if "${" not in body and "%{" not in body:
        return dedent_literal(body, True, indent), span
    value, _ = evaluate_template(body, token.start_pos + heredoc.body_start, src, depth, indent)
    return value, span


def evaluate_template(raw: str, offset: int, src: Source, depth: int, indent: int = 0) -> Result:
    """The value of a template's raw text (a heredoc body, a JSON string) that starts at
    `offset` in `src.text`; `indent` characters are removed from each line (`<<-`)."""
    try:
        parts = split_template(raw)
    except UnclosedInterpolation as exc:
        at = offset + exc.offset
        raise LoadError(exc.message, src.span_between(at, at + 2)) from None
    span = src.span_between(offset, offset + len(raw))
    if parts is None:
        return Placeholder(describe(raw)), span
    builder = TemplateBuilder()
    for part in parts:
        if not part.is_expression:
            at_line_start = part.start == 0 or raw[part.start - 1] == "\n"
            builder.literal(dedent_literal(part.text, at_line_start, indent))
            continue
        value, position = _subexpression(part.text, offset + part.start, src, depth + 1)
        builder.value(value, position, describe(part.text))
    return builder.result(describe(raw), span)


def _subexpression(text: str, offset: int, src: Source, depth: int) -> Result:
    """Parse and evaluate the source of one `${…}` found in a heredoc or JSON string."""
    state = src.state
    if depth > state.limits.max_depth:
        raise state.too_deep(src.span_between(offset, offset + len(text)))
    simple = simple_traversal(text)
    if simple is not None:
        return simple, src.span_between(offset, offset + len(text))
    if state.subparses_left <= 0 or state.subparse_chars_left < len(text):
        return Placeholder(describe(text)), src.span_between(offset, offset + len(text))
    state.subparses_left -= 1
    state.subparse_chars_left -= len(text)
    if "<<" in text:  # a heredoc inside: the same bound as for a whole file
        check_whitespace_runs(text, lambda at: src.span_between(offset + at, offset + at + 1))
    prefix = "x=("
    sub = Source(prefix + text + "\n)", state, src.shift + offset - len(prefix), src.fixed)
    # The wrapper's own closing `\n)` stands for the interpolation's `}` in the file.
    close = len(prefix) + len(text)

    def locate(start: int, end: int) -> Span:
        return sub.span_between(min(start, close), min(max(end, start + 1), close + 1))

    try:
        tree = parse_unchecked(sub.text, locate)
    except LoadError as exc:
        if exc.span == locate(close, close + 1) and "ends too early" not in exc.message:
            raise LoadError("HCL syntax error: `}` is not expected here", exc.span) from None
        raise
    attributes = [c for c in tree.children[0].children if getattr(c, "data", None) == "attribute"]
    if len(attributes) != 1:
        raise LoadError(
            "invalid expression in a template", src.span_between(offset, offset + len(text))
        )
    return evaluate(attributes[0].children[-1], sub, depth)


_HANDLERS: dict[str, Callable[[Any, Source, int, int], Result]] = {
    "int_lit": _number,
    "float_lit": _number,
    "literal_value": _literal,
    "identifier": _identifier,
    "unary_op": _unary,
    "tuple": _tuple,
    "object": _object,
    "conditional": _conditional,
    "get_attr_expr_term": traversal,
    "index_expr_term": traversal,
    "function_call": _function,
    "string": _string,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
}
