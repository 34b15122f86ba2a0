"""The config's `suppressions:` entries (SPEC §6.6), for files that cannot hold a comment:

    suppressions:
      - path: iam/legacy-*.json     # glob, relative to the project root
        rule: RL203                 # one rule, by ID or name
        sid: LegacyPush             # optional: only findings inside this statement
        reason: renamed in 2.0      # required; the suppression's justification
        expires: 2025-06-30         # optional, quoted or not: the last day it works

An entry is read once, with where it is written in the config file: an expired entry
(RL004 in every run) and an unused one (RL004 in a run over the whole project) are
reported at that line, so the config file then appears in the report. The Decider
(decider.py) matches findings against the entries.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from reglint.findings import FILE_START, Span

KEY = "suppressions"
_TOML_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*tool\.reglint\.suppressions[ \t]*\]\]", re.MULTILINE)
_TOML_KEY = re.compile(r"^[ \t]*suppressions[ \t]*=", re.MULTILINE)


class ConfigSuppression(NamedTuple):
    """One `suppressions:` entry of the config, checked and resolved."""

    number: int  # its index in the list: `suppressions[number]`
    path: str  # glob
    rule_id: str
    reason: str
    sid: str | None = None
    expires: datetime.date | None = None
    span: Span = FILE_START  # where the entry is written in the config file

    def expired(self, today: datetime.date) -> bool:
        """True after the `expires` day (the entry works through that day)."""
        return self.expires is not None and today > self.expires


class EntryIndex:
    """The live (not expired) entries by rule; which of them match a file is worked out
    once per file and rule, so a finding costs a lookup, not a glob match per entry."""

    def __init__(self, entries: Iterable[ConfigSuppression], root: Path) -> None:
        from reglint.files.globs import GlobSet

        self._root = root
        self._by_rule: dict[str, list[tuple[ConfigSuppression, GlobSet]]] = {}
        for entry in entries:
            self._by_rule.setdefault(entry.rule_id, []).append((entry, GlobSet([entry.path])))
        self._path: Path | None = None  # the file whose matches are cached
        self._matching: dict[str, dict[str | None, ConfigSuppression]] = {}  # rule -> sid -> entry

    def find(self, path: Path, rule_id: str, sid_of: Callable[[], str | None]) -> ConfigSuppression | None:
        """The first entry that suppresses a `rule_id` finding in `path`; `sid_of` gives
        the Sid of the finding's statement, asked only when an entry names one."""
        entries = self._by_rule.get(rule_id)
        if not entries:
            return None
        if path != self._path:
            self._path, self._matching = path, {}
        matching = self._matching.get(rule_id)
        if matching is None:
            matching = self._matching[rule_id] = {}
            for entry, globs in entries:
                if globs.matches(path, self._root):
                    matching.setdefault(entry.sid, entry)
        general = matching.get(None)
        if len(matching) == (general is not None):  # no entry of this file names a Sid
            return general
        sid = sid_of()
        found = [entry for entry in (general, None if sid is None else matching.get(sid)) if entry is not None]
        return min(found) if found else None


def dates_as_text(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with each entry's unquoted `expires` date (a date to YAML and TOML) written
    as the YYYY-MM-DD text the schema checks."""
    entries = raw.get(KEY)
    if not isinstance(entries, list):
        return raw
    written = [
        {**entry, "expires": entry["expires"].isoformat()}
        if isinstance(entry, dict) and type(entry.get("expires")) is datetime.date
        else entry
        for entry in entries
    ]
    return {**raw, KEY: written}


def read_suppressions(entries: Sequence[dict[str, Any]], config_path: Path) -> tuple[ConfigSuppression, ...]:
    """The entries of a schema-valid `suppressions` list; ConfigError (exit 2) for an
    impossible date, an unknown rule or a glob that does not compile."""
    if not entries:
        return ()
    from reglint.config.files import ConfigError
    from reglint.files.globs import GlobError, check_glob
    from reglint.rule_catalogue import UnknownRuleError, load_catalogue

    catalogue = load_catalogue()
    spans = _entry_spans(config_path, len(entries))
    read = []
    for index, entry in enumerate(entries):
        where = f"{config_path}: {KEY}[{index}]"
        try:
            rule_id = catalogue.find(entry["rule"]).id
        except UnknownRuleError as exc:
            raise ConfigError(f"{where}.rule: {exc}") from None
        try:
            check_glob(entry["path"])
        except GlobError as exc:
            raise ConfigError(f"{where}.path: invalid glob {entry['path']!r} ({exc})") from None
        expires = entry.get("expires")
        try:
            day = None if expires is None else datetime.date.fromisoformat(expires)
        except ValueError:
            raise ConfigError(f"{where}.expires: {expires!r} is not a date (YYYY-MM-DD)") from None
        read.append(
            ConfigSuppression(index, entry["path"], rule_id, entry["reason"].strip(), entry.get("sid"), day, spans[index])
        )
    return tuple(read)


def _entry_spans(config_path: Path, count: int) -> list[Span]:
    """Where each entry is written: its mapping in YAML; in TOML its
    `[[tool.reglint.suppressions]]` header (or, for an inline array, the key's line)."""
    from reglint.loading.decode import decode
    from reglint.loading.errors import LoadError

    try:
        text = decode(config_path.read_bytes())
    except (OSError, LoadError):
        return [FILE_START] * count
    if config_path.suffix == ".toml":
        headers = [_line_span(text, m.start(), m.end()) for m in _TOML_HEADER.finditer(text)]
        if len(headers) == count:
            return headers
        key = _TOML_KEY.search(text)
        return [FILE_START if key is None else _line_span(text, key.start(), key.end())] * count
    from reglint.loading.document import Limits
    from reglint.loading.yaml_loader import load_yaml

    try:
        documents = load_yaml(text, Limits())
    except LoadError:
        return [FILE_START] * count
    if not documents:
        return [FILE_START] * count
    positions = documents[0].positions
    paths: list[tuple[Hashable, ...]] = [(KEY, index) for index in range(count)]
    return [positions.span(path) for path in paths]


def _line_span(text: str, start: int, end: int) -> Span:
    line = text.count("\n", 0, start)
    column = start - (text.rfind("\n", 0, start) + 1)
    return Span.from_zero_based(line, column, line, column + end - start)


def statement_sid(data: Any, path: Sequence[Hashable]) -> str | None:
    """The `Sid` of the innermost IAM policy statement that `path` leads into, if any
    (a policy's `Statement[2].Action[0]`, or a statement deeper in a template)."""
    sid = None
    node = data
    for depth, step in enumerate(path):
        child = _step(node, step)
        if child is _MISSING:
            break
        if step == "Statement" and isinstance(node, dict):
            # `Statement` holds one statement, or a list that the next step indexes.
            statement = _step(child, path[depth + 1]) if isinstance(child, list) and depth + 1 < len(path) else child
            found = statement.get("Sid") if isinstance(statement, dict) else None
            sid = found if isinstance(found, str) else None
        node = child
    return sid


_MISSING: Any = object()


def _step(node: Any, step: Hashable) -> Any:
    """`node[step]` for a mapping key or a list index, else `_MISSING`."""
    if isinstance(node, dict):
        return node.get(step, _MISSING)
    if isinstance(node, list) and isinstance(step, int) and not isinstance(step, bool) and 0 <= step < len(node):
        return node[step]
    return _MISSING
