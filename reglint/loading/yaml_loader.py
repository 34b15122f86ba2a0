"""YAML text -> documents with positions, built iteratively from the parser's events.

Why not `yaml.safe_load`: it keeps no positions, its C composer recurses (200,000 nested
`[` crash the interpreter), and it cannot report duplicate keys. Here libyaml's event
parser (iterative) feeds an explicit stack, so no input can cause a RecursionError, and
no tag ever constructs a Python object: scalars are typed with PyYAML's own resolver
regexes and `SafeConstructor` scalar functions, so the data is what `safe_load` returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from reglint.findings import FILE_START, Span
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.positions import Position, PositionNode, PositionTree, span_of
from reglint.loading.yaml_errors import SpanMaker, point, reader_error, syntax_error, too_deep
from reglint.loading.yaml_marks import span_maker as _span_maker

__all__ = ["load_yaml"]

# Only the parser is used (never the loader's composer or constructor).
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_Y = "tag:yaml.org,2002:"
_STR, _SET, _OMAP, _PAIRS = f"{_Y}str", f"{_Y}set", f"{_Y}omap", f"{_Y}pairs"
_MERGE_TAG, _VALUE_TAG = f"{_Y}merge", f"{_Y}value"
# The scalar tags `SafeConstructor` knows; anything else (`!Ref`, `!!python/...`) is ignored.
_SCALAR_CONSTRUCTORS: dict[str, Callable[[SafeConstructor, ScalarNode], Any]] = {
    f"{_Y}{n}": SafeConstructor.yaml_constructors[f"{_Y}{n}"]
    for n in ("null", "bool", "int", "float", "binary", "timestamp")
}
# Collection tags that change what is built; a tag on a node of the wrong kind (`!!str
# {a: 1}`, `!!set [a]`) is ignored like an unknown one (PyYAML would refuse the file).
_BUILDERS = {(_SET, True), (_OMAP, False), (_PAIRS, False)}  # (tag, on a mapping?)
_CONSTRUCTOR = SafeConstructor()
# PyYAML's YAML 1.1 implicit typing table: first character -> [(tag, regexp)].
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
# Plain scalars that need a regexp (`yes`, `1e3`, dates) repeat across manifests; caching
# their typed value skips the regexps. Every cached value is immutable (str, int, float,
# bool, None, date/datetime). Bounded: cleared when full.
_PLAIN_CACHE: dict[str, Any] = {}
_CACHE_SIZE = 8192

_BLOCK = ("|", ">")  # the styles of block scalars
_NO_KEY: Any = object()  # a mapping frame waiting for its next key
_MERGE_KEY: Any = object()  # the `<<` merge key (YAML 1.1 merge type)
_SpanMaker = SpanMaker


class _Frame:
    """One open mapping or sequence (or the document root, a one-item sequence)."""

    __slots__ = ("anchor", "children", "data", "firsts", "flow", "height", "is_map", "key",
                 "keys", "merges", "node", "size0", "special", "start", "typed")  # fmt: skip

    def __init__(self, is_map: bool, start: Any, flow: bool, special: str | None) -> None:
        self.is_map = is_map
        self.data: Any = {} if is_map else []
        # The node's own containers, typed loosely: a dict for a mapping, a list otherwise.
        self.keys: Any = {} if is_map else None
        self.children: Any = {} if is_map else []
        self.node = PositionNode(FILE_START, self.keys, self.children)
        self.key: Any = _NO_KEY
        self.start = start  # the start event's mark; the span is made when the node ends
        self.flow = flow
        self.anchor: str | None = None
        self.size0 = 0  # expanded node count before this node (anchored nodes only)
        self.height = 0  # nesting levels below this node, aliases included
        self.special = special  # !!set / !!omap / !!pairs: converted when the node ends
        self.merges: list[tuple[Any, Position]] | None = None
        self.firsts: dict[Any, Span] | None = None  # first spans of duplicated keys
        self.typed: dict[Any, type] | None = None  # the type of each key that is not a str


def load_yaml(
    text: str, limits: Limits, scalars: list[Span] | None = None, *, short_forms: bool = False
) -> list[ParsedDocument]:
    """Parse every document of a YAML stream; raise `LoadError` for anything unreadable.

    `scalars`, when given, receives the span of every scalar parsed (also when the
    parse fails later), for telling comments from data (loading/comments.py). `short_forms`:
    read CloudFormation's `!Ref X`… as data (yaml_short_forms.py), else unknown tags are ignored."""
    make_span = _span_maker(text)
    documents: list[ParsedDocument] = []
    parser = None
    try:
        parser = _Parser(text)  # PyYAML's own reader checks the characters here
        get_event = parser.get_event
        while True:
            event = get_event()
            if event.__class__ is DocumentStartEvent:
                tagged = text if short_forms else None  # what reads the short forms needs the text
                documents.append(_load_document(get_event, limits, make_span, scalars, tagged))
            elif event.__class__ is StreamEndEvent:
                return documents
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(exc, limits, make_span) from None
    except yaml.reader.ReaderError as exc:
        raise reader_error(exc, text) from None
    except UnicodeEncodeError:  # a lone surrogate: never in text that decode() made
        raise LoadError("text is not valid Unicode") from None
    finally:
        if parser is not None:
            parser.dispose()


