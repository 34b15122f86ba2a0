"""YAML text for a new value, rendered by ruamel.yaml's round-trip dumper.

A fix never dumps a whole file (a dump re-wraps lines at 80 columns, re-indents and
turns CRLF into LF): ruamel.yaml renders only the new node, as a tiny document, and the
fix splices that text in at the node's position. It dumps as YAML 1.1, the dialect
PyYAML reads the file with: `yes`, `0123` and `2012-10-17` come out quoted, so a string
stays a string. ruamel.yaml is imported here only, when a fix is rendered.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from reglint.fixes.text import FixError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

_NO_WRAP = 1_000_000  # a node is one line where YAML allows it (ruamel wraps at 80)


class YamlStyle(NamedTuple):
    """How a file indents: where a block sequence's `-` sits under its key (`Action:` then
    `- a` is 0, then `  - a` is 2), and how far a nested mapping's keys are indented."""

    sequence_offset: int = 2
    mapping_indent: int = 2


_PLAIN_STYLE = YamlStyle()


@cache
def _dumper(flow: bool, style: YamlStyle) -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = (1, 1)
    yaml.width = _NO_WRAP
    yaml.allow_unicode = True
    yaml.default_flow_style = flow
    yaml.indent(
        mapping=style.mapping_indent,
        sequence=style.sequence_offset + 2,
        offset=style.sequence_offset,
    )
    return yaml


def _dump(value: Any, flow: bool, style: YamlStyle = _PLAIN_STYLE) -> str:
    stream = io.StringIO()
    _dumper(flow, style).dump(value, stream)
    text = stream.getvalue().removeprefix("%YAML 1.1\n")
    text = text.removeprefix("---").removeprefix(" ").removeprefix("\n")
    return text.removesuffix("\n...\n").removesuffix("\n")


def _styled(value: Any, quote: str | None) -> Any:
    """`value` as a ruamel scalar of the old node's quoting, when it had one."""
    if not isinstance(value, str) or quote is None:
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    return SingleQuotedScalarString(value) if quote == "'" else DoubleQuotedScalarString(value)


def quote_of(old: str) -> str | None:
    """The quoting of a scalar's text: `'`, `"`, or None (plain, or a block scalar)."""
    return old[0] if old[:1] in ("'", '"') else None


def scalar(value: Any, quote: str | None, flow: bool) -> str:
    """A scalar as the value of a key (or a sequence item): in the old node's quoting,
    else as plain as YAML 1.1 allows in its context (block, or inside `{…}`/`[…]`)."""
    styled = _styled(value, quote)
    if flow:
        text = flow_value(styled)
    else:
        text = _dump({"k": styled}, False)
        if not text.startswith("k: "):
            raise FixError("unexpected block rendering")
        text = text[3:]
    if "\n" in text:
        raise FixError("the value does not fit on one line")
    return text


def key(value: str, quote: str | None) -> str:
    """A mapping key, in the old key's quoting where it had one."""
    text = _dump({_styled(value, quote): 0}, False)
    if not text.endswith(": 0") or text.startswith("?") or "\n" in text:
        raise FixError("the key needs YAML's complex-key form")
    return text[: -len(": 0")]


def flow_value(value: Any) -> str:
    """A value in flow style on one line: `{fromEnv: X}`, `[a, b]`, `'*'`."""
    # As the value of a key in a flow mapping: in a flow sequence ruamel would write a
    # one-key mapping without its braces (`[fromEnv: X]`).
    text = _dump({"k": value}, True)
    if not (text.startswith("{k: ") and text.endswith("}")) or "\n" in text:
        raise FixError("unexpected flow rendering")
    return text[len("{k: ") : -1]


def block_items(items: list[Any], style: YamlStyle) -> str:
    """Block sequence items (`- a` lines; a mapping item's keys indented under its
    first), starting at column 1, lines joined by `\\n`."""
    text = _dump(items, False, style)
    lines = text.split("\n")
    margin = len(lines[0]) - len(lines[0].lstrip(" "))
    if any(line[:margin].strip() for line in lines):
        raise FixError("unexpected block rendering")
    return "\n".join(line[margin:] for line in lines)
