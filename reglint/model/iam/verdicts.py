"""The outcome of a policy evaluation: a verdict per action, its reason and its evidence.

The wording lives here so that every rule that reports a verdict (RL201 and RL202,
for standalone and linked policies) says it the same way.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from reglint.model.iam.policy import Policy, Statement
    from reglint.model.iam.target import RepositoryTarget

__all__ = ["ActionVerdict", "DecidingStatement", "PolicyEvaluation", "Verdict", "shortened"]


class Verdict(enum.Enum):
    """The outcome for one action, with the reason when it is not a plain yes."""

    ALLOWED = "allowed"
    NOT_ALLOWED = "not-allowed"  # no statement allows the action
    DENIED = "denied"  # an unconditional Deny applies
    RESOURCE_NOT_COVERED = "resource-not-covered"  # allowed, but not on the target
    STAR_NOT_ALLOWED = "star-not-allowed"  # a resource-less action not allowed on "*"
    CONDITIONAL_ALLOW = "conditional-allow"  # allowed only under a Condition
    CONDITIONAL_DENY = "conditional-deny"  # allowed, but denied under a Condition
    UNDECIDED = "undecided"  # past the work bound (work.py): never taken as allowed

    @property
    def missing(self) -> bool:
        """True for the verdicts RL201 reports."""
        return self in _MISSING

    @property
    def conditional(self) -> bool:
        """True for the verdicts RL202 reports."""
        return self in (Verdict.CONDITIONAL_ALLOW, Verdict.CONDITIONAL_DENY)

    def role(self, actions: str) -> str:
        """What a deciding statement did to `actions`, for related locations."""
        return _ROLES[self].format(actions=actions)

    @property
    def phrase(self) -> str:
        """The verdict as words after an action name: `allowed only under a Condition`."""
        return _PHRASES[self]


_ROLES = {
    Verdict.ALLOWED: "allows {actions}",
    Verdict.NOT_ALLOWED: "does not allow {actions}",
    Verdict.DENIED: "denies {actions}",
    Verdict.RESOURCE_NOT_COVERED: "allows {actions} only on resources outside the target",
    Verdict.STAR_NOT_ALLOWED: 'allows {actions}, but not on Resource "*"',
    Verdict.CONDITIONAL_ALLOW: "allows {actions} only under its Condition",
    Verdict.CONDITIONAL_DENY: "denies {actions} under its Condition",
    Verdict.UNDECIDED: "could not be evaluated for {actions} within reglint's work bound",
}
_PHRASES = {
    Verdict.ALLOWED: "allowed",
    Verdict.NOT_ALLOWED: "not allowed",
    Verdict.DENIED: "explicitly denied",
    Verdict.RESOURCE_NOT_COVERED: "allowed only on other resources",
    Verdict.STAR_NOT_ALLOWED: 'not allowed on Resource "*"',
    Verdict.CONDITIONAL_ALLOW: "allowed only under a Condition",
    Verdict.CONDITIONAL_DENY: "denied under a Condition",
    Verdict.UNDECIDED: "not decided",
}
# Undecided counts as missing: "not evaluated" must never read as "allowed".
_MISSING = frozenset(
    (
        Verdict.NOT_ALLOWED,
        Verdict.DENIED,
        Verdict.RESOURCE_NOT_COVERED,
        Verdict.STAR_NOT_ALLOWED,
        Verdict.UNDECIDED,
    )
)


class DecidingStatement(NamedTuple):
    """A statement that decided a verdict, and the policy it belongs to."""

    policy: Policy
    statement: Statement


class ActionVerdict(NamedTuple):
    """One required action's verdict, the statements behind it, and an example resource.

    `example` is a resource string that shows the verdict: one that is denied, not
    covered, or (for an allowed action on any repository) allowed. `cause` says which
    part of the policy's ARNs differs from the target's, when one part explains a
    resource that is not covered (`region `us-east-1` in the policy, …`).

    `deciding` holds the statements behind the verdict; for a NOT_ALLOWED action, which
    no statement decides, the first Allow statements that grant the other required
    actions of its kind (where the action is missing), and none when there are none;
    none for an UNDECIDED one.
    """

    action: str
    verdict: Verdict
    deciding: tuple[DecidingStatement, ...] = ()
    example: str | None = None
    cause: str | None = None
    # Set when the identity's policies allow the action but its permissions boundary
    # does not: the boundary's name (the verdict and deciding statements are the boundary's).
    boundary: str | None = None
    # Policies that reglint cannot read (unknown, not in the snapshot), which may grant it.
    unread: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The why, as a phrase for messages: `explicitly denied by Statement[1]`."""
        reason = self._reason
        if self.boundary is not None:
            reason = f"not allowed by the permissions boundary {self.boundary}: {reason}"
        if self.unread:
            unread = ", ".join(self.unread)
            reason += f"; it may be granted by what reglint cannot read: {unread}"
        return reason

    @property
    def _reason(self) -> str:
        labels = ", ".join(_label(ref) for ref in self.deciding)
        match self.verdict:
            case Verdict.ALLOWED:
                return "allowed"
            case Verdict.NOT_ALLOWED:
                managed = sorted(
                    {r.policy.name for r in self.deciding if r.policy.aws_managed and r.policy.name}
                )
                if managed:
                    verb = "does" if len(managed) == 1 else "do"
                    return f"not allowed by any statement: {', '.join(managed)} {verb} not allow it"
                return "not allowed by any statement"
            case Verdict.DENIED:
                return f"explicitly denied by {labels}{_bounds_note(self.deciding)}"
            case Verdict.RESOURCE_NOT_COVERED:
                if self.cause:
                    why = f": {self.cause}"
                else:
                    why = f", e.g. not on {self.example}" if self.example else ""
                note = _bounds_note(self.deciding)
                return f"allowed only on resources that do not cover the target{why}{note}"
            case Verdict.STAR_NOT_ALLOWED:
                return 'not allowed on Resource "*", the only resource it takes'
            case Verdict.CONDITIONAL_ALLOW:
                return f"allowed only under a Condition ({labels})"
            case Verdict.CONDITIONAL_DENY:
                return f"denied under a Condition ({labels})"
            case Verdict.UNDECIDED:
                return (
                    "not decided: the policies' wildcard patterns need more work than "
                    "reglint's bound to evaluate; use fewer wildcards"
                )
        raise AssertionError(self.verdict)  # pragma: no cover


