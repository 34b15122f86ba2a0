"""`reglint aws verify` behind the command line (SPEC §6.4): the options of `check`
(prepare), the manifests loaded as `check` loads them, each ECR registry service
verified against what is deployed, the problems decided by the same Decider, and the
report written by the same output path (`finish`) — so formats, `--fail-on`,
`--output`, suppressions and the baseline work exactly as for `check`.

Which rules run: the live ones (RL201, RL202, RL401, RL402) and what loading a
manifest can say (RL001, RL003) — a manifest that cannot be read is not verified, and
says so. The static rules are `check`'s; RL004 (unused suppression) too, since a live
run sees only some rules and would call every other ignore comment unused.

AWS is reached only when some named manifest is an ECR registry service; every AWS
failure is one line on stderr and exit 2 (live/failures.py).
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from reglint.checks.live_registry import ProjectSystem, registry_problems
from reglint.checks.live_rights import deployed_rights_problems
from reglint.decisions.baseline import apply_baseline
from reglint.decisions.caps import shown_notification
from reglint.decisions.decider import Decider, DecisionRules
from reglint.decisions.selection import RuleSelection
from reglint.engine.check_command import CheckOptions, Prepared, finish, prepare
from reglint.engine.live_summary import live_summary
from reglint.engine.load import LoadRequest, load_project
from reglint.engine.progress import FileTally, Progress
from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.findings import Finding
from reglint.live.facts import Caller, IdentitySource, LiveService
from reglint.live.failures import AwsFailure
from reglint.live.session import AwsOptions
from reglint.loading.document import Problem, SourceFile
from reglint.model.namespace import RegistryNamespace
from reglint.model.service import manifest_service
from reglint.project import Project
from reglint.report.escape import echo_error
from reglint.report.result import RunResult

__all__ = ["LIVE_RUN_RULES", "execute_verify"]

LIVE_RUN_RULES = frozenset({"RL001", "RL003", "RL201", "RL202", "RL401", "RL402"})


def execute_verify(options: CheckOptions, aws: AwsOptions) -> int:
    """Verify the named manifests against AWS and return the exit code (0, 1 or 2)."""
    if "-" in options.paths:
        echo_error("reglint: error: aws verify reads manifests from files: '-' (standard input) is not supported")
        return 2
    prepared = prepare(options)
    if isinstance(prepared, int):
        return prepared
    request, catalogue, config = prepared
    selection = RuleSelection(request.selection.enabled & LIVE_RUN_RULES, request.selection.levels)
    request = request._replace(selection=selection)
    tally = FileTally(Progress.for_terminal(sys.stderr))
    loaded = load_project(
        LoadRequest(
            paths=list(request.paths),
            root=request.root,
            cwd=request.cwd,
            limits=config.limits,
            include=GlobSet(config.include),
            exclude=GlobSet(config.exclude),
            tally=tally,
            own_files=request.own_files,
        )
    )
    for job in loaded.independent:  # no manifest in them: nothing to verify
        tally.count(display_path(job.path, request.cwd), True)
    tally.close()
    project = loaded.project
    try:
        verified = _verify(project, aws, config.required_ecr_actions, selection) if _wanted(selection) else None
    except AwsFailure as failure:
        echo_error(f"reglint: error: {failure}")
        return 2
    decider = Decider(
        DecisionRules(
            catalogue=catalogue,
            selection=selection,
            cwd=request.cwd,
            root=request.root,
            per_file_ignores=tuple(config.per_file_ignores.items()),
            suppressions=config.suppressions,
            config_path=config.path,
        )
    )
    problems: dict[SourceFile, list[Problem]] = {}
    for problem in verified.problems if verified else ():
        if problem.document is not None:
            problems.setdefault(problem.document.file, []).append(problem)
    findings: list[Finding] = []
    for source in project.sources:
        if source.reported:
            findings.extend(decider.decide(source, [*source.problems, *problems.get(source, ())]))
    findings.sort(key=lambda f: f.sort_key)
    result = RunResult(
        findings=findings,
        notifications=[shown_notification(note) for note in tally.notifications],
        files=tally.files,
        skipped=tally.skipped,
        cwd=request.cwd,
        files_checked=sorted(tally.files_checked),
        live=live_summary(verified.caller, verified.region, verified.services, request.cwd) if verified else None,
    )
    if request.baseline is not None:
        result.findings = apply_baseline(findings, request.baseline)
        result.baseline_unmatched = request.baseline.unmatched
    return finish(options, Prepared(request, catalogue, config), result)


def _wanted(selection: RuleSelection) -> bool:
    return bool(selection.enabled & {"RL201", "RL202", "RL401", "RL402"})


class _Verified(NamedTuple):
    """What the live reads gave: who asked, the services verified, their problems."""

    caller: Caller
    region: str | None
    services: list[LiveService]
    problems: list[Problem]


def _verify(
    project: Project, aws: AwsOptions, required: tuple[str, ...], selection: RuleSelection
) -> _Verified | None:
    """Read what is deployed for each reported ECR registry service, and check it."""
    candidates = [
        (manifest, namespace)
        for manifest in project.manifests()
        if manifest.file.reported and (namespace := RegistryNamespace.of_service(manifest_service(manifest)))
        and namespace.ecr_host is not None
    ]
    if not candidates:
        return None  # nothing to verify: AWS is not asked anything
    from reglint.live.identities import Identities, read_caller
    from reglint.live.registries import Registries
    from reglint.live.session import open_session

    session = open_session(aws)
    caller = read_caller(session)
    identities = Identities(session, caller)
    registries = Registries(session, caller)
    systems = _systems(project)
    services: list[LiveService] = []
    problems: list[Problem] = []
    for manifest, namespace in candidates:
        service = manifest_service(manifest)
        host = namespace.ecr_host
        assert host is not None
        if service.role_arn is not None:
            identity = identities.role(service.role_arn, IdentitySource.MANIFEST)
        elif aws.role is not None:
            identity = identities.role(aws.role, IdentitySource.OPTION)
        else:
            identity = identities.of_caller()
        # Tags are RL402's; repository and registry policies RL401's (another account
        # pushes) and RL402's (another system's role is known): read only what is asked.
        cross_account = not identity.missing_reason and identity.account != host.account
        policies = (selection.is_enabled("RL401") and cross_account) or (
            selection.is_enabled("RL402") and any(s.role_arn for s in systems)
        )
        view = registries.view(host, namespace.repository_prefix, tags=selection.is_enabled("RL402"), policies=policies)
        live = LiveService(manifest, service, host, namespace, identity, view)
        services.append(live)
        problems.extend(deployed_rights_problems(live, required))
        problems.extend(registry_problems(live, systems))
    return _Verified(caller, session.default_region, services, problems)


def _systems(project: Project) -> list[ProjectSystem]:
    """Every system of the project, by each of its manifests (with its `auth.roleArn`)."""
    found: list[ProjectSystem] = []
    for manifest in project.manifests():
        service = manifest_service(manifest)
        if service.system:
            found.append(ProjectSystem(f"{service.tenant}/{service.system}", manifest, service.role_arn))
    return found
