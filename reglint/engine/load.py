"""Loading the project a run sees (project.py): the files named for the run, and for the
cross-file rules every manifest under the root and every policy a manifest links to.

A named file that cannot hold a manifest and that no manifest links to is
*independent*: it is only sniffed here, and checked on its own later
(engine/file_check.py), so it never has to stay in memory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from reglint.engine.progress import FileTally
from reglint.files.confinement import OUTSIDE, leads_outside
from reglint.files.discovery import discover
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.files.read import read_regular_file, too_large
from reglint.findings import Notification, Severity
from reglint.loading.document import Document, DocumentKind, Limits, SourceFile, SourceReader
from reglint.loading.reader import Skipped, load_bytes, load_read, read_candidate
from reglint.loading.sniff import may_hold_manifest
from reglint.platform.sniff import mentions_platform_source
from reglint.platform.systems import SystemAssignment
from reglint.project import PolicyLink, Project


class LoadRequest(NamedTuple):
    paths: Sequence[Path]  # absolute files and folders named for the run
    root: Path
    cwd: Path
    limits: Limits
    include: GlobSet
    exclude: GlobSet
    stdin: tuple[Path, bytes] | None = None
    tally: FileTally | None = None  # counts the files (and shows the count in a terminal)
    # Standard input without --stdin-filename: a project of its own (SPEC §6.6), never
    # compared with the files of the project nor linked to them.
    stdin_alone: bool = False
    own_files: frozenset[Path] = frozenset()  # reglint's baseline and report: never input
    # The run renders fixes: reported files keep their bytes (SourceFile.raw).
    keep_raw: bool = False
    # Contents that stand for files on disk: what `--fix` has changed so far (engine/fixing.py).
    overrides: Mapping[Path, bytes] = MappingProxyType({})
    # The config's `platform-systems`, in order (SPEC §6.3), for the project's MLRun systems.
    platform_systems: tuple[tuple[GlobSet, SystemAssignment], ...] = ()


class FileJob(NamedTuple):
    """A named file whose findings depend on no other file: checked on its own."""

    path: Path
    named: bool
    raw: bytes | None = None  # its bytes when the sniff already read them, else read again


@dataclass(slots=True)
class LoadedRun:
    """The project, what loading counted so far, and the named files left to check one
    by one: those that cannot hold a manifest and that no manifest links to."""

    project: Project
    tally: FileTally
    independent: list[FileJob]
    alone: Project | None = None  # standard input without a name, checked on its own


def load_project(request: LoadRequest) -> LoadedRun:
    """Load what the cross-file rules need: the named files that may hold a manifest,
    the manifests under the root, and every policy a manifest links to.

    Every other named file is only sniffed here and returned to be checked on its own,
    so a run over 10,000 policies never holds them all in memory."""
    project = Project(request.root, platform_systems=request.platform_systems)
    tally = request.tally or FileTally()
    loaded: dict[Path, SourceFile] = {}
    independent: dict[Path, FileJob] = {}
    alone = Project(request.root, platform_systems=request.platform_systems) if request.stdin is not None and request.stdin_alone else None
    if request.stdin is not None:
        # Named, it takes the place of the file of that name (which is then never read).
        name, given = request.stdin
        outcome = load_stdin(name, request.overrides.get(name, given), request.limits)
        if alone is not None:
            _keep(outcome, alone, tally, request.cwd, {}, request.keep_raw)
        else:
            _keep(outcome, project, tally, request.cwd, loaded, request.keep_raw)
    budget = _RAW_BUDGET
    for candidate in discover(request.paths, request.root, request.include, request.exclude):
        if candidate.path in loaded or candidate.path in request.own_files:
            continue
        tally.reading(len(independent))
        overridden = request.overrides.get(candidate.path)
        raw = candidate.refused or overridden or _read(request, candidate.path)
        platform = _platform_reader(raw)
        if isinstance(raw, bytes) and not may_hold_manifest(raw) and platform is None:
            # Changed contents are never read again from disk: they are kept whatever their size.
            keep = len(raw) <= budget or overridden is not None
            budget -= len(raw) if keep else 0
            independent[candidate.path] = FileJob(candidate.path, candidate.named, raw if keep else None)
            continue
        outcome = load_read(candidate.path, raw, candidate.named, request.limits, platform)
        _keep(outcome, project, tally, request.cwd, loaded, request.keep_raw)
    named = bool(request.paths) or (request.stdin is not None and not request.stdin_alone)
    if named and not _covers_root(request.paths, request.root):
        _load_context_manifests(request, project, loaded, independent)
    _resolve_links(request, project, loaded, independent, tally)
    return LoadedRun(project, tally, list(independent.values()), alone)


def _read(request: LoadRequest, path: Path) -> bytes | str:
    """A file's bytes (or why it cannot be read): its changed contents, else from disk."""
    overridden = request.overrides.get(path)
    return overridden if overridden is not None else read_regular_file(path, request.limits.max_file_size)


