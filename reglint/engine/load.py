"""Loading the project a run sees (project.py): the files named for the run, and for the
cross-file rules every manifest under the root and every policy a manifest links to.

A named file that cannot hold a manifest and that no manifest links to is
*independent*: it is only sniffed here, and checked on its own later
(engine/file_check.py), so it never has to stay in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from reglint.engine.infrastructure import TerraformModules, expand, is_terraform_file
from reglint.engine.links import LinkResolver
from reglint.engine.progress import FileTally
from reglint.files.discovery import Candidate, discover
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.files.read import read_regular_file, too_large
from reglint.findings import Notification, Severity
from reglint.loading.document import DocumentKind, Limits, SourceFile, SourceReader
from reglint.loading.reader import Skipped, load_bytes, load_read, read_candidate
from reglint.loading.sniff import may_hold_infrastructure, may_hold_manifest
from reglint.platform.sniff import mentions_platform_source
from reglint.platform.systems import SystemAssignment
from reglint.project import Project


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
    terraform: dict[Path, list[Candidate]] = {}
    for candidate in discover(request.paths, request.root, request.include, request.exclude):
        if candidate.path in loaded or candidate.path in request.own_files:
            continue
        if is_terraform_file(candidate.path) and candidate.refused is None:
            terraform.setdefault(candidate.path.parent, []).append(candidate)
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
        _keep(_expanded(outcome), project, tally, request.cwd, loaded, request.keep_raw)
    reader: list[TerraformModules] = []

    def modules() -> TerraformModules:
        if not reader:
            reader.append(terraform_modules(request, loaded))
        return reader[0]

    if terraform:
        _load_terraform(request, project, tally, loaded, terraform, modules())
    iac_context: list[Path] = []  # IaC files under the root that no one named (sniffed)
    named = bool(request.paths) or (request.stdin is not None and not request.stdin_alone)
    if named and not _covers_root(request.paths, request.root):
        _load_context_manifests(request, project, loaded, independent, iac_context)

    def take_named(target: Path) -> None:
        job = independent.pop(target, None)
        if job is not None:
            outcome = load_job(job, request.limits, request.keep_raw)
            _keep(outcome, project, tally, request.cwd, loaded, request.keep_raw)

    LinkResolver(
        request.root, request.limits, loaded, take_named, modules, _expanded_source
    ).resolve(project)
    if needs_repository_policies(project):
        for path, job in list(independent.items()):
            if job.raw is None or may_hold_infrastructure(job.raw):
                take_named(path)
        _load_infrastructure_context(request, project, loaded, iac_context, modules)
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
    return _expanded(load_bytes(name, raw, True, limits, _platform_reader(raw)))


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
    keep_raw: bool = False,  # its bytes stay for fixes (never a Terraform file's: not fixed)
) -> None:
    shown = display_path(outcome.path, cwd)
    if isinstance(outcome, Skipped):
        tally.count(shown, True, skipped_notification(outcome, cwd))
        return
    skipped = is_not_input(outcome)
    tally.count(shown, skipped, reason=skip_reason(outcome) if skipped else None)
    project.sources.append(_reported(outcome, keep_raw))
    loaded[outcome.path] = outcome


def load_job(job: FileJob, limits: Limits, keep_raw: bool = False) -> SourceFile | Skipped:
    """Load an independent file from its sniffed bytes, or read it again."""
    if job.raw is None:
        outcome = read_candidate(job.path, job.named, limits)
    else:
        outcome = load_bytes(job.path, job.raw, job.named, limits)
    return outcome if isinstance(outcome, Skipped) else _reported(_expanded_source(outcome), keep_raw)


def _expanded(outcome: SourceFile | Skipped) -> SourceFile | Skipped:
    """A loaded file with the policies of the template or plan it holds, if any."""
    return outcome if isinstance(outcome, Skipped) else _expanded_source(outcome)


def _expanded_source(source: SourceFile) -> SourceFile:
    if any(d.kind is DocumentKind.OTHER for d in source.documents):
        expand(source)
    return source


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


def skip_reason(source: SourceFile) -> str:
    """Why a file counted as skipped holds nothing reglint checks (`-v` lists it)."""
    return source.skip_reason or (
        "holds no registry manifest, IAM policy or infrastructure code that reglint reads"
    )


def _load_terraform(
    request: LoadRequest,
    project: Project,
    tally: FileTally,
    loaded: dict[Path, SourceFile],
    terraform: dict[Path, list[Candidate]],
    modules: TerraformModules,
) -> None:
    """The Terraform files of the run, each with its module (the other files of its
    folder, as context: engine/infrastructure.py)."""
    for folder, candidates in terraform.items():
        files = modules.files(folder)
        for candidate in candidates:
            tally.reading(0)
            source = files.get(candidate.path)
            if source is None:
                reason = "not part of its module: Terraform ignores hidden, backup and linked files"
                _keep(Skipped(candidate.path, reason), project, tally, request.cwd, loaded)
                continue
            source.named = candidate.named
            failure = next((p for p in source.problems if p.rule == "RL001"), None)
            if failure is not None and not (candidate.named or modules.reportable(candidate.path)):
                _keep(Skipped(candidate.path, failure.message), project, tally, request.cwd, loaded)
                continue
            _keep(source, project, tally, request.cwd, loaded)
        for path, source in files.items():
            if path not in loaded and source.documents:
                project.sources.append(source)  # context: the rest of the module
                loaded[path] = source


def terraform_modules(request: LoadRequest, loaded: dict[Path, SourceFile]) -> TerraformModules:
    """The run's reader of Terraform modules; a JSON file a module reads is loaded once."""

    def policy_file(path: Path) -> SourceFile | str:
        source = loaded.get(path)
        if source is not None:
            return source
        if not path.exists():
            return "does not exist"
        outcome = read_candidate(path, True, request.limits)
        if isinstance(outcome, Skipped):
            return outcome.reason
        return outcome

    return TerraformModules(request.root, request.limits, policy_file)


