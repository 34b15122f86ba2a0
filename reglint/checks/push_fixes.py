"""The unsafe fixes of the push rules (SPEC §6.5): they grant something new.

- RL201: each missing action is added to the Allow statement that already grants the
  other push actions of its kind (on the namespace, or on `"*"` for
  `ecr:GetAuthorizationToken`) and whose Resource alone covers it; when no statement
  does, one new statement grants the rest: on the namespace's repository ARN, or on
  `"*"`. A fix is proposed only when every missing action gets one: an action that is
  denied, or not decided within the work bound, leaves the finding without a fix, as
  does a standalone policy (no namespace) that lacks a statement to extend.
- RL204: a statement that allows exactly `ecr:*` on exactly `"*"`, with no Condition,
  is narrowed to the required repository actions on the namespaces of the manifests
  that link the policy; `ecr:GetAuthorizationToken` (which takes only `"*"`) moves to a
  new statement unless another statement already grants it there. `*` (every action
  of every service) gets no fix: the identity may need it for much more than pushing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reglint.checks.push_verdicts import needs_star_resource
from reglint.loading.document import DataEdit, DataPath, Document, EditAction, FixProposal
from reglint.model.iam.policy import Effect, Policy, Statement
from reglint.model.iam.verdicts import PolicyEvaluation, Verdict

_ADDABLE = frozenset({Verdict.NOT_ALLOWED, Verdict.RESOURCE_NOT_COVERED, Verdict.STAR_NOT_ALLOWED})


def _extendable(statement: Statement) -> bool:
    return (
        statement.effect is Effect.ALLOW
        and statement.evaluable
        and not statement.conditional
        and not statement.not_action
        and bool(statement.actions)
    )


def _one_or_list(actions: Sequence[str]) -> str | list[str]:
    return actions[0] if len(actions) == 1 else list(actions)


def missing_actions_fix(evaluation: PolicyEvaluation, policies: Sequence[Document]) -> FixProposal | None:
    """RL201's fix for the union of `policies`, or None (see the module doc)."""
    if any(v.verdict not in _ADDABLE for v in evaluation.missing):
        return None
    target = evaluation.target
    appended: dict[tuple[int, DataPath], tuple[Document, list[Any]]] = {}
    described: list[str] = []
    new_statements: list[dict[str, Any]] = []
    for star in (False, True):
        actions = [v.action for v in evaluation.missing if needs_star_resource(v.action) is star]
        if not actions:
            continue
        host = _host(evaluation, policies, star)
        if host is not None:
            document, statement = host
            appended.setdefault((id(document), (*statement.path, "Action")), (document, []))[1].extend(actions)
            described.append(f"add {', '.join(actions)} to {statement.label}")
        elif star or not target.any_repository:
            resource = "*" if star else target.pattern.text
            new_statements.append({"Effect": "Allow", "Action": _one_or_list(actions), "Resource": resource})
            described.append(f"add a statement that allows {', '.join(actions)} on {resource!r}")
        else:
            return None  # any repository: no namespace to scope a new statement to
    edits = [DataEdit(EditAction.APPEND, path, items, document) for (_, path), (document, items) in appended.items()]
    if new_statements:
        home = next((d for d in policies if isinstance(d.data.get("Statement"), list)), None)
        if home is None:
            return None
        edits.append(DataEdit(EditAction.APPEND, ("Statement",), new_statements, home))
    return FixProposal(True, "; ".join(described), tuple(edits))


def _host(evaluation: PolicyEvaluation, policies: Sequence[Document], star: bool) -> tuple[Document, Statement] | None:
    """The first statement that grants another required action of the kind and whose
    Resource alone covers the target (or `"*"`): the missing ones join it."""
    from reglint.model.iam.evaluation import statement_covers  # as lazily as the check's own

    documents = {id(d): d for d in policies}
    for verdict in evaluation.verdicts:
        if verdict.verdict is not Verdict.ALLOWED or needs_star_resource(verdict.action) is not star:
            continue
        for ref in verdict.deciding:
            document = ref.policy.document
            statement = ref.statement
            if document is None or id(document) not in documents or not _extendable(statement):
                continue
            if statement_covers(statement, evaluation.target, star=star):
                return document, statement
    return None


def overbroad_fix(policy: Policy, statement: Statement, required: Sequence[str], namespaces: Sequence[str]) -> FixProposal | None:
    """RL204's fix for `statement` of `policy` (see the module doc), or None."""
    if not namespaces or policy.document is None or statement.conditional or statement.not_action:
        return None
    if statement.not_resource or [v.text.lower() for v in statement.actions] != ["ecr:*"]:
        return None
    if [v.text for v in statement.resources] != ["*"]:
        return None
    repository = [a for a in required if not needs_star_resource(a)]
    star = [a for a in required if needs_star_resource(a)]
    resource = namespaces[0] if len(namespaces) == 1 else list(namespaces)
    edits = [
        DataEdit(EditAction.REPLACE, (*statement.path, "Action"), list(repository)),
        DataEdit(EditAction.REPLACE, (*statement.path, "Resource"), resource),
    ]
    granted = [s for s in policy.statements if s is not statement and _extendable(s) and _grants_on_star(s, star)]
    if star and not granted:
        if not policy.statement_list:
            return None
        token = {"Effect": "Allow", "Action": _one_or_list(star), "Resource": "*"}
        edits.append(DataEdit(EditAction.APPEND, ("Statement",), [token]))
    where = ", ".join(namespaces)
    description = f"grant {', '.join(repository)} on {where} instead of ecr:* on '*'"
    if star and not granted:
        description += f", and {', '.join(star)} in a statement of its own on '*'"
    return FixProposal(True, description, tuple(edits))


def _grants_on_star(statement: Statement, actions: Sequence[str]) -> bool:
    from reglint.model.iam.evaluation import statement_covers
    from reglint.model.iam.target import RepositoryTarget

    covers = statement_covers(statement, RepositoryTarget.any(), star=True)
    return covers and all(statement.applies_to_action(action) for action in actions)
