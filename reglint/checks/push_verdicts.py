"""How RL201 and RL202 report a `PolicyEvaluation`: shared by the standalone push-policy
check (checks/iam.py) and the linked-policy check (checks/linked_policies.py), so both say
it the same way.

- RL201 names each missing action with its reason, grouped by reason, and the target;
  "1 of the 9 … is", "2 of the 9 … are". Its related locations are the statements behind
  each verdict, one per statement with every role it played; an action that nothing
  decides (no statement grants it, nor any action of its kind) points at the
  `Statement` key of each policy evaluated, when the finding sits elsewhere.
- RL202 sits at each conditional statement's Condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from reglint.loading.document import Document, Problem, RelatedRef
from reglint.model.iam.catalogue import action_info
from reglint.model.iam.verdicts import (
    ActionVerdict,
    DecidingStatement,
    PolicyEvaluation,
    Verdict,
)

__all__ = [
    "conditional_problems",
    "deciding_statements",
    "missing_actions_message",
    "needs_star_resource",
]


def missing_actions_message(evaluation: PolicyEvaluation, required: int) -> str:
    """RL201's message: each missing action with its reason, and the target."""
    missing = evaluation.missing
    by_reason: dict[str, list[str]] = {}
    for verdict in missing:  # actions with one reason are named together, in order
        by_reason.setdefault(verdict.reason, []).append(verdict.action)
    reasons = "; ".join(f"{', '.join(actions)} ({reason})" for reason, actions in by_reason.items())
    verb = "is" if len(missing) == 1 else "are"
    state = "not allowed"
    if any(v.verdict is Verdict.UNDECIDED for v in missing):
        state += " or not decided"
    return (
        f"{len(missing)} of the {required} required ECR push actions {verb} {state} for "
        f"{evaluation.target.description}: {reasons}"
    )


def deciding_statements(
    verdicts: Iterable[ActionVerdict], policies: Iterable[Document] = ()
) -> tuple[RelatedRef, ...]:
    """One related location per deciding statement, naming what it did to which actions.

    Actions that no statement decides (nothing grants them, nor any action of their
    kind) point at the `Statement` key of each of `policies`, when given: the finding
    then still leads to the files where they belong.
    """
    by_statement: dict[int, tuple[DecidingStatement, dict[Verdict, list[str]]]] = {}
    nobody: dict[Verdict, list[str]] = {}  # actions no statement decides, by verdict
    for verdict in verdicts:
        if not verdict.deciding:
            nobody.setdefault(verdict.verdict, []).append(verdict.action)
        for ref in verdict.deciding:
            roles = by_statement.setdefault(id(ref.statement), (ref, {}))[1]
            roles.setdefault(verdict.verdict, []).append(verdict.action)
    related = [
        RelatedRef(
            ref.policy.document,
            ref.statement.path,
            f"{ref.statement.label} "
            + "; ".join(
                kind.role(", ".join(actions))
                # what the statement does first, then what it lacks
                for kind, actions in sorted(roles.items(), key=_lacks_last)
            ),
        )
        for ref, roles in by_statement.values()
        if ref.policy.document is not None
    ]
    if nobody:
        message = "; ".join(
            f"reglint could not decide {', '.join(actions)} within its work bound"
            if kind is Verdict.UNDECIDED
            else f"no statement of this policy allows {', '.join(actions)}"
            for kind, actions in nobody.items()
        )
        related.extend(RelatedRef(policy, ("Statement",), message) for policy in policies)
    return tuple(related)


def _lacks_last(role: tuple[Verdict, list[str]]) -> bool:
    return role[0] is Verdict.NOT_ALLOWED


def conditional_problems(evaluation: PolicyEvaluation, checked: Document) -> Iterator[Problem]:
    """RL202, one per conditional statement, at its Condition, naming the actions."""
    grouped: dict[tuple[int, Verdict, str], tuple[DecidingStatement, list[str]]] = {}
    for verdict in evaluation.conditional:
        # A resource-less action is asked about on "*", whatever the target.
        where = (
            'Resource "*"' if needs_star_resource(verdict.action) else evaluation.target.description
        )
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


def needs_star_resource(action: str) -> bool:
    """True for an action that takes no resource type (only `Resource: "*"` grants it)."""
    info = action_info(action)
    return info is not None and info.needs_star_resource
