"""Read one candidate file into a SourceFile: bytes -> text -> documents (SPEC §1.3, §4).

A file that cannot be loaded gets RL001 when it is *reportable* (named on the command
line, matched by `include`, or mentioning `RegistryService`/`Statement`); otherwise it
is skipped with a notification, so a stray broken YAML file in a walked folder never
fails a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from reglint.files.read import TOO_LARGE, read_regular_file
from reglint.findings import FILE_START, Span
from reglint.loading.classify import classify
from reglint.loading.comments import MARKER as COMMENT_MARKER
from reglint.loading.comments import parse_ignore_comments
from reglint.loading.decode import decode
from reglint.loading.document import (
    Document,
    DocumentKind,
    Limits,
    ParsedDocument,
    Problem,
    SourceFile,
    SourceReader,
)
from reglint.loading.errors import LoadError
from reglint.loading.positions import Position, PositionTree
from reglint.loading.sniff import (
    looks_like_template,
    mentions_infrastructure,
    mentions_reglint_content,
)

_HEAD = 1024 * 1024  # how much of a too-large file is sniffed


class Skipped(NamedTuple):
    """A file that was not loaded and is not reported: why, for the notification."""

    path: Path
    reason: str
    unreadable: bool = False  # could not be read at all (vs. read but not reglint's input)


def read_candidate(path: Path, named: bool, limits: Limits) -> SourceFile | Skipped:
    """Load one file; never raises for anything the file holds."""
    return load_read(path, read_regular_file(path, limits.max_file_size), named, limits)


def load_read(
    path: Path, raw: bytes | str, named: bool, limits: Limits, platform: SourceReader | None = None
) -> SourceFile | Skipped:
    """Load what `read_regular_file` returned: the file's bytes, or why it was unreadable."""
    if isinstance(raw, str):
        # A too-large file that looks like a manifest or policy is reported (SPEC §4):
        # judged by its first bytes, never by reading it all.
        reportable = named or (raw.startswith(TOO_LARGE) and _head_mentions(path))
        return _unreadable(path, reportable, raw)
    return load_bytes(path, raw, named, limits, platform)



def _head_mentions(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:  # a regular file: read_regular_file checked it
            return mentions_reglint_content(handle.read(_HEAD))
    except OSError:
        return False


def load_bytes(
    path: Path, raw: bytes, named: bool, limits: Limits, platform: SourceReader | None = None
) -> SourceFile | Skipped:
    """Decode, parse and classify the bytes of one file (also used for stdin); `platform`
    reads platform sources (classify.py). The bytes stay on the SourceFile (`raw`) for
    fixes; the caller drops them where none is made."""
    source = SourceFile(path=path, named=named, raw=raw)
    scalars: list[Span] | None = None
    try:
        text = decode(raw)
        as_json = is_json(path, text)
        # Ignore comments (YAML only) need the spans of the scalars, to tell a comment
        # from a `#` inside a string: collected only when the text mentions `reglint:`.
        scalars = [] if not as_json and COMMENT_MARKER in text else None
        # A CloudFormation template's short forms (`!Ref X`) are read as data (SPEC §6.2).
        short_forms = not as_json and looks_like_template(raw)
        parsed = _parse(as_json, text, limits, scalars, short_forms)
    except LoadError as error:
        if named or mentions_reglint_content(raw) or mentions_infrastructure(raw):
            source.problems.append(Problem("RL001", error.message, span=error.span))
            if scalars is not None:
                # RL001 cannot be suppressed inline; the comments before the error are
                # kept only so that one naming RL001 can be told so (RL004).
                before = (error.span.line, error.span.column)
                comments = parse_ignore_comments(text, scalars)
                source.comments = [c for c in comments if (c.span.line, c.span.column) < before]
            return source
        return Skipped(path, error.message)
    if scalars is not None:
        source.comments = parse_ignore_comments(text, scalars, [_tree_root(p) for p in parsed])
    if not parsed:
        if not named:  # SPEC §4: a walked empty file is skipped with a notification
            return Skipped(path, "empty file: it holds no YAML or JSON document")
        source.problems.append(Problem("RL001", "empty file: it holds no YAML or JSON document", span=FILE_START))
        return source
    # A JSON file is sent to AWS as it is written (`--policy-text file://…`): its length
    # counts every character, a CRLF as the two it is in the file.
    text_length = len(text) + raw.count(b"\r\n") if is_json(path, text) else None
    for item in classify(source, parsed, text_length, platform):
        if isinstance(item, Document):
            source.documents.append(item)
            if item.kind is not DocumentKind.OTHER:
                source.problems.extend(_duplicate_keys(item, parsed[item.index]))
        else:
            source.problems.append(item)
    return source


def duplicate_key_problems(document: Document, parsed: ParsedDocument) -> list[Problem]:
    """RL003 at each repeated key of a parsed document (its second occurrence)."""
    return _duplicate_keys(document, parsed)


def _duplicate_keys(document: Document, parsed: ParsedDocument) -> list[Problem]:
    """RL003 at each repeated key (its second occurrence)."""
    return [
        Problem(
            "RL003",
            f"duplicate key {_key_text(dup.key)} (first at line {dup.first.line}, column "
            f"{dup.first.column}); the last value wins, so the first one is silently ignored",
            span=dup.span,
            document=document,
            identity=str(dup.key),
        )
        for dup in parsed.duplicates
    ]


def _key_text(key: object) -> str:
    """A key as YAML writes it: `null`, `true`, `1` unquoted; a string quoted, shortened."""
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    text = key if isinstance(key, str) else str(key)  # a number may have 4,000 digits
    text = text if len(text) <= 60 else text[:57] + "..."
    return repr(text) if isinstance(key, str) else text


def is_json(path: Path, text: str) -> bool:
    """True when the file is read as JSON: by its name, or a name without a suffix and a
    text that starts as JSON does."""
    return path.suffix.lower() == ".json" or (path.suffix == "" and text.lstrip()[:1] in ("{", "["))


def _parse(
    as_json: bool, text: str, limits: Limits, scalars: list[Span] | None, short_forms: bool = False
) -> list[ParsedDocument]:
    if as_json:
        from reglint.loading.json_loader import load_json

        return load_json(text, limits)
    from reglint.loading.yaml_loader import load_yaml

    return load_yaml(text, limits, scalars, short_forms=short_forms)


def _tree_root(parsed: ParsedDocument) -> Position:
    positions = parsed.positions
    return positions.root if isinstance(positions, PositionTree) else FILE_START


def _unreadable(path: Path, named: bool, reason: str) -> SourceFile | Skipped:
    if not named:
        return Skipped(path, reason, unreadable=True)
    source = SourceFile(path=path, named=True)
    source.problems.append(Problem("RL001", reason, span=FILE_START))
    return source
