"""A typed view of an IAM identity policy, built from a document's data.

The model keeps each statement's data path and the data path of every action and
resource string, so a finding can point at the exact node. It never raises: a
schema-invalid policy (RL002 reports it) yields what can be read, and a statement that
AWS could not evaluate (no valid Effect, no action or resource element) is kept for
the per-document rules but marked `evaluable = False`.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from reglint.model.iam.patterns import Pattern

if TYPE_CHECKING:
    from reglint.loading.document import Document

__all__ = ["CURRENT_VERSION", "Effect", "Policy", "PolicyValue", "Statement"]

DataPath = tuple[Hashable, ...]

CURRENT_VERSION = "2012-10-17"


class Effect(enum.Enum):
    ALLOW = "Allow"
    DENY = "Deny"


class PolicyValue(NamedTuple):
    """One string of an Action/NotAction or Resource/NotResource element, with its place."""

    text: str
    path: DataPath


@dataclass(frozen=True)
class Statement:
    """One statement: its Effect, what it applies to, and whether a Condition limits it.

    `actions` holds the entries of `Action`, or of `NotAction` when `not_action` is set
    (likewise `resources` and `not_resource`); `action_patterns` and
    `resource_patterns` are the same entries compiled.

    The evaluation reads `evaluated_action_patterns` and `evaluated_resource_patterns`:
    an entry beyond reglint's bounds (`Pattern.within_bounds`) is never searched, and is
    read so that the statement never grants more, nor denies less, than it does. Where
    the entry widens what the statement does (a Deny's Action or Resource, an Allow's
    NotAction or NotResource) it is read as `Pattern.widened()`, which matches at least
    what it matches; elsewhere (an Allow's Action or Resource, a Deny's NotAction or
    NotResource) as matching nothing.
    """

    path: DataPath  # ("Statement", 2), or ("Statement",) for a lone statement object
    sid: str | None
    effect: Effect | None
    actions: tuple[PolicyValue, ...]
    not_action: bool
    resources: tuple[PolicyValue, ...]
    not_resource: bool
    conditional: bool
    evaluable: bool
    variables: bool  # policy variables are substituted (Version 2012-10-17)

    # Compiled on first use (no __slots__, so cached_property can store them): the
    # per-document rules never need them, and a large policy has thousands of entries.
    @cached_property
    def action_patterns(self) -> tuple[Pattern, ...]:
        return tuple(Pattern.action(value.text) for value in self.actions)

    @cached_property
    def resource_patterns(self) -> tuple[Pattern, ...]:
        return tuple(
            Pattern.resource(value.text, variables=self.variables) for value in self.resources
        )

    @cached_property
    def evaluated_action_patterns(self) -> tuple[Pattern, ...]:
        return self._bounded(self.action_patterns, self.not_action)

    @cached_property
    def evaluated_resource_patterns(self) -> tuple[Pattern, ...]:
        return self._bounded(self.resource_patterns, self.not_resource)

    @property
    def readings_beyond_bounds(self) -> tuple[tuple[Pattern, Pattern | None], ...]:
        """Each entry beyond the bounds, and how it is read (None: as matching nothing)."""
        return tuple(
            (pattern, pattern.widened() if self._widens(negated) else None)
            for patterns, negated in (
                (self.action_patterns, self.not_action),
                (self.resource_patterns, self.not_resource),
            )
            for pattern in patterns
            if not pattern.within_bounds
        )

    def _widens(self, negated: bool) -> bool:
        """True when a wider entry makes the statement deny more or grant less."""
        return (self.effect is Effect.DENY) != negated

    def _bounded(self, patterns: tuple[Pattern, ...], negated: bool) -> tuple[Pattern, ...]:
        if all(pattern.within_bounds for pattern in patterns):
            return patterns
        widen = self._widens(negated)
        return tuple(p.widened() for p in patterns if widen or p.within_bounds)

    @property
    def position(self) -> str:
        """Where the statement is: `Statement[1]`, or `Statement` for a lone object."""
        return "Statement" + "".join(f"[{step}]" for step in self.path[1:])

    @property
    def label(self) -> str:
        """How messages name the statement: `"PushImages" (Statement[1])`."""
        return f'"{self.sid}" ({self.position})' if self.sid else self.position

    def applies_to_action(self, action: str) -> bool:
        """True when the Action element matches a concrete action, or NotAction does not.

        https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
        """
        matched = any(_matches(pattern, action) for pattern in self.evaluated_action_patterns)
        return matched != self.not_action


@lru_cache(maxsize=65536)
def _matches(pattern: Pattern, action: str) -> bool:
    # Policies repeat the same few action entries: remember each (entry, action) answer.
    return pattern.matches(action)


class Policy(NamedTuple):
    """An identity policy: its Version and statements, and the document it came from."""

    version: str | None
    version_present: bool
    statements: tuple[Statement, ...]
    statement_list: bool  # `Statement` is a list (False: a lone object, or absent)
    document: Document | None = None

    @classmethod
    def from_data(cls, data: Any, document: Document | None = None) -> Policy:
        """Read a bare policy (already unwrapped from CLI output); never raises."""
        if not isinstance(data, Mapping):
            return cls(None, False, (), False, document)
        version_value = data.get("Version")
        version = version_value if isinstance(version_value, str) else None
        # Without Version 2012-10-17, AWS reads `${…}` literally.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        variables = version == CURRENT_VERSION
        raw = data.get("Statement")
        if isinstance(raw, list):
            statements = tuple(
                _statement(item, ("Statement", index), variables)
                for index, item in enumerate(raw)
                if isinstance(item, Mapping)
            )
            return cls(version, "Version" in data, statements, True, document)
        if isinstance(raw, Mapping):
            return cls(
                version,
                "Version" in data,
                (_statement(raw, ("Statement",), variables),),
                False,
                document,
            )
        return cls(version, "Version" in data, (), False, document)

    @classmethod
    def from_document(cls, document: Document) -> Policy:
        """The policy of a loaded POLICY document."""
        return cls.from_data(document.data, document)


_EFFECTS = {"Allow": Effect.ALLOW, "Deny": Effect.DENY}


def _statement(data: Mapping[Any, Any], path: DataPath, variables: bool) -> Statement:
    raw_effect = data.get("Effect")
    # Exactly `Allow` or `Deny` (SPEC §1.2); anything else is RL002's, not evaluated.
    effect = _EFFECTS.get(raw_effect) if isinstance(raw_effect, str) else None
    actions, not_action, action_ok = _element(data, path, "Action", "NotAction")
    resources, not_resource, resource_ok = _element(data, path, "Resource", "NotResource")
    sid = data.get("Sid")
    condition = data.get("Condition")
    # An empty Condition block limits nothing; anything else present (even malformed)
    # is treated as a limit, so it can never make a grant look unconditional.
    conditional = condition is not None and condition != {}
    return Statement(
        path=path,
        sid=sid if isinstance(sid, str) else None,
        effect=effect,
        actions=actions,
        not_action=not_action,
        resources=resources,
        not_resource=not_resource,
        conditional=conditional,
        evaluable=effect is not None and action_ok and resource_ok,
        variables=variables,
    )


def _element(
    data: Mapping[Any, Any], path: DataPath, positive: str, negative: str
) -> tuple[tuple[PolicyValue, ...], bool, bool]:
    """The strings of `Action`/`NotAction` (or `Resource`/`NotResource`), and whether valid.

    Valid means exactly one of the two keys, holding a string or a non-empty list of
    strings; invalid entries of a list are skipped (RL002 reports them).
    """
    has_positive, has_negative = positive in data, negative in data
    key = positive if has_positive else negative
    value = data.get(key)
    if isinstance(value, str):
        values: tuple[PolicyValue, ...] = (PolicyValue(value, (*path, key)),)
        well_typed = True
    elif isinstance(value, list):
        values = tuple(
            PolicyValue(item, (*path, key, index))
            for index, item in enumerate(value)
            if isinstance(item, str)
        )
        well_typed = bool(value) and len(values) == len(value)
    else:
        values, well_typed = (), False
    return values, key == negative, well_typed and has_positive != has_negative
