"""RL201, RL202, RL204 for the policies a manifest links in `spec.iamPolicies`: their
union, evaluated for the manifest's namespace (SPEC §2, "RL201 semantics").

Each finding about a manifest's push rights sits on its `spec.iamPolicies` node and
names the policy file and statement behind each verdict (also as related locations).
When a run names a linked policy file but not the manifest (pre-commit of a policy
change), the finding sits on that policy's `Statement` node instead, naming the
manifest. RL204 (an over-broad grant) sits on the action string in the policy.

Decisions: a manifest with a broken link (RL302) is not evaluated — its push rights
are unknown, and RL302 already says so; registries that are not private ECR (ECR
Public is pushed with `ecr-public:*`) are not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.checks.iam import overbroad_grants, policy_model
from reglint.checks.push_fixes import missing_actions_fix
from reglint.checks.push_verdicts import deciding_statements, missing_actions_message
from reglint.checks.systems import where
from reglint.loading.document import Document, FixProposal, Problem, RelatedRef
from reglint.model.iam.target import RepositoryTarget
from reglint.model.namespace import RegistryNamespace
from reglint.project import PolicyLink, Project

if TYPE_CHECKING:
    from reglint.model.iam.evaluation import DecidingStatement, PolicyEvaluation

POLICIES = ("spec", "iamPolicies")


def check_linked_policies(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    from reglint.model.iam.evaluation import evaluate_policies

    overbroad_done: set[Document] = set()
    evaluated: list[tuple[Document, list[Document], RepositoryTarget]] = []
    namespaces: dict[Document, list[str]] = {}  # a policy -> the namespaces it is linked for
    for manifest in project.manifests():
        links = project.policy_links(manifest)
        if not links or any(link.error for link in links):
            continue
        namespace = RegistryNamespace.of_service(project.service(manifest))
        ecr = namespace.ecr_host if namespace is not None else None
        if namespace is None or ecr is None:
            continue
        target = RepositoryTarget.for_namespace(
            ecr.partition, ecr.region, ecr.account, namespace.repository_prefix
        )
        documents = _unique_documents(links)
        for document in documents:
            arns = namespaces.setdefault(document, [])
            if target.pattern.text not in arns:
                arns.append(target.pattern.text)
        evaluated.append((manifest, documents, target))
    for manifest, documents, target in evaluated:
        reported = [d for d in documents if d.file.reported]
        if not manifest.file.reported and not reported:
            continue
        required = settings.required_ecr_actions
        evaluation = evaluate_policies([policy_model(d) for d in documents], required, target)
        files = ", ".join(settings.relative_path(d) for d in documents)
        if evaluation.missing:
            message = f"{missing_actions_message(evaluation, len(required))} (policies: {files})"
            yield from _placed("RL201", message, manifest, reported, settings,
                               deciding_statements(evaluation.missing, documents),
                               ",".join(v.action for v in evaluation.missing),
                               missing_actions_fix(evaluation, documents))
        if evaluation.conditional:
            yield from _placed("RL202", _conditional_message(evaluation, settings), manifest,
                               reported, settings, _condition_refs(evaluation),
                               ",".join(v.action for v in evaluation.conditional))
        for document in reported:
            if document not in overbroad_done:
                overbroad_done.add(document)
                for problem in overbroad_grants(policy_model(document), required, namespaces[document]):
                    yield replace(problem, document=document)


def _placed(
    rule: str,
    message: str,
    manifest: Document,
    reported_policies: list[Document],
    settings: CheckSettings,
    related: tuple[RelatedRef, ...],
    identity: str,
    fix: FixProposal | None = None,
) -> Iterator[Problem]:
    """On the manifest's iamPolicies when the manifest is reported, else on each
    reported policy file's Statement node, naming the manifest."""
    if manifest.file.reported:
        yield Problem(
            rule, message, path=POLICIES, on_key=True, document=manifest, related=related, identity=identity,
            fix=fix,
        )
        return
    for policy in reported_policies:
        others = tuple(r for r in related if (r.document, r.path) != (policy, ("Statement",)))
        yield Problem(
            rule,
            f"{message} — as linked from {where(manifest, settings, POLICIES)}",
            path=("Statement",),
            document=policy,
            related=(RelatedRef(manifest, POLICIES, "the manifest that links this policy"), *others),
            identity=identity,
            fix=fix,
        )


def _conditional_message(evaluation: PolicyEvaluation, settings: CheckSettings) -> str:
    """Actions with the same verdict from the same statements are named together."""
    groups: dict[tuple[str, str], list[str]] = {}
    for verdict in evaluation.conditional:
        statements = ", ".join(_statement(r, settings) for r in verdict.deciding)
        groups.setdefault((verdict.verdict.phrase, statements), []).append(verdict.action)
    parts = "; ".join(
        f"{', '.join(actions)} {'is' if len(actions) == 1 else 'are'} {phrase} ({statements})"
        for (phrase, statements), actions in groups.items()
    )
    return (
        f"for {evaluation.target.description}: {parts}: confirm that each Condition holds "
        "wherever the platform pushes, or grant the actions unconditionally"
    )


def _condition_refs(evaluation: PolicyEvaluation) -> tuple[RelatedRef, ...]:
    """One related location per conditional statement, at its Condition."""
    refs: dict[tuple[int, int], RelatedRef] = {}
    for verdict in evaluation.conditional:
        for ref in verdict.deciding:
            document = ref.policy.document
            if document is not None:
                refs.setdefault(
                    (id(document), id(ref.statement)),
                    RelatedRef(document, (*ref.statement.path, "Condition"),
                               f"{ref.statement.label}: {verdict.verdict.phrase}", on_key=True),
                )
    return tuple(refs.values())


def _unique_documents(links: tuple[PolicyLink, ...]) -> list[Document]:
    seen: dict[Document, None] = {}
    for link in links:
        for document in link.policies:
            seen.setdefault(document, None)
    return list(seen)


def _statement(ref: DecidingStatement, settings: CheckSettings) -> str:
    document = ref.policy.document
    label = ref.statement.label
    return f"{label} of {settings.relative_path(document)}" if document is not None else label


LINKED_POLICY_CHECK = ProjectCheck(
    "linked-push-policy", frozenset({"RL201", "RL202", "RL204"}), check_linked_policies
)