def _load_document(
    get_event: Callable[[], Any], limits: Limits, make_span: _SpanMaker, scalars: list[Span] | None,
    short_forms: str | None,
) -> ParsedDocument:
    """Build one document from its events (the one hot loop; kept flat for speed)."""
    if short_forms is not None:  # the text, when CloudFormation's short forms are read
        from reglint.loading import yaml_short_forms as cfn
    wrapped = 0  # open collections whose short-form tag wraps them in one more mapping
    root = _Frame(False, None, True, None)
    stack = [root]
    frame = root
    anchors: dict[str, tuple[Any, PositionNode, int, int] | None] = {}
    duplicates: list[DuplicateKey] = []
    max_depth, factor, floor = limits.max_depth, limits.alias_factor, limits.alias_floor
    nodes = extra = 0  # parsed nodes; expanded nodes = nodes + extra
    bomb_at: Span | None = None  # the first alias after which the budget was exceeded
    last_end: Any = None  # end mark of the last finished node (block collections end there)
    while True:
        event = get_event()
        cls = event.__class__
        if cls is ScalarEvent:
            nodes += 1
            value = event.value
            last_end = event.end_mark
            span = make_span(event.start_mark, last_end)
            if scalars is not None:
                # A block scalar's text starts on the line after its `|`/`>` header,
                # which may end in a real comment.
                scalars.append(span if event.style not in _BLOCK else Span(span.line + 1, 1, *span[2:]))
            tag = event.tag
            if tag is None and (not event.implicit[0] or value[:1] not in _RESOLVERS):
                obj: Any = value  # the common case: a quoted or untyped plain string
            else:
                if short_forms is not None and (key := cfn.short_form_key(tag)) is not None:
                    if len(stack) + wrapped > max_depth:  # `{key: value}` is one more level
                        raise too_deep(limits, point(event.start_mark, make_span))
                    obj, node = cfn.tagged_scalar(short_forms, event, key, span, make_span)
                    if event.anchor is not None:
                        _new_anchor(anchors, event.anchor, (obj, node, 2, 1), span)
                    frame.height = max(frame.height, 1)
                    _attach(frame, obj, node, duplicates)
                    continue
                # `!` follows PyYAML's implicit flag; an unknown tag goes by the style.
                plain = event.implicit[0] or (tag != "!" and not event.style)
                obj = _typed_scalar(value, tag, plain, span)
                if obj is _MERGE_KEY and (not frame.is_map or frame.key is not _NO_KEY):
                    obj = value  # `<<` merges only as a key; PyYAML cannot build it as a value
            if event.anchor is not None:
                anchored = (value if obj is _MERGE_KEY else obj, span, 1, 0)
                _new_anchor(anchors, event.anchor, anchored, span)
            _attach(frame, obj, span, duplicates)  # a scalar's position is its span alone
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            nodes += 1
            is_map = cls is MappingStartEvent
            special = event.tag if (event.tag, is_map) in _BUILDERS else None
            if short_forms is not None and cfn.short_form_key(event.tag) is not None:
                special = event.tag  # wrapped in its long form when it ends
                wrapped += 1
            if len(stack) + wrapped > max_depth:  # the root frame counts for the new level
                raise too_deep(limits, point(event.start_mark, make_span))
            frame = _Frame(is_map, event.start_mark, event.flow_style, special)
            if event.anchor is not None:  # pending (None): an alias to it now would recurse
                _new_anchor(anchors, event.anchor, None, point(event.start_mark, make_span))
                frame.anchor = event.anchor
                frame.size0 = nodes - 1 + extra
            stack.append(frame)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            frame = stack[-1]
            # A block collection's end event sits at the next token, past any comments
            # and blank lines; its last child's end is where the user's text ends.
            end = event.end_mark if done.flow or last_end is None else last_end
            last_end = end
            node = done.node
            node.span = make_span(done.start, end)
            obj = done.data if done.merges is None else _apply_merges(done)
            height = done.height + 1
            if done.special is not None and done.special[0] == "!":  # a short form
                tagged = (done.anchor, done.special)
                obj, node = cfn.tagged_collection(short_forms or "", done.start, end, tagged, obj, node, make_span)
                wrapped -= 1
                height += 1
            elif done.special is not None:
                obj = _convert_special(done, obj)
            frame.height = max(frame.height, height)
            if done.anchor is not None:
                anchors[done.anchor] = (obj, node, nodes + extra - done.size0, height)
            _attach(frame, obj, node, duplicates)
        elif cls is AliasEvent:
            nodes += 1
            last_end = event.end_mark
            span = make_span(event.start_mark, last_end)
            entry = anchors.get(event.anchor, _NO_KEY)
            if entry is _NO_KEY:
                # The name is not quoted: `password: *secret` makes a "secret" an alias.
                raise LoadError("found an alias (*name) whose anchor (&name) is not defined", span)
            if entry is None:
                raise LoadError("an alias inside its own anchored node makes recursive data", span)
            obj, target, size, height = entry
            if size > 1:
                extra += size - 1
                if bomb_at is None and nodes + extra > factor * nodes + floor:
                    bomb_at = span
            if height:
                if len(stack) - 1 + wrapped + height > max_depth:
                    raise too_deep(limits, span)
                frame.height = max(frame.height, height)
            alias: Position = span if target.__class__ is Span else PositionNode(span, target.keys, target.children)
            _attach(frame, obj, alias, duplicates)
        elif cls is DocumentEndEvent:
            break
    # Aliases share objects, so nothing was expanded in memory; but a check that walks
    # the data would do the expansion's work, hence the budget.
    budget = factor * nodes + floor
    result: Position = root.children[0]
    at = span_of(result)
    if nodes + extra > budget:
        message = f"YAML aliases expand to more than {budget} nodes (alias bomb?)"
        raise LoadError(message, bomb_at or at)
    return ParsedDocument(root.data[0], PositionTree(result), at, duplicates)