def load_stdin(name: Path, raw: bytes, limits: Limits) -> SourceFile | Skipped:
    """Standard input, loaded as a file named on the command line. The caller reads at
    most `max-file-size + 1` bytes of it: one more than the limit is RL001, as for a file."""
    if len(raw) > limits.max_file_size:
        return load_read(name, too_large(limits.max_file_size), True, limits)
    return load_bytes(name, raw, True, limits, _platform_reader(raw))


def _platform_reader(raw: bytes | str) -> SourceReader | None:
    """The reader of platform sources for a file the platform sniff picks out (SPEC
    §6.6): its registry Secrets and MLRun settings take part in the cross-file rules, so
    it is loaded with the project. The readers are imported only when a file needs them."""
    if isinstance(raw, str) or not mentions_platform_source(raw):
        return None
    from reglint.platform.documents import read_platform_sources

    return read_platform_sources


# The sniffed bytes of independent files are kept for their check up to this many bytes
# in all (then they are read again): one read per file, and a bounded memory.
_RAW_BUDGET = 32 * 1024 * 1024
def _keep(
    outcome: SourceFile | Skipped,
    project: Project,
    tally: FileTally,
    cwd: Path,
    loaded: dict[Path, SourceFile],
    keep_raw: bool,
) -> None:
    shown = display_path(outcome.path, cwd)
    if isinstance(outcome, Skipped):
        tally.count(shown, True, skipped_notification(outcome, cwd))
        return
    tally.count(shown, is_not_input(outcome))
    project.sources.append(_reported(outcome, keep_raw))
    loaded[outcome.path] = outcome


def load_job(job: FileJob, limits: Limits, keep_raw: bool = False) -> SourceFile | Skipped:
    """Load an independent file from its sniffed bytes, or read it again."""
    if job.raw is None:
        outcome = read_candidate(job.path, job.named, limits)
    else:
        outcome = load_bytes(job.path, job.raw, job.named, limits)
    return outcome if isinstance(outcome, Skipped) else _reported(outcome, keep_raw)


def _reported(source: SourceFile, keep_raw: bool) -> SourceFile:
    """A file of the run: findings on it are reported. The one place that says so; every
    other loaded file is context for the cross-file rules (and never keeps its bytes)."""
    source.reported = True
    if not keep_raw:
        source.raw = None
    return source


def skipped_notification(skipped: Skipped, cwd: Path) -> Notification:
    # An unreadable file is worth a warning; a file that is simply not reglint's input (a
    # broken Helm template nobody named) only a note.
    level = Severity.WARNING if skipped.unreadable else Severity.NOTE
    return Notification(display_path(skipped.path, cwd), f"skipped: {skipped.reason}", level)


def is_not_input(source: SourceFile) -> bool:
    """A file read without trouble that holds neither manifest nor policy: counted as skipped."""
    return not source.problems and all(d.kind is DocumentKind.OTHER for d in source.documents)


def _covers_root(paths: Sequence[Path], root: Path) -> bool:
    """True when a named folder is the root or holds it: every manifest is loaded."""
    return any(path.is_dir() and (path == root or path in root.parents) for path in paths)


