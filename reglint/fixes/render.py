"""A check's `FixProposal` rendered into text edits (a `Fix`), and checked.

Each data edit becomes splices of its file's text at the positions the loader kept
(json_render.py, yaml_render.py; comment_edits.py for RL004). Before a fix is offered,
its result is parsed again and compared with what it should be: the original data with
exactly the proposed data edits made (a comment edit changes no data), with no new
duplicate key. A fix that fails this, that touches a file the run does not report, a
document of infrastructure code (`Document.fixable_source`) or a policy given as a
string is not offered: the finding then has no fix.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from reglint.findings import Fix, FixSafety, TextEdit
from reglint.fixes.comment_edits import rewrite_comment
from reglint.fixes.json_render import json_splices
from reglint.fixes.text import FixError, SourceText, Splice
from reglint.fixes.yaml_render import yaml_splices
from reglint.loading.document import (
    DataEdit,
    Document,
    EditAction,
    FixProposal,
    Limits,
    ParsedDocument,
    SourceFile,
)
from reglint.loading.errors import LoadError
from reglint.loading.positions import FixedPositions
from reglint.loading.reader import is_json


def can_fix(document: Document) -> bool:
    """True for a document whose text a fix can edit exactly."""
    return document.fixable_source and not isinstance(document.positions, FixedPositions)


class FixRenderer:
    """Renders the proposals of the findings of one file (the Decider makes one per file
    it decides); each file's text is decoded and parsed once, whatever the number of
    fixes in it."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[SourceText, list[ParsedDocument]]] = {}

    def render(self, proposal: FixProposal, document: Document | None, source: SourceFile) -> Fix | None:
        """The proposal's edits, or None when it cannot be made exactly (see module doc)."""
        try:
            return self._render(proposal, document, source)
        except (FixError, RecursionError):
            return None

    def _render(self, proposal: FixProposal, problem_document: Document | None, source: SourceFile) -> Fix:
        by_file: dict[int, tuple[SourceFile, list[tuple[DataEdit, Document | None]], list[Splice]]] = {}
        for edit in proposal.edits:
            document = edit.document or problem_document
            file = document.file if document is not None else source
            text, _ = self._text(file)
            if edit.action is EditAction.REWRITE_COMMENT:
                if edit.span is None:
                    raise FixError("a comment edit without its place")
                splices = [rewrite_comment(edit.span, edit.value, text)]
                document = None
            elif document is None or not can_fix(document):
                raise FixError("no document to edit")
            elif is_json(file.path, text.text):
                splices = json_splices(edit, document, text)
            else:
                splices = yaml_splices(edit, document, text)
            entry = by_file.setdefault(id(file), (file, [], []))
            entry[1].append((edit, document))
            entry[2].extend(splices)
        edits: list[TextEdit] = []
        for file, data_edits, splices in by_file.values():
            self._check(file, data_edits, splices)
            text, _ = self._text(file)
            edits.extend(TextEdit(file.path, s.span, text.written(s.text)) for s in splices)
        safety = FixSafety.UNSAFE if proposal.unsafe else FixSafety.SAFE
        return Fix(safety, proposal.description, tuple(edits), proposal.secret)

    def _text(self, file: SourceFile) -> tuple[SourceText, list[ParsedDocument]]:
        known = self._texts.get(id(file))
        if known is None:
            if file.raw is None or not file.reported:
                raise FixError("a file this run does not report")
            text = SourceText(file.raw)
            known = self._texts[id(file)] = (text, _parse(file, text.text))
        return known

    def _check(self, file: SourceFile, edits: list[tuple[DataEdit, Document | None]], splices: list[Splice]) -> None:
        """FixError unless the spliced text holds the original data with exactly `edits`
        made, and no more duplicate keys than before."""
        text, before = self._text(file)
        after = _parse(file, text.decoded_after(splices))
        expected = copy.deepcopy([parsed.data for parsed in before])
        for edit, document in edits:
            if document is not None:
                expected = _edited(expected, document.index, (*document.base, *edit.path), edit)
        if [parsed.data for parsed in after] != expected:
            raise FixError("the edit would change more than the fix")
        if [len(p.duplicates) for p in after] != [len(p.duplicates) for p in before]:
            raise FixError("the edit would repeat a key")


def _parse(file: SourceFile, text: str) -> list[ParsedDocument]:
    try:
        if is_json(file.path, text):
            from reglint.loading.json_loader import load_json

            return load_json(text, Limits())
        from reglint.loading.yaml_loader import load_yaml

        return load_yaml(text, Limits())
    except LoadError:
        raise FixError("the result does not parse") from None


def _edited(documents: list[Any], index: int, path: tuple[Any, ...], edit: DataEdit) -> list[Any]:
    """`documents` with the data edit made at `path` of document `index`."""
    if not 0 <= index < len(documents):
        raise FixError("no such document")
    holder: Any = documents
    steps: list[Any] = [index, *path]
    if edit.action is EditAction.RENAME_KEY:
        parent = _walk(holder, steps[:-1])
        if not isinstance(parent, dict):
            raise FixError("not a mapping")
        renamed = {(edit.value if name == steps[-1] else name): item for name, item in parent.items()}
        parent.clear()
        parent.update(renamed)
        return documents
    container = _walk(holder, steps[:-1])
    last = steps[-1]
    current = container[last]
    if edit.action is EditAction.REPLACE:
        container[last] = edit.value
    elif edit.action is EditAction.INSERT_FIRST:
        if not isinstance(current, Mapping):
            raise FixError("not a mapping")
        name, item = edit.value
        container[last] = {name: item, **current}
    elif edit.action is EditAction.APPEND:
        container[last] = ([current] if isinstance(current, str) else list(current)) + list(edit.value)
    return documents


def _walk(holder: Any, steps: list[Any]) -> Any:
    for step in steps:
        try:
            holder = holder[step]
        except (KeyError, IndexError, TypeError):
            raise FixError("the path leads nowhere") from None
    return holder