def _typed_scalar(value: str, tag: str | None, plain: bool, span: Span) -> Any:
    """Type a scalar as PyYAML's safe loader does (YAML 1.1); unknown tags are ignored."""
    if tag is not None and tag != "!":  # PyYAML types `! x` like an untagged `x`
        if tag == _STR:
            return value
        if tag == _MERGE_TAG:
            return _MERGE_KEY
        if tag in _SCALAR_CONSTRUCTORS:
            return _construct(tag, value, span)
        # Any other tag is dropped: the scalar is read as if it were untagged.
    if not plain:
        return value
    if value in _PLAIN_CACHE:
        return _PLAIN_CACHE[value]
    for resolved, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            break
    else:
        resolved = _STR
    if resolved == _MERGE_TAG:
        obj = _MERGE_KEY
    elif resolved == _VALUE_TAG or resolved == _STR:
        obj = value  # PyYAML has no constructor for `=`; a string is the useful reading
    else:
        obj = _construct(resolved, value, span)
    if len(_PLAIN_CACHE) >= _CACHE_SIZE:
        _PLAIN_CACHE.clear()
    _PLAIN_CACHE[value] = obj
    return obj


def _construct(tag: str, value: str, span: Span) -> Any:
    """Run PyYAML's own constructor for a standard scalar tag."""
    try:
        return _SCALAR_CONSTRUCTORS[tag](_CONSTRUCTOR, ScalarNode(tag, value))
    except (ValueError, KeyError, AttributeError, TypeError, IndexError, yaml.YAMLError):
        # IndexError: PyYAML's int/float constructors index an empty value (`x: !!int`).
        # `!!int abc`, `2023-02-30`, bad base64: PyYAML would raise a bare exception.
        raise LoadError(f"value is not a valid {_short(tag)}", span) from None


