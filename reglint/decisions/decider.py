"""The one place that decides what gets reported: rule selection, severity overrides,
positions, fingerprints, inline and per-file-ignores suppressions, unused ignore
comments (RL004) and the baseline; and what a finding may print of what checks and
files wrote (`shown_text`: secret-shaped text redacted, quoted values capped).

Everything but the baseline is decided per file (`decide`), so a worker process can
decide its own files; the baseline is matched once over the whole run's findings, in
report order, so a run with `--jobs` claims the same entries as a run without.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reglint.config.suppressions import ConfigSuppression, EntryIndex, statement_sid
from reglint.decisions.caps import RELATED_LIMIT, shown_text
from reglint.decisions.fingerprints import digest, fingerprint
from reglint.decisions.selection import RuleSelection
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path, relative_posix
from reglint.findings import (
    FILE_START,
    Finding,
    Fix,
    FixSafety,
    RelatedLocation,
    Span,
    Suppression,
    SuppressionKind,
)
from reglint.loading.comments import IgnoreComment
from reglint.loading.document import DataEdit, EditAction, FixProposal, Problem, SourceFile
from reglint.loading.positions import FixedPositions, format_path
from reglint.rule_catalogue import Catalogue, UnknownRuleError

if TYPE_CHECKING:
    from reglint.decisions.comment_index import CommentIndex
    from reglint.fixes.render import FixRenderer

# The ignore comments of one file that suppressed a finding, with the rule they suppressed.
_Used = set[tuple[IgnoreComment, str]]


class DecisionRules(NamedTuple):
    """What the decisions of a run depend on (picklable: worker processes get a copy)."""

    catalogue: Catalogue
    selection: RuleSelection
    cwd: Path  # report paths are relative to it
    root: Path  # fingerprints and per-file-ignores are relative to it
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # glob -> rules as written
    suppressions: tuple[ConfigSuppression, ...] = ()  # the config's `suppressions` entries
    config_path: Path | None = None  # where they are written
    today: datetime.date | None = None  # for `expires`; set once per run (workers share it)
    fixes: bool = False  # render each finding's fix into text edits (json, sarif, --fix, --diff)


class Decider:
    """Turns a file's problems into findings — position, level, fingerprint, relative
    path, suppression — and adds RL004 for its ignore comments that suppressed nothing."""

    def __init__(self, rules: DecisionRules) -> None:
        today = rules.today or datetime.date.today()
        self.rules = rules = rules._replace(today=today)
        self._selection = rules.selection
        self._resolved: dict[tuple[str, ...], frozenset[str]] = {}
        self._file_ignores = [
            (GlobSet([glob]), glob, self._selected_ids(written)) for glob, written in rules.per_file_ignores
        ]
        self._ignored_path: Path | None = None  # the file `_ignored` is for
        self._ignored: dict[str, str] = {}
        self._entries = EntryIndex((e for e in rules.suppressions if not e.expired(today)), rules.root)

    def __reduce__(self) -> tuple[type[Decider], tuple[DecisionRules]]:
        return (Decider, (self.rules,))

    def wanted(self, rules: frozenset[str]) -> bool:
        """True when a check of these rules has anything to report in this run."""
        return any(self._selection.is_enabled(rule) for rule in rules)

    def decide(self, source: SourceFile, problems: Iterable[Problem]) -> list[Finding]:
        """Every finding of one reported file (suppressed ones included), RL004 last.

        Depends on nothing but its arguments and the run's rules: which comments
        suppressed something is worked out here, for this call, never kept."""
        if not source.reported:
            return []
        wanted = [problem for problem in problems if self._selection.is_enabled(problem.rule)]
        comments = None
        if source.comments:
            # Imported here: most files hold no ignore comment.
            from reglint.decisions.comment_index import CommentIndex

            comments = CommentIndex(source.comments, {self._span(problem).line for problem in wanted}, self.rule_ids)
        used: _Used = set()
        fixes = _FileFixes(source, self.rules.fixes)
        findings = [self._finding(source, problem, comments, used, fixes) for problem in wanted]
        findings.extend(
            self._finding(source, problem, comments, used, fixes)
            for problem in self._unused_comments(source.comments, _did_not_load(source), used)
            if self._selection.is_enabled(problem.rule)
        )
        return findings

    def _finding(
        self, source: SourceFile, problem: Problem, comments: CommentIndex | None, used: _Used, fixes: _FileFixes
    ) -> Finding:
        rule = self.rules.catalogue[problem.rule]
        cwd = self.rules.cwd
        finding = Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=self._selection.level(rule.id, problem.severity or rule.severity),
            path=display_path(source.path, cwd),
            span=self._span(problem),
            message=shown_text(problem.message),
            data_path=format_path(problem.path),
            fingerprint=fingerprint(problem, source.path, self.rules.root),
            fix=fixes.fix(problem),
            related=tuple(
                RelatedLocation(
                    display_path(ref.document.file.path, cwd),
                    ref.document.span_of(ref.path, on_key=ref.on_key),
                    shown_text(ref.message),
                )
                for ref in problem.related[:RELATED_LIMIT]
            ),
        )
        if problem.fix is not None and not _plain_source(problem):
            # After the cap, so that a long message never loses it.
            finding = replace(finding, message=f"{finding.message} ({_IAC_FIX})")
        suppression = self._suppression(source, finding, problem, comments, used)
        if suppression is None:
            return finding
        if suppression.justification:  # the reason written in a file or the config
            suppression = suppression._replace(justification=shown_text(suppression.justification))
        return replace(finding, suppressed=suppression)

    @staticmethod
    def _span(problem: Problem) -> Span:
        if problem.span is not None:
            return problem.span
        if problem.document is not None:
            return problem.document.span_of(problem.path, on_key=problem.on_key)
        return FILE_START

    def _suppression(
        self, source: SourceFile, finding: Finding, problem: Problem, comments: CommentIndex | None, used: _Used
    ) -> Suppression | None:
        if finding.rule_id in ("RL000", "RL004"):
            return None  # a crash or a stale comment is never hidden by another comment
        # RL001 never inline: a file that does not parse has no comments to trust, and
        # `ignore-file[RL001]` would hide every other check of the file.
        comment = None if comments is None or finding.rule_id == "RL001" else comments.find(finding.rule_id, finding.span.line)
        if comment is not None:
            used.add((comment, finding.rule_id))
            return Suppression(SuppressionKind.INLINE, comment.justification)
        document = problem.document
        entry = self._entries.find(
            source.path, finding.rule_id, lambda: None if document is None else statement_sid(document.data, problem.path)
        )
        if entry is not None:
            return Suppression(SuppressionKind.CONFIG, entry.reason, entry.number)
        glob = self._ignored_by(source.path).get(finding.rule_id)
        if glob is not None:
            return Suppression(SuppressionKind.CONFIG, f"per-file-ignores: {glob}")
        return None

    def _ignored_by(self, path: Path) -> dict[str, str]:
        """Rule ID -> the first per-file-ignores glob that matches `path` and names it;
        worked out once per file (a glob match per finding and glob is too slow)."""
        if path != self._ignored_path:
            self._ignored_path, self._ignored = path, {}
            for globs, glob, rule_ids in self._file_ignores:
                if rule_ids and globs.matches(path, self.rules.root):
                    for rule_id in rule_ids:
                        self._ignored.setdefault(rule_id, glob)
        return self._ignored

    def _unused_comments(self, comments: list[IgnoreComment], did_not_load: bool, used: _Used) -> Iterable[Problem]:
        """RL004: an ignore that names an unknown rule or RL001, or suppresses nothing of a
        rule selected in this run. In a file that did not load, only the comments that
        name RL001 are reported: there was nothing else to suppress."""
        for comment in comments:
            problems = list(self._unused_rules(comment, did_not_load, used))
            if not problems or did_not_load:  # a file that does not parse gets no fix
                yield from (problem for _, problem in problems)
                continue
            # One fix per comment, the same for each of its findings: the rules that
            # suppressed nothing go, the others stay (SPEC §6.5, safe).
            unused = {written for written, _ in problems}
            keep = tuple(written for written in comment.rules if written not in unused)
            what = "the comment" if not keep else f"{', '.join(repr(w) for w in sorted(unused))} from the comment"
            fix = FixProposal(
                unsafe=False,
                description=f"remove {what}",
                edits=(DataEdit(EditAction.REWRITE_COMMENT, (), keep, span=comment.span),),
            )
            for _, problem in problems:
                yield replace(problem, fix=fix)

    def _unused_rules(self, comment: IgnoreComment, did_not_load: bool, used: _Used) -> Iterator[tuple[str, Problem]]:
        """Each rule of `comment` that RL004 reports, as written, with its problem."""
        catalogue = self.rules.catalogue
        for written in comment.rules:
            try:
                rule = catalogue.find(written)
            except UnknownRuleError:
                if not did_not_load:
                    message = f"unknown rule {written!r} in a reglint ignore comment"
                    yield written, Problem("RL004", message, span=comment.span, identity=written)
                continue
            if not self._selection.is_enabled(rule.id) or (did_not_load and rule.id != "RL001"):
                continue
            if rule.id == "RL001":
                yield written, Problem(
                    "RL004",
                    f"{rule.id} ({rule.name}) cannot be suppressed inline: a file that does not parse has no "
                    "comments reglint can trust; use per-file-ignores, a config `suppressions` entry or the baseline",
                    span=comment.span,
                    identity="RL001:inline",
                )
            elif (comment, rule.id) not in used:
                yield written, Problem(
                    "RL004",
                    f"unused suppression: no {rule.id} ({rule.name}) finding on {comment.target}; remove {written!r} from the comment",
                    span=comment.span,
                    identity=f"{rule.id}:{'file' if comment.whole_file else 'line'}",
                )

    def config_findings(self, findings: Iterable[Finding], whole_project: bool) -> Iterator[Finding]:
        """RL004 at each config `suppressions` entry that has expired, and — in a run over
        the whole project, where every file its glob matches was seen — at each one that
        suppressed nothing of a rule selected in this run."""
        rules = self.rules
        if rules.config_path is None or not rules.suppressions or not self._selection.is_enabled("RL004"):
            return
        used = {f.suppressed.config_entry for f in findings if f.suppressed is not None}
        rl004 = rules.catalogue["RL004"]
        path = display_path(rules.config_path, rules.cwd)
        relative = relative_posix(rules.config_path, rules.root) or rules.config_path.as_posix()
        for entry in rules.suppressions:
            rule = rules.catalogue[entry.rule_id]
            what = f"{rule.id} ({rule.name}) for {entry.path!r}"
            if entry.expired(rules.today or datetime.date.today()):
                message = (
                    f"the config suppression of {what} expired on {entry.expires}: it suppresses nothing now; "
                    "fix the findings or move `expires`"
                )
            elif whole_project and entry.number not in used and self._selection.is_enabled(rule.id):
                where = f"files matching {entry.path!r}" + (f" in statement {entry.sid!r}" if entry.sid else "")
                message = f"unused config suppression: no {rule.id} ({rule.name}) finding in {where}; remove the entry"
            else:
                continue
            yield Finding(
                rule_id=rl004.id,
                rule_name=rl004.name,
                severity=self._selection.level(rl004.id, rl004.severity),
                path=path,
                span=entry.span,
                message=message,
                data_path=f"suppressions[{entry.number}]",
                fingerprint=digest((rl004.id, relative, "-1", f"suppressions[{entry.number}]", f"{entry.rule_id}:{entry.path}")),
            )

    def rule_ids(self, written: Iterable[str]) -> frozenset[str]:
        """The IDs of rules written by ID or name (unknown ones left out; RL004 names them)."""
        key = tuple(written)
        ids = self._resolved.get(key)
        if ids is None:
            found = set()
            for name in key:
                try:
                    found.add(self.rules.catalogue.find(name).id)
                except UnknownRuleError:
                    continue
            ids = self._resolved[key] = frozenset(found)
        return ids

    def _selected_ids(self, selectors: Iterable[str]) -> frozenset[str]:
        """The IDs named by selectors, as `select` takes them: IDs, names, ID prefixes,
        `ALL` (an unknown one is left out)."""
        ids: set[str] = set()
        for selector in selectors:
            try:
                ids |= self.rules.catalogue.resolve(selector)
            except UnknownRuleError:
                continue
        return frozenset(ids)


_IAC_FIX = "fix available for plain policy files only"


def _plain_source(problem: Problem) -> bool:
    """False when a fix would edit a document read out of infrastructure code."""
    assert problem.fix is not None
    documents = (edit.document or problem.document for edit in problem.fix.edits)
    return all(document is None or document.fixable_source for document in documents)


class _FileFixes:
    """The fixes of one file's findings: rendered into text edits when the run asks for
    them (reglint/fixes/, imported only then), else only said to exist."""

    def __init__(self, source: SourceFile, render: bool) -> None:
        self._source = source
        self._render = render
        self._renderer: FixRenderer | None = None

    def fix(self, problem: Problem) -> Fix | None:
        proposal = problem.fix
        if proposal is None or not _plain_source(problem):
            return None
        if not self._render:
            documents = [edit.document or problem.document for edit in proposal.edits]
            if not all(d is None or (d.file.reported and not isinstance(d.positions, FixedPositions)) for d in documents):
                return None
            safety = FixSafety.UNSAFE if proposal.unsafe else FixSafety.SAFE
            return Fix(safety, shown_text(proposal.description), secret=proposal.secret)
        if self._renderer is None:
            from reglint.fixes.render import FixRenderer

            self._renderer = FixRenderer()
        fix = self._renderer.render(proposal, problem.document, self._source)
        return None if fix is None else fix._replace(description=shown_text(fix.description))


def _did_not_load(source: SourceFile) -> bool:
    """True for a file whose text gave no document (a parse error, RL001)."""
    return not source.documents and any(p.rule == "RL001" for p in source.problems)
