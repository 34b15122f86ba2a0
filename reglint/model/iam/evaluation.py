"""Does a set of identity policies let a principal push to an ECR namespace?

For each required action this module gives a `Verdict` (allowed, or why not) and the
statements that decided it, following AWS's evaluation logic for identity policies:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

- A statement applies to a request when its Action matches the action (NotAction: none
  of its entries does; case-insensitive, `*`/`?`) and its Resource matches the request's
  resource (NotResource: none of its entries does).
- An explicit Deny overrides every Allow; without an applicable Allow the request is
  implicitly denied. The policies of one identity (a manifest's `iamPolicies`) form one
  union of statements.
- An action with no resource types (`ecr:GetAuthorizationToken`) is requested on the
  literal resource `*` (SPEC §1.2).
- A statement with a Condition may or may not apply: a grant that needs one is
  "allowed only under a Condition", a Deny that has one is "denied under a Condition"
  (RL202), never a plain yes or no (RL201).

The target is a `RepositoryTarget`: every repository an ARN pattern matches (a
namespace: each must be allowed, none denied), or any repository of one partition (a
standalone policy: one allowed and not denied is enough). Resource questions become set
questions on glob patterns, answered exactly by `patterns.witness()`.

The queries of one evaluation share a work budget (`work.py`). When a group of actions
needs more, their verdict is UNDECIDED, which RL201 reports as missing: an answer that
reglint could not compute never reads as "allowed". Nothing above `patterns` is cached,
so the work an evaluation is charged depends only on its own policies and target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reglint.model.iam.catalogue import action_info
from reglint.model.iam.mismatch import arn_mismatch
from reglint.model.iam.patterns import Pattern, witness
from reglint.model.iam.policy import Effect, Policy, Statement
from reglint.model.iam.target import RepositoryTarget
from reglint.model.iam.verdicts import ActionVerdict, DecidingStatement, PolicyEvaluation, Verdict
from reglint.model.iam.work import WorkLimitReached, work_budget

__all__ = [
    "ActionVerdict",
    "DecidingStatement",
    "PolicyEvaluation",
    "RepositoryTarget",
    "Verdict",
    "evaluate_policies",
    "statement_covers",
]

# A Resource (or NotResource, when the flag is set) element, compiled.
_Block = tuple[tuple[Pattern, ...], bool]
# The request resource of an action that takes no resource type.
_STAR_REQUEST = Pattern.literal("*")


def evaluate_policies(
    policies: Sequence[Policy], actions: Iterable[str], target: RepositoryTarget
) -> PolicyEvaluation:
    """Evaluate the union of `policies` (one identity's) for each action on `target`.

    The queries share the work budget of an enclosing `work_budget()` block, else one
    of their own.
    """
    actions = tuple(actions)
    statements = [
        DecidingStatement(policy, statement)
        for policy in policies
        for statement in policy.statements
        if statement.evaluable
    ]
    # Actions that the same statements apply to, with the same kind of request resource,
    # get the same verdict: decide each such group once (the nine usually form two).
    decided: dict[tuple[bool, tuple[int, ...]], ActionVerdict] = {}
    kinds: list[tuple[bool, tuple[int, ...]]] = []
    with work_budget():
        for action in actions:
            relevant = tuple(
                i for i, ref in enumerate(statements) if ref.statement.applies_to_action(action)
            )
            info = action_info(action)
            # An action the catalogue does not know (a `known-actions` entry) is taken as
            # one on repositories: reglint cannot know its resource types.
            star = info is not None and info.needs_star_resource
            key = (star, relevant)
            kinds.append(key)
            if key not in decided:
                refs = [statements[i] for i in relevant]
                decided[key] = _decide(refs, action, target, star=star)
    verdicts = [decided[key]._replace(action=action) for action, key in zip(actions, kinds)]
    return PolicyEvaluation(target, _point_not_allowed(verdicts, kinds, statements))


def _decide(
    relevant: list[DecidingStatement], action: str, target: RepositoryTarget, *, star: bool
) -> ActionVerdict:
    """The verdict, with the cause of a resource that is not covered; UNDECIDED past the
    work budget (decided by no statement in particular)."""
    try:
        verdict = _evaluate(relevant, action, target, star=star)
    except WorkLimitReached:
        return ActionVerdict(action, Verdict.UNDECIDED)
    if verdict.verdict is Verdict.RESOURCE_NOT_COVERED and not target.any_repository:
        try:
            cause = arn_mismatch([ref.statement for ref in verdict.deciding], target.pattern)
        except WorkLimitReached:
            cause = None  # the example resource says enough
        verdict = verdict._replace(cause=cause)
    return verdict


def _point_not_allowed(
    verdicts: list[ActionVerdict],
    kinds: list[tuple[bool, tuple[int, ...]]],
    statements: list[DecidingStatement],
) -> tuple[ActionVerdict, ...]:
    """Give each NOT_ALLOWED action the Allow statements that grant the other actions of
    its kind (the same request resource): where it is missing. The first few are enough
    to show where; a policy of thousands of statements would flood the report."""
    granting: dict[bool, set[int]] = {}
    for star, relevant in kinds:
        found = granting.setdefault(star, set())
        found.update(i for i in relevant if statements[i].statement.effect is Effect.ALLOW)
    return tuple(
        verdict._replace(deciding=tuple(statements[i] for i in sorted(granting[star])[:3]))
        if verdict.verdict is Verdict.NOT_ALLOWED
        else verdict
        for verdict, (star, _) in zip(verdicts, kinds)
    )


def _evaluate(
    relevant: list[DecidingStatement], action: str, target: RepositoryTarget, *, star: bool
) -> ActionVerdict:
    if star:
        # One request resource, the string "*": "every" and "some" are the same question.
        return _evaluate_every(relevant, action, _STAR_REQUEST, star=True)
    if target.any_repository:
        return _evaluate_some(relevant, action, target.pattern)
    return _evaluate_every(relevant, action, target.pattern, star=False)


class _Split(NamedTuple):
    """The statements that apply to one action, by effect and condition."""

    allows: list[DecidingStatement]
    conditional_allows: list[DecidingStatement]
    denies: list[DecidingStatement]
    conditional_denies: list[DecidingStatement]

    @classmethod
    def of(cls, relevant: list[DecidingStatement]) -> _Split:
        def pick(effect: Effect, conditional: bool) -> list[DecidingStatement]:
            return [
                ref
                for ref in relevant
                if ref.statement.effect is effect and ref.statement.conditional is conditional
            ]

        return cls(
            pick(Effect.ALLOW, False),
            pick(Effect.ALLOW, True),
            pick(Effect.DENY, False),
            pick(Effect.DENY, True),
        )


def _if_touching(
    action: str, verdict: Verdict, refs: list[DecidingStatement], target: Pattern
) -> ActionVerdict | None:
    """`verdict`, decided by those of `refs` that apply to some resource of `target`."""
    hits = [(ref, hit) for ref in refs if (hit := _touch(_block(ref), target)) is not None]
    if not hits:
        return None
    return ActionVerdict(action, verdict, tuple(ref for ref, _ in hits), hits[0][1])


def _evaluate_every(
    relevant: list[DecidingStatement], action: str, target: Pattern, *, star: bool
) -> ActionVerdict:
    """Every resource of `target` must be allowed, and no Deny may touch any of them."""
    split = _Split.of(relevant)
    if denied := _if_touching(action, Verdict.DENIED, split.denies, target):
        return denied
    gap = _gap(_blocks(split.allows), target)
    if gap is None:
        conditional = _if_touching(
            action, Verdict.CONDITIONAL_DENY, split.conditional_denies, target
        )
        return conditional or ActionVerdict(
            action, Verdict.ALLOWED, _touching(split.allows, target)
        )
    every_allow = split.allows + split.conditional_allows
    wider_gap = _gap(_blocks(every_allow), target)
    if wider_gap is None:
        deciding = _touching(split.conditional_allows, target)
        return ActionVerdict(action, Verdict.CONDITIONAL_ALLOW, deciding, gap)
    if every_allow:
        verdict = Verdict.STAR_NOT_ALLOWED if star else Verdict.RESOURCE_NOT_COVERED
        return ActionVerdict(action, verdict, tuple(every_allow), wider_gap)
    return ActionVerdict(action, Verdict.NOT_ALLOWED)


def _evaluate_some(
    relevant: list[DecidingStatement], action: str, target: Pattern
) -> ActionVerdict:
    """Some resource of `target` must be allowed and not denied."""
    split = _Split.of(relevant)
    allows, every_allow = _blocks(split.allows), _blocks(split.allows + split.conditional_allows)
    denies, every_deny = _blocks(split.denies), _blocks(split.denies + split.conditional_denies)
    if (found := _allowed_somewhere(allows, every_deny, target)) is not None:
        granting = tuple(ref for ref in split.allows if _applies_to(ref, found))
        return ActionVerdict(action, Verdict.ALLOWED, granting, found)
    if (found := _allowed_somewhere(allows, denies, target)) is not None:
        deciding = _touching(split.conditional_denies, target)
        return ActionVerdict(action, Verdict.CONDITIONAL_DENY, deciding, found)
    if (found := _allowed_somewhere(every_allow, denies, target)) is not None:
        deciding = _touching(split.conditional_allows, target)
        return ActionVerdict(action, Verdict.CONDITIONAL_ALLOW, deciding, found)
    if denied := _if_touching(action, Verdict.DENIED, split.denies, target):
        return denied
    if every_allow:
        deciding = tuple(split.allows + split.conditional_allows)
        return ActionVerdict(action, Verdict.RESOURCE_NOT_COVERED, deciding)
    return ActionVerdict(action, Verdict.NOT_ALLOWED)


def statement_covers(statement: Statement, target: RepositoryTarget, *, star: bool) -> bool:
    """True when the statement's Resource element alone applies to every resource of
    `target` (to some, for any repository), or to `*` for an action without resource
    types: what a fix that adds actions to it relies on. False past the work budget."""
    block = (statement.evaluated_resource_patterns, statement.not_resource)
    try:
        if star:
            return _gap((block,), _STAR_REQUEST) is None
        if target.any_repository:
            return _touch(block, target.pattern) is not None
        return _gap((block,), target.pattern) is None
    except WorkLimitReached:
        return False


# -- resource set questions (`patterns` caches each query with its work) ----------------


def _block(ref: DecidingStatement) -> _Block:
    return ref.statement.evaluated_resource_patterns, ref.statement.not_resource


def _blocks(refs: Iterable[DecidingStatement]) -> tuple[_Block, ...]:
    return tuple(_block(ref) for ref in refs)


def _applies_to(ref: DecidingStatement, resource: str) -> bool:
    """True when the statement's Resource (or NotResource) element applies to `resource`."""
    patterns, negated = _block(ref)
    return any(pattern.matches(resource) for pattern in patterns) != negated


def _touching(refs: Iterable[DecidingStatement], target: Pattern) -> tuple[DecidingStatement, ...]:
    return tuple(ref for ref in refs if _touch(_block(ref), target) is not None)


def _touch(block: _Block, target: Pattern) -> str | None:
    """A resource of `target` that the statement's Resource element applies to, if any."""
    patterns, negated = block
    if negated:  # NotResource applies to what none of its entries matches
        return witness([[target]], patterns)
    return witness([[target], patterns])


def _gap(allows: tuple[_Block, ...], target: Pattern) -> str | None:
    """A resource of `target` that no Allow's Resource element applies to, if any.

    A string escapes a Resource statement by matching none of its entries, and a
    NotResource statement by matching one of its entries: so a gap lies in `target`,
    in some entry of each NotResource block, and in no entry of a Resource block.
    """
    groups = [[target], *(list(patterns) for patterns, negated in allows if negated)]
    excluded = [pattern for patterns, negated in allows if not negated for pattern in patterns]
    return witness(groups, excluded)


def _allowed_somewhere(
    allows: tuple[_Block, ...], denies: tuple[_Block, ...], target: Pattern
) -> str | None:
    """A resource of `target` that some Allow applies to and no Deny does, if any."""
    # Escaping every Deny: in an entry of each NotResource Deny, in no entry of a Resource Deny.
    groups = [[target], *(list(patterns) for patterns, negated in denies if negated)]
    excluded = [pattern for patterns, negated in denies if not negated for pattern in patterns]
    for patterns, negated in allows:
        if negated:
            found = witness(groups, [*excluded, *patterns])
        else:
            found = witness([*groups, list(patterns)], excluded)
        if found is not None:
            return found
    return None
