"""RL201–RL207: the rules of one IAM policy document.

Three checks, so the engine can run (and the project register) each family alone:

- `iam-actions` (RL203): every Action/NotAction entry names a real action.
- `iam-grammar` (RL205, RL206, RL207): Version, ARN grammar, unique Sids.
- `iam-push-policy` (RL201, RL202, RL204): a standalone push policy (matched by the
  config's `ecr-push-policies`) allows the required ECR actions for some repository,
  unconditionally, and without `ecr:*` on everything.

The helpers `missing_actions_message`, `deciding_statements` and
`conditional_problems` are shared with the linked-policy check, which evaluates a
manifest's `iamPolicies` for its namespace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.findings import Problem, RelatedRef, Severity
from reglint.loading.document import Document, DocumentKind, PolicyType
from reglint.model.iam.arns import ANY_REPOSITORY_ARN, arn_problem
from reglint.model.iam.catalogue import (
    action_info,
    matches_any_action,
    service_exists,
    similar_actions,
    similar_services,
    split_action,
)
from reglint.model.iam.patterns import Pattern, covers, intersects
from reglint.model.iam.policy import CURRENT_VERSION, Effect, Policy, Statement

if TYPE_CHECKING:
    # The evaluation is imported when a push policy is checked: a run without one
    # never pays for it (SPEC §5).
    from reglint.model.iam.evaluation import (
        ActionVerdict,
        DecidingStatement,
        PolicyEvaluation,
        Verdict,
    )

__all__ = [
    "IAM_CHECKS",
    "conditional_problems",
    "deciding_statements",
    "missing_actions_message",
    "overbroad_grants",
    "policy_model",
]

_POLICY = frozenset({DocumentKind.POLICY})
_EVERY_ECR_ACTION = Pattern.action("ecr:*")
_ANY_REPOSITORY = Pattern.segment_glob(ANY_REPOSITORY_ARN)


def policy_model(document: Document) -> Policy:
    """The policy model of a document, built once and shared by every check on it."""
    return document.derived("policy", Policy.from_document)


# -- RL203 unknown-action ---------------------------------------------------------------


def check_actions(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL203 at each Action/NotAction entry that matches no catalogue action."""
    for statement in policy_model(document).statements:
        for value in statement.actions:
            verdict = unknown_action(value.text)
            if verdict is not None:
                message, severity = verdict
                yield Problem(
                    "RL203", message, path=value.path, severity=severity, identity=value.text
                )


@lru_cache(maxsize=8192)
def unknown_action(text: str) -> tuple[str, Severity | None] | None:
    """Why an Action entry names nothing (and a warning level for an unknown service).

    Cached: the same action names recur in policy after policy."""
    parts = split_action(text)
    wild = "*" in text or "?" in text
    if parts is None and not wild:
        return f"`{text}` is not an action: write service:Action, such as ecr:PutImage", None
    if parts is None or "*" in parts[0] or "?" in parts[0]:
        return None if matches_any_action(text) else (f"`{text}` matches no known action", None)
    service, name = parts
    if not service_exists(service):
        hint = _did_you_mean(similar_services(service))
        # The catalogue may simply be older than the service: a warning, not an error.
        return f"unknown service prefix `{service}` in `{text}`{hint}", Severity.WARNING
    if wild:
        if matches_any_action(text):
            return None
        return f"`{text}` matches no action of service `{service.lower()}`", None
    if action_info(text) is not None:
        return None
    hint = _did_you_mean(similar_actions(text))
    return (
        f"unknown action `{text}`: service `{service.lower()}` has no action `{name}`{hint}",
        None,
    )


def _did_you_mean(candidates: Sequence[str]) -> str:
    return f" (did you mean `{candidates[0]}`?)" if candidates else ""


# -- RL205 policy-version, RL206 invalid-arn, RL207 duplicate-sid --------------------------


