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

An entry that names a role, user, group or policy of infrastructure code (`path#ref`,
SPEC §6.2) stands for its rights (iac/rights.py): the union of its policies, AWS managed
ones named in the message when they decide a verdict, limited by its permissions
boundary. The entries of one manifest together are one union (model/iam/rights.py);
the actions allowed only thanks to a placeholder are named with the assumption, and
those that a policy reglint cannot read might grant say so.
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
    from reglint.model.iam.rights import Rights

POLICIES = ("spec", "iamPolicies")


def check_linked_policies(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    from reglint.model.iam.rights import evaluate_rights

    overbroad_done: set[Document] = set()
    evaluated: list[tuple[Document, Rights, list[Document], str, RepositoryTarget]] = []
    links_of: dict[Document, tuple[PolicyLink, ...]] = {}
    namespaces: dict[Document, list[str]] = {}  # a policy -> the namespaces it is linked for
    for manifest in project.manifests():
        links = project.policy_links(manifest)
        if not links or any(link.error for link in links):
            continue
        namespace = RegistryNamespace.of_service(project.service(manifest))
        ecr = namespace.ecr_host if namespace is not None else None
        if namespace is None or ecr is None:
            continue
        rights, documents, shown = linked_rights(links, ecr.partition, settings)
        target = RepositoryTarget.for_namespace(
            ecr.partition, ecr.region, ecr.account, namespace.repository_prefix
        )
        for document in documents:
            arns = namespaces.setdefault(document, [])
            if target.pattern.text not in arns:
                arns.append(target.pattern.text)
        evaluated.append((manifest, rights, documents, shown, target))
        links_of[manifest] = links
    for manifest, rights, documents, shown, target in evaluated:
        reported = [d for d in documents if d.file.reported]
        if not manifest.file.reported and not reported:
            continue
        required = settings.required_ecr_actions
        evaluation = evaluate_rights(rights, required, target)
        if evaluation.missing:
            message = (
                f"{missing_actions_message(evaluation, len(required))}"
                f"{assumed(evaluation)} ({shown})"
            )
            yield from _placed("RL201", message, manifest, reported, settings,
                               deciding_statements(evaluation.missing, documents),
                               ",".join(v.action for v in evaluation.missing),
                               missing_actions_fix(evaluation, _fix_homes(links_of[manifest], documents)))
        if evaluation.conditional:
            yield from _placed("RL202", _conditional_message(evaluation, settings), manifest,
                               reported, settings, _condition_refs(evaluation),
                               ",".join(v.action for v in evaluation.conditional))
        for document in reported:
            if document not in overbroad_done:
                overbroad_done.add(document)
                for problem in overbroad_grants(policy_model(document), required, namespaces[document]):
                    yield replace(problem, document=document)


def _fix_homes(links: tuple[PolicyLink, ...], documents: list[Document]) -> list[Document]:
    """The policies RL201's fix may extend. Rights from infrastructure code (an AWS
    managed policy, a permissions boundary) can keep an action missing whatever a plain
    file adds, so a union with an IaC entry is fixed only in its IaC policies, which
    `--fix` never edits: the finding says a fix exists for plain policy files only."""
    if all(link.infrastructure is None for link in links):
        return documents
    return [document for document in documents if not document.fixable_source]


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


def linked_rights(
    links: tuple[PolicyLink, ...], partition: str, settings: CheckSettings
) -> tuple[Rights, list[Document], str]:
    """The union of a manifest's entries, the documents it reads, and how a message names
    them: `policies: iam/push.json; rights of PushRole (infra/push.yaml)`."""
    from reglint.iac.rights import identity_rights
    from reglint.model.iam.rights import Rights

    documents: dict[Document, None] = {}
    files: list[str] = []
    identities: list[str] = []
    rights: Rights | None = None
    plain = [d for link in links if link.infrastructure is None for d in link.policies]
    if plain:
        documents.update(dict.fromkeys(plain))
        files = list(dict.fromkeys(settings.relative_path(d) for d in plain))
        rights = Rights.of_policies(", ".join(files), [policy_model(d) for d in documents])
    for link in links:
        if link.infrastructure is None:
            continue
        found = identity_rights(link.infrastructure, list(link.addresses), partition)
        documents.update(dict.fromkeys(found.documents))
        where = settings.cwd_relative(link.infrastructure.path)
        identities.append(f"rights of {found.rights.identity} ({where})")
        rights = found.rights if rights is None else rights.joined(found.rights)
    assert rights is not None
    shown = "; ".join(([f"policies: {', '.join(files)}"] if files else []) + identities)
    return rights, list(documents), shown


def assumed(evaluation: PolicyEvaluation) -> str:
    """The actions allowed only thanks to a placeholder, with what they assume."""
    if not evaluation.assumptions:
        return ""
    groups: dict[str, list[str]] = {}
    for action, assumption in evaluation.assumptions:
        groups.setdefault(assumption, []).append(action)
    return "".join(
        f"; {', '.join(actions)} {'is' if len(actions) == 1 else 'are'} allowed only {assumption}"
        for assumption, actions in groups.items()
    )


def _statement(ref: DecidingStatement, settings: CheckSettings) -> str:
    document = ref.policy.document
    label = ref.statement.label
    return f"{label} of {settings.relative_path(document)}" if document is not None else label


LINKED_POLICY_CHECK = ProjectCheck(
    "linked-push-policy", frozenset({"RL201", "RL202", "RL204"}), check_linked_policies
)
