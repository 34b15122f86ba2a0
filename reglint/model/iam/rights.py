"""An identity's rights: the union of its policies, limited by its permissions boundary,
evaluated for a target (SPEC §6.2 "Linking a registry to its rights").

`Rights` is what a role, user or group stands for — its inline policies, the policies
attached to it (customer managed, AWS managed from the snapshot), a user's groups' —
whatever the source (a CloudFormation template, a Terraform module or plan, a plain
policy file, and later the live account of `reglint aws verify`):

- `variants`: the union, once per combination of `Fn::If` branches of its policies
  (each must pass; at most `MAX_COMBINATIONS`);
- `boundaries`: permissions boundaries, each a name and its policies: an action counts
  as allowed only when every boundary allows it too
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html);
- `unread`: policies the identity has that reglint cannot read (unknown as a whole, an
  AWS managed ARN the snapshot does not hold, a customer managed ARN defined outside
  the files read): they grant nothing, and an action they might grant says so.

`evaluate_rights` gives one `PolicyEvaluation`: per action the first missing verdict
of any variant (else the first conditional one, else allowed), the boundary's verdict
where the boundary is what lacks it, and the assumptions that the actions allowed only
thanks to a placeholder rest on (the policies read `closed`, model/iam/policy.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reglint.model.iam.evaluation import evaluate_policies
from reglint.model.iam.policy import Policy, PolicyValue
from reglint.model.iam.target import RepositoryTarget
from reglint.model.iam.verdicts import ActionVerdict, PolicyEvaluation, Verdict
from reglint.model.iam.work import work_budget

__all__ = ["MAX_COMBINATIONS", "Boundary", "Rights", "evaluate_rights"]

MAX_COMBINATIONS = 8


class Boundary(NamedTuple):
    """A permissions boundary: how messages name it, and its policies (its variants)."""

    name: str
    variants: tuple[tuple[Policy, ...], ...]  # () when reglint cannot read it


class Rights(NamedTuple):
    """What one identity (or a manifest's `iamPolicies` together) may do."""

    identity: str  # how messages name it: `PushRole`, `aws_iam_role.nodes`
    variants: tuple[tuple[Policy, ...], ...]  # the union of its policies, per combination
    boundaries: tuple[Boundary, ...] = ()
    unread: tuple[str, ...] = ()  # policies it has that reglint cannot read

    @classmethod
    def of_policies(cls, identity: str, policies: Sequence[Policy]) -> Rights:
        return cls(identity, (tuple(policies),))

    def joined(self, other: Rights) -> Rights:
        """The union of two identities' rights (a manifest's several `iamPolicies`)."""
        variants = tuple((*mine, *theirs) for mine in self.variants for theirs in other.variants)[
            :MAX_COMBINATIONS
        ]
        return Rights(
            f"{self.identity}, {other.identity}",
            variants,
            (*self.boundaries, *other.boundaries),
            (*self.unread, *other.unread),
        )


def evaluate_rights(
    rights: Rights, actions: Iterable[str], target: RepositoryTarget
) -> PolicyEvaluation:
    """The verdict of each action for `target` (module docstring)."""
    actions = tuple(actions)
    with work_budget():  # one budget for every variant, boundary and reading
        verdicts = _worst([evaluate_policies(v, actions, target) for v in rights.variants])
        for boundary in rights.boundaries:
            verdicts = _limited(verdicts, boundary, actions, target)
        assumptions = _assumptions(rights, verdicts, actions, target)
    if rights.unread:
        verdicts = tuple(
            v._replace(unread=rights.unread) if v.verdict.missing else v for v in verdicts
        )
    return PolicyEvaluation(target, verdicts, assumptions)


def _worst(evaluations: list[PolicyEvaluation]) -> tuple[ActionVerdict, ...]:
    """Per action, the first missing verdict of any variant, else a conditional one."""
    if not evaluations:
        return ()
    worst = list(evaluations[0].verdicts)
    for evaluation in evaluations[1:]:
        for index, verdict in enumerate(evaluation.verdicts):
            current = worst[index]
            if (verdict.verdict.missing and not current.verdict.missing) or (
                verdict.verdict.conditional and current.verdict is Verdict.ALLOWED
            ):
                worst[index] = verdict
    return tuple(worst)


def _limited(
    verdicts: tuple[ActionVerdict, ...],
    boundary: Boundary,
    actions: tuple[str, ...],
    target: RepositoryTarget,
) -> tuple[ActionVerdict, ...]:
    """An action the policies allow stays allowed only when the boundary allows it too."""
    if boundary.variants:
        limits = _worst([evaluate_policies(v, actions, target) for v in boundary.variants])
    else:  # a boundary reglint cannot read allows nothing it is credited for
        limits = tuple(ActionVerdict(action, Verdict.NOT_ALLOWED) for action in actions)
    limited: list[ActionVerdict] = []
    for verdict, limit in zip(verdicts, limits):
        if verdict.verdict.missing or limit.verdict is Verdict.ALLOWED:
            limited.append(verdict)
        elif limit.verdict.missing or verdict.verdict is Verdict.ALLOWED:
            limited.append(limit._replace(boundary=boundary.name))
        else:
            limited.append(verdict)
    return tuple(limited)


def _assumptions(
    rights: Rights,
    verdicts: tuple[ActionVerdict, ...],
    actions: tuple[str, ...],
    target: RepositoryTarget,
) -> tuple[tuple[str, str], ...]:
    """The actions allowed only when placeholders are credited, and on what assumption."""
    if not any(p.has_unknowns for variant in rights.variants for p in variant):
        return ()
    closed_variants = [tuple(p.closed() for p in variant) for variant in rights.variants]
    closed = _worst([evaluate_policies(v, actions, target) for v in closed_variants])
    found: list[tuple[str, str]] = []
    for verdict, strict in zip(verdicts, closed):
        if verdict.verdict is Verdict.ALLOWED and strict.verdict is not Verdict.ALLOWED:
            found.append((verdict.action, _assumption(verdict, target)))
    return tuple(found)


def _assumption(verdict: ActionVerdict, target: RepositoryTarget) -> str:
    """`assuming ${AWS::AccountId} is the registry's account`, from the statements that
    allow the action."""
    phrases: list[str] = []
    for ref in verdict.deciding:
        statement = ref.statement
        if statement.effect_unknown:
            phrases.append("assuming its unknown Effect is Allow")
        for value in statement.actions:
            if value.unknown is not None:
                phrases.append(f"assuming {_names(value)} allows {verdict.action}")
        for value in statement.resources:
            if value.unknown is not None:
                phrases.append(_resource_assumption(value, target))
    unique = list(dict.fromkeys(phrases)) or ["assuming its placeholders match"]
    return "; ".join(unique[:3])


def _names(value: PolicyValue) -> str:
    assert value.unknown is not None
    return " and ".join(dict.fromkeys(value.unknown.names))


_SEGMENTS = {1: "partition", 3: "region", 4: "account"}


def _resource_assumption(value: PolicyValue, target: RepositoryTarget) -> str:
    assert value.unknown is not None
    if all(part is None for part in value.unknown.parts):
        return f"assuming {_names(value)} covers {target.description}"
    said: list[str] = []
    colons = 0
    names = iter(value.unknown.names)
    for part in value.unknown.parts:
        if part is not None:
            colons += part.count(":")
            continue
        name = next(names, "?")
        what = _SEGMENTS.get(colons)
        said.append(f"{name} is the registry's {what}" if what else f"{name} matches the namespace")
    return "assuming " + " and ".join(dict.fromkeys(said))