def _label(ref: DecidingStatement) -> str:
    """A deciding statement, with its policy's name when it has one."""
    label = ref.statement.label
    return f"{label} of {ref.policy.name}" if ref.policy.name else label


def _bounds_note(refs: tuple[DecidingStatement, ...]) -> str:
    """How the deciding statements' patterns beyond reglint's bounds were read, if any."""
    notes = [
        f"{ref.statement.label}'s `{shortened(pattern.text)}`, beyond reglint's bounds, "
        + (f"read as `{reading.text}`" if reading is not None else "grants nothing")
        for ref in refs
        for pattern, reading in ref.statement.readings_beyond_bounds
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def shortened(text: str, limit: int = 40) -> str:
    """`text`, cut to `limit` characters with an ellipsis, for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PolicyEvaluation(NamedTuple):
    """The verdicts of a set of policies for each required action on one target."""

    target: RepositoryTarget
    verdicts: tuple[ActionVerdict, ...]
    # The actions allowed only thanks to a placeholder (SPEC §6.2), each with the
    # assumption it rests on: `("ecr:PutImage", "assuming ${AWS::AccountId} is …")`.
    assumptions: tuple[tuple[str, str], ...] = ()

    @property
    def missing(self) -> tuple[ActionVerdict, ...]:
        """The actions RL201 reports: not allowed, denied, or not on the target."""
        return tuple(v for v in self.verdicts if v.verdict.missing)

    @property
    def conditional(self) -> tuple[ActionVerdict, ...]:
        """The actions RL202 reports: allowed or denied only under a Condition."""
        return tuple(v for v in self.verdicts if v.verdict.conditional)

    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(v.action for v in self.verdicts if v.verdict is Verdict.ALLOWED)