def _covers_root(paths: Sequence[Path], root: Path) -> bool:
    """True when a named folder is the root or holds it: every manifest is loaded."""
    return any(path.is_dir() and (path == root or path in root.parents) for path in paths)


def _load_context_manifests(
    request: LoadRequest,
    project: Project,
    loaded: dict[Path, SourceFile],
    independent: dict[Path, FileJob],
    iac_context: list[Path],
) -> None:
    """Every manifest and platform source under the root that was not named: sniffed
    before it is parsed, so a big repository costs one read per YAML/JSON file and one
    parse per possible manifest or platform source. Named files were sniffed already;
    only files that hold one are kept. The IaC files found on the way are remembered
    (`iac_context`), for a cross-account push."""
    for candidate in discover([request.root], request.root, request.include, request.exclude):
        if (
            candidate.path in loaded
            or candidate.path in independent
            or candidate.path in request.own_files
            or candidate.refused
        ):
            continue
        if is_terraform_file(candidate.path):
            iac_context.append(candidate.path)
            continue
        raw = _read(request, candidate.path)
        if isinstance(raw, bytes) and may_hold_infrastructure(raw):
            iac_context.append(candidate.path)
        platform = _platform_reader(raw)
        if isinstance(raw, str) or not (may_hold_manifest(raw) or platform is not None):
            continue  # context only: an unreadable file is not this run's business
        outcome = load_bytes(candidate.path, raw, False, request.limits, platform)
        if isinstance(outcome, SourceFile) and any(d.kind in _CONTEXT_KINDS for d in outcome.documents):
            outcome.raw = None  # context: never fixed
            project.sources.append(outcome)
            loaded[outcome.path] = outcome


_CONTEXT_KINDS = frozenset({DocumentKind.MANIFEST, DocumentKind.PLATFORM})


def needs_repository_policies(project: Project) -> bool:
    """True when a manifest pushes from another account (its `auth.roleArn`) without
    naming its repository policies: they are then looked for in all the IaC of the
    project (checks/cross_account.py)."""
    from reglint.model.iam.arns import is_role_arn

    for manifest in project.manifests():
        spec = manifest.data.get("spec") if isinstance(manifest.data, dict) else None
        if not isinstance(spec, dict) or spec.get("repositoryPolicies"):
            continue
        service = project.service(manifest)
        role, url = service.role_arn, service.url
        if role is not None and url is not None and is_role_arn(role) and role.split(":")[4] != url.split(".", 1)[0]:
            return True
        if any(
            link.infrastructure is not None and link.infrastructure.kind == "Terraform plan"
            for link in project.policy_links(manifest)
        ):
            return True
    return False


def _load_infrastructure_context(
    request: LoadRequest,
    project: Project,
    loaded: dict[Path, SourceFile],
    paths: list[Path],
    modules: Callable[[], TerraformModules],
) -> None:
    """The IaC files under the root that the run did not read, as context."""
    for path in paths:
        if path in loaded:
            continue
        if is_terraform_file(path):
            for module_path, source in modules().files(path.parent).items():
                if module_path not in loaded and source.documents:
                    project.sources.append(source)
                    loaded[module_path] = source
            continue
        raw = read_regular_file(path, request.limits.max_file_size)
        outcome = load_bytes(path, raw, False, request.limits) if isinstance(raw, bytes) else None
        if isinstance(outcome, SourceFile):
            outcome.raw = None  # context: never fixed
            project.sources.append(_expanded_source(outcome))
            loaded[path] = outcome