def _load_context_manifests(
    request: LoadRequest, project: Project, loaded: dict[Path, SourceFile], independent: dict[Path, FileJob]
) -> None:
    """Every manifest and platform source under the root that was not named: sniffed
    before it is parsed, so a big repository costs one read per YAML/JSON file and one
    parse per possible manifest or platform source. Named files were sniffed already;
    only files that hold one are kept."""
    for candidate in discover([request.root], request.root, request.include, request.exclude):
        if (
            candidate.path in loaded
            or candidate.path in independent
            or candidate.path in request.own_files
            or candidate.refused
        ):
            continue
        raw = _read(request, candidate.path)
        platform = _platform_reader(raw)
        if isinstance(raw, str) or not (may_hold_manifest(raw) or platform is not None):
            continue  # context only: an unreadable file is not this run's business
        outcome = load_bytes(candidate.path, raw, False, request.limits, platform)
        if isinstance(outcome, SourceFile) and any(d.kind in _CONTEXT_KINDS for d in outcome.documents):
            outcome.raw = None  # context: never fixed
            project.sources.append(outcome)
            loaded[outcome.path] = outcome


_CONTEXT_KINDS = frozenset({DocumentKind.MANIFEST, DocumentKind.PLATFORM})


def _resolve_links(
    request: LoadRequest,
    project: Project,
    loaded: dict[Path, SourceFile],
    independent: dict[Path, FileJob],
    tally: FileTally,
) -> None:
    for manifest in list(project.documents(DocumentKind.MANIFEST)):
        entries = _policy_entries(manifest)
        if not entries:
            continue
        links = []
        for index, entry in entries:
            target = Path(_absolute(manifest.file.path.parent / entry))
            # A named policy that a manifest links to is checked with the project: the
            # linked-policy rules report on it, and it is no standalone push policy.
            job = independent.pop(target, None)
            if job is not None:
                outcome = load_job(job, request.limits, request.keep_raw)
                _keep(outcome, project, tally, request.cwd, loaded, request.keep_raw)
            links.append(_link(manifest, index, entry, target, request, loaded))
        project.links[manifest] = tuple(links)


def _policy_entries(manifest: Document) -> list[tuple[int, str]]:
    spec = manifest.data.get("spec") if isinstance(manifest.data, dict) else None
    entries = spec.get("iamPolicies") if isinstance(spec, dict) else None
    if not isinstance(entries, list):
        return []
    return [(i, e) for i, e in enumerate(entries) if isinstance(e, str) and e.strip()]


def _link(
    manifest: Document, index: int, entry: str, target: Path, request: LoadRequest, loaded: dict[Path, SourceFile]
) -> PolicyLink:
    """What `entry` (which names `target`, absolute) resolves to."""
    if target != request.root and request.root not in target.parents:
        return PolicyLink(manifest, index, entry, error="points outside the project root")
    if leads_outside(str(target), str(request.root), os.path.realpath(request.root)):
        return PolicyLink(manifest, index, entry, error=OUTSIDE)
    source = loaded.get(target)
    if source is None:
        try:
            exists, is_dir = target.exists(), target.is_dir()
        except OSError:  # a name longer than the file system allows, and the like
            return PolicyLink(manifest, index, entry, error="is not a usable file name")
        if not exists:
            return PolicyLink(manifest, index, entry, error="does not exist")
        if is_dir:
            return PolicyLink(manifest, index, entry, error="is a folder, not a policy file")
        outcome = load_read(target, _read(request, target), True, request.limits)
        if isinstance(outcome, Skipped):  # cannot happen for a named read; kept for typing
            return PolicyLink(manifest, index, entry, error=outcome.reason)
        outcome.raw = None  # context: never fixed
        source = loaded[target] = outcome
    failure = next((p for p in source.problems if p.rule == "RL001"), None)
    if failure is not None:
        return PolicyLink(manifest, index, entry, error=f"cannot be loaded: {failure.message}")
    policies = tuple(d for d in source.documents if d.kind is DocumentKind.POLICY)
    if not policies:
        return PolicyLink(manifest, index, entry, error="is not an IAM policy (no Statement)")
    return PolicyLink(manifest, index, entry, policies=policies)


def _absolute(path: Path) -> str:
    """The normalised absolute path, without resolving symlinks (the project's own view)."""
    return os.path.normpath(path)
