"""A permissions boundary limits what an identity's policies grant (SPEC §6.2, §6.4).

https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html: the
effective permissions of a role or user with a boundary are those that both its
identity policies and its boundary allow; an explicit Deny in either denies.

So an action counts as allowed only when the boundary allows it too. Both sides are
evaluated with `evaluate_policies()` for the same actions and target; `within_boundary`
then keeps, per action, the stricter verdict: missing (RL201) before conditional
(RL202) before allowed, the identity's own verdict winning a tie, so a message names
the boundary only when the boundary is what decides.
"""

from __future__ import annotations

from typing import NamedTuple

from reglint.model.iam.verdicts import ActionVerdict, PolicyEvaluation

__all__ = ["BoundedEvaluation", "within_boundary"]


class BoundedEvaluation(NamedTuple):
    """The verdicts of rights within a boundary, and the actions the boundary decided."""

    evaluation: PolicyEvaluation
    by_boundary: frozenset[str]


def within_boundary(rights: PolicyEvaluation, boundary: PolicyEvaluation) -> BoundedEvaluation:
    """Per action, the stricter of the identity's verdict and the boundary's."""
    own_actions = [v.action for v in rights.verdicts]
    if own_actions != [v.action for v in boundary.verdicts]:
        raise ValueError("the rights and the boundary must be evaluated for the same actions")
    combined: list[ActionVerdict] = []
    by_boundary: set[str] = set()
    for own, limit in zip(rights.verdicts, boundary.verdicts):
        if _strictness(limit) > _strictness(own):
            combined.append(limit)
            by_boundary.add(limit.action)
        else:
            combined.append(own)
    return BoundedEvaluation(PolicyEvaluation(rights.target, tuple(combined)), frozenset(by_boundary))


def _strictness(verdict: ActionVerdict) -> int:
    """2: missing (RL201); 1: conditional (RL202); 0: allowed."""
    if verdict.verdict.missing:
        return 2
    return 1 if verdict.verdict.conditional else 0