def _attach(frame: _Frame, obj: Any, node: Position, duplicates: list[DuplicateKey]) -> None:
    """Add a finished node to its parent: as an item, a key, a value or a merge source."""
    if not frame.is_map:
        frame.data.append(obj)
        frame.children.append(node)
    elif frame.key is _NO_KEY:
        at = span_of(node)
        if obj.__class__ in (dict, list, set):  # what this loader builds that cannot be a key
            raise LoadError("a mapping or sequence cannot be used as a mapping key", at)
        if obj is not _MERGE_KEY:
            if obj not in frame.keys:
                frame.keys[obj] = at
                if obj.__class__ is not str:
                    frame.typed = frame.typed or {}
                    frame.typed[obj] = obj.__class__
            # YAML keys are equal when their tags and values are (`null`/`~`, `1`/`0x1`):
            # `1`, `1.0` and `true` are equal only in Python. Such keys share one entry in
            # the data (as with PyYAML), whose key and key position stay the first's.
            elif (frame.typed or {}).get(obj, str) is obj.__class__:
                frame.firsts = frame.firsts or {}  # `first` stays the first one for a third
                first = frame.firsts.setdefault(obj, frame.keys[obj])
                duplicates.append(DuplicateKey(obj, at, first))
                frame.keys[obj] = at  # the last occurrence wins, as in the data
        frame.key = obj
    else:
        if frame.key is _MERGE_KEY:
            if frame.merges is None:
                frame.merges = []
            frame.merges.append((obj, node))
        else:
            frame.data[frame.key] = obj
            frame.children[frame.key] = node
        frame.key = _NO_KEY


def _new_anchor(anchors: dict[str, Any], name: str, entry: Any, span: Span) -> None:
    # PyYAML's composer rejects a second anchor of the same name; so does reglint.
    if name in anchors:
        raise LoadError(f"found duplicate anchor {name!r}", span)
    anchors[name] = entry


def _apply_merges(frame: _Frame) -> dict[Any, Any]:
    """Merge `<<` sources into a mapping (https://yaml.org/type/merge.html).

    Explicit keys win; otherwise the source met first wins, as the spec orders a list
    and as PyYAML 6.0.4 intends (its check compares key string identity, so it holds
    there only for interned keys). Merged keys keep the positions where they are written.
    """
    sources: list[tuple[dict[Any, Any], Any]] = []
    for obj, node in frame.merges or ():
        if isinstance(obj, dict):
            sources.append((obj, node))
        elif isinstance(obj, list) and isinstance(node, PositionNode) and all(isinstance(item, dict) for item in obj):
            sources.extend(zip(obj, cast(list[PositionNode], node.children)))
        else:
            raise LoadError("a merge key `<<` needs a mapping or a list of mappings", span_of(node))
    data: dict[Any, Any] = {}
    keys: dict[Any, Span] = {}
    children: dict[Any, Position] = {}
    for obj, node in sources:
        for key in obj:
            if key not in data:
                data[key], keys[key], children[key] = obj[key], node.keys[key], node.children[key]
    frame.node.keys, frame.node.children = keys | frame.keys, children | frame.children
    data.update(frame.data)
    return data


def _convert_special(frame: _Frame, data: Any) -> Any:
    """Build !!set (a set of the keys) and !!omap/!!pairs (a list of key/value tuples)."""
    if frame.special == _SET:
        return set(data)
    for item, child in zip(data, frame.children):
        if not isinstance(item, dict) or len(item) != 1:
            raise LoadError(f"{_short(frame.special)} needs one-key mappings as items", span_of(child))
    # Positions stay those of the one-key mappings: a path into a pair finds its mapping.
    return [next(iter(item.items())) for item in data]


def _short(tag: str | None) -> str:
    return (tag or "").replace(_Y, "!!")