def check_grammar(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL205, RL206 and RL207: the parts of the grammar the JSON Schema leaves open."""
    policy = policy_model(document)
    if not isinstance(document.data, Mapping):
        return
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    if not policy.version_present:
        yield Problem(
            "RL205",
            f"the policy has no Version, so IAM reads it as 2008-10-17, where policy variables "
            f'are not substituted; add "Version": "{CURRENT_VERSION}"',
            identity="missing",
        )
    elif policy.version == "2008-10-17":
        yield Problem(
            "RL205",
            f"Version 2008-10-17 is the old policy language, where policy variables are not "
            f'substituted; use "{CURRENT_VERSION}"',
            path=("Version",),
            identity="2008-10-17",
        )
    for statement in policy.statements:
        for value in statement.resources:
            reason = arn_problem(value.text)
            if reason is not None:
                yield Problem(
                    "RL206",
                    f"`{value.text}` is not a valid ARN: {reason}",
                    path=value.path,
                    identity=value.text,
                )
    yield from _duplicate_sids(policy.statements)


def _duplicate_sids(statements: Iterable[Statement]) -> Iterator[Problem]:
    first: dict[str, Statement] = {}
    for statement in statements:
        if statement.sid is None:
            continue
        earlier = first.setdefault(statement.sid, statement)
        if earlier is not statement:
            yield Problem(
                "RL207",
                f'Sid "{statement.sid}" is already used by {earlier.position}; each statement '
                "of a policy needs its own Sid",
                path=(*statement.path, "Sid"),
                identity=statement.sid,
            )


# -- RL201, RL202, RL204 for a standalone push policy -------------------------------------


def check_push_policy(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL201/RL202/RL204 for a policy matched by `ecr-push-policies` (any repository).

    Only identity policies grant a pusher its rights (SPEC §6.1); a repository policy
    takes part only in a cross-account push (§6.2), which evaluates it with the pusher's."""
    if not settings.is_push_policy(document) or not takes_push_rules(document, settings):
        return
    from reglint.model.iam.evaluation import RepositoryTarget, evaluate_policies

    policy = policy_model(document)
    required = settings.required_ecr_actions
    evaluation = evaluate_policies([policy], required, RepositoryTarget.any())
    if evaluation.missing:
        yield Problem(
            "RL201",
            missing_actions_message(evaluation, len(required)),
            path=("Statement",),
            related=deciding_statements(evaluation.missing),
            identity=",".join(v.action for v in evaluation.missing),
        )
    yield from conditional_problems(evaluation, document)
    yield from overbroad_grants(policy, required)


def takes_push_rules(document: Document, settings: CheckSettings) -> bool:
    """True when RL201/RL202/RL204 apply to the policy on its own: an identity policy."""
    return settings.policy_type(document) is PolicyType.IDENTITY


def missing_actions_message(evaluation: PolicyEvaluation, required: int) -> str:
    """RL201's message: each missing action with its reason, and the target."""
    missing = evaluation.missing
    by_reason: dict[str, list[str]] = {}
    for verdict in missing:  # actions with one reason are named together, in order
        by_reason.setdefault(verdict.reason, []).append(verdict.action)
    reasons = "; ".join(f"{', '.join(actions)} ({reason})" for reason, actions in by_reason.items())
    return (
        f"{len(missing)} of the {required} required ECR push actions are not allowed for "
        f"{evaluation.target.description}: {reasons}"
    )


def deciding_statements(verdicts: Iterable[ActionVerdict]) -> tuple[RelatedRef, ...]:
    """One related location per deciding statement, naming the actions it decided."""
    grouped: dict[tuple[int, Verdict], tuple[DecidingStatement, list[str]]] = {}
    for verdict in verdicts:
        for ref in verdict.deciding:
            entry = grouped.setdefault((id(ref.statement), verdict.verdict), (ref, []))
            entry[1].append(verdict.action)
    return tuple(
        RelatedRef(
            ref.policy.document,
            ref.statement.path,
            f"{ref.statement.label} {kind.role(', '.join(actions))}",
        )
        for (_, kind), (ref, actions) in grouped.items()
        if ref.policy.document is not None
    )


def conditional_problems(evaluation: PolicyEvaluation, checked: Document) -> Iterator[Problem]:
    """RL202, one per conditional statement, at its Condition, naming the actions."""
    grouped: dict[tuple[int, Verdict, str], tuple[DecidingStatement, list[str]]] = {}
    for verdict in evaluation.conditional:
        # A resource-less action is asked about on "*", whatever the target.
        where = 'Resource "*"' if _needs_star(verdict.action) else evaluation.target.description
        for ref in verdict.deciding:
            key = (id(ref.statement), verdict.verdict, where)
            grouped.setdefault(key, (ref, []))[1].append(verdict.action)
    for (_, kind, where), (ref, names) in grouped.items():
        actions = ", ".join(names)
        verb = "is" if len(names) == 1 else "are"
        yield Problem(
            "RL202",
            f"{actions} {verb} {kind.phrase} for {where} ({ref.statement.label}): confirm "
            "that it holds wherever the platform pushes",
            path=(*ref.statement.path, "Condition"),
            on_key=True,
            document=None if ref.policy.document is checked else ref.policy.document,
            identity=actions,
        )


def overbroad_grants(policy: Policy, required: Sequence[str]) -> Iterator[Problem]:
    """RL204: an Allow of every ECR action on every resource (Condition or not)."""
    suggestion = (
        f"grant only {', '.join(a for a in required if not _needs_star(a))} on the namespace's "
        "repository ARN (arn:<partition>:ecr:<region>:<account>:repository/<namespace>*), and "
        'ecr:GetAuthorizationToken alone on "*"'
    )
    for statement in policy.statements:
        if statement.effect is not Effect.ALLOW or not statement.evaluable:
            continue
        if not _grants_everything(statement):
            continue
        if statement.not_action:
            path, identity = (*statement.path, "NotAction"), "NotAction"
            shown = "every ECR action (its NotAction excludes none)"
        else:
            value = next(
                v
                for v, p in zip(statement.actions, statement.action_patterns)
                if covers(p, _EVERY_ECR_ACTION)
            )
            path, identity, shown = value.path, value.text, f"`{value.text}`"
        yield Problem(
            "RL204",
            f"{statement.label} allows {shown} on every resource, including "
            "ecr:DeleteRepository and ecr:SetRepositoryPolicy on other teams' repositories; "
            + suggestion,
            path=path,
            identity=identity,
        )


def _grants_everything(statement: Statement) -> bool:
    patterns = statement.action_patterns
    if statement.not_action:
        every_action = not any(intersects(p, _EVERY_ECR_ACTION) for p in patterns)
    else:
        every_action = any(covers(p, _EVERY_ECR_ACTION) for p in patterns)
    if not every_action:
        return False
    resources = statement.resource_patterns
    if not statement.not_resource:
        return any(p.is_universal for p in resources)
    return not any(p.matches("*") or intersects(p, _ANY_REPOSITORY) for p in resources)


def _needs_star(action: str) -> bool:
    info = action_info(action)
    return info is not None and info.needs_star_resource


IAM_CHECKS: tuple[DocumentCheck, ...] = (
    DocumentCheck("iam-actions", frozenset({"RL203"}), _POLICY, check_actions),
    DocumentCheck("iam-grammar", frozenset({"RL205", "RL206", "RL207"}), _POLICY, check_grammar),
    DocumentCheck(
        "iam-push-policy", frozenset({"RL201", "RL202", "RL204"}), _POLICY, check_push_policy
    ),
)
