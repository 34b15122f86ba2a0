"""A typed view of an IAM identity policy, built from a document's data.

The model keeps each statement's data path and the data path of every action and
resource string, so a finding can point at the exact node. It never raises: a
schema-invalid policy (RL002 reports it) yields what can be read, and a statement that
AWS could not evaluate (no valid Effect, no action or resource element) is kept for
the per-document rules but marked `evaluable = False`.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

A policy read from infrastructure code may hold values known only at deploy time
(`Document.unknowns`, SPEC §6.2). An Action/NotAction or Resource/NotResource entry that
holds one is read whichever way widens an Allow and narrows a Deny: its unknown parts
match anything in an Allow's Action or Resource and in a Deny's NotAction or
NotResource; the entry matches nothing in a Deny's Action or Resource and in an Allow's
NotAction or NotResource. An unknown Effect is read as Allow, an unknown Sid as none.
`Policy.closed()` reads the same policy as if no placeholder granted anything (an Allow
entry that holds one matches nothing; one in an Allow's NotAction/NotResource excludes
everything; a statement of unknown Effect is left out): a verdict that holds only in the
open reading holds only thanks to a placeholder, and says so.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from reglint.model.iam.patterns import Pattern
from reglint.model.iam.placeholders import (
    EVERY_ACTION,
    EVERY_RESOURCE,
    open_action,
    open_resource,
)

if TYPE_CHECKING:
    from reglint.loading.document import Document, UnknownValue

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
    unknown: UnknownValue | None = None  # set when it holds a value known only at deploy time

    @property
    def wholly_unknown(self) -> bool:
        return self.unknown is not None and all(part is None for part in self.unknown.parts)

    @property
    def starred(self) -> str:
        """The text with each unknown part written `*` (what the checks of its grammar read)."""
        if self.unknown is None:
            return self.text
        return "".join("*" if part is None else part for part in self.unknown.parts)


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
    effect_unknown: bool = False  # the Effect is known only at deploy time (read as Allow)
    closed: bool = False  # placeholders grant nothing (`Policy.closed`)

    # Compiled on first use (no __slots__, so cached_property can store them): the
    # per-document rules never need them, and a large policy has thousands of entries.
    @cached_property
    def action_patterns(self) -> tuple[Pattern, ...]:
        return tuple(
            Pattern.action(value.text) if value.unknown is None else open_action(value.unknown)
            for value in self.actions
        )

    @cached_property
    def resource_patterns(self) -> tuple[Pattern, ...]:
        return tuple(
            Pattern.resource(value.text, variables=self.variables)
            if value.unknown is None
            else open_resource(value.unknown, self.variables)
            for value in self.resources
        )

    @cached_property
    def evaluated_action_patterns(self) -> tuple[Pattern, ...]:
        patterns = self._read(self.actions, self.action_patterns, self.not_action, EVERY_ACTION)
        return self._bounded(patterns, self.not_action)

    @cached_property
    def evaluated_resource_patterns(self) -> tuple[Pattern, ...]:
        patterns = self._read(
            self.resources, self.resource_patterns, self.not_resource, EVERY_RESOURCE
        )
        return self._bounded(patterns, self.not_resource)

    @property
    def has_unknowns(self) -> bool:
        return self.effect_unknown or any(
            value.unknown is not None for value in (*self.actions, *self.resources)
        )

    def _read(
        self,
        values: tuple[PolicyValue, ...],
        patterns: tuple[Pattern, ...],
        negated: bool,
        everything: Pattern,
    ) -> tuple[Pattern, ...]:
        """The entries as evaluated (module docstring): an entry holding a placeholder is
        kept with its unknown parts matching anything, or left out (it matches nothing),
        or, closed in an Allow's NotAction/NotResource, made `*` (it excludes all)."""
        if all(value.unknown is None for value in values):
            return patterns
        allow = self.effect is not Effect.DENY
        anything = negated if not allow or self.closed else not negated
        kept: list[Pattern] = []
        for value, pattern in zip(values, patterns):
            if value.unknown is None:
                kept.append(pattern)
            elif anything:
                kept.append(everything if allow and self.closed else pattern)
        return tuple(kept)

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
    # How messages name the policy when it is one of an identity's several
    # (`AmazonEC2ContainerRegistryPowerUser (AWS managed)`, `inline policy "push" of PushRole`).
    name: str | None = None
    aws_managed: bool = False  # an AWS managed policy (from the snapshot)

    @classmethod
    def from_data(
        cls,
        data: Any,
        document: Document | None = None,
        unknowns: Mapping[DataPath, UnknownValue] | None = None,
    ) -> Policy:
        """Read a bare policy (already unwrapped from CLI output); never raises.

        `unknowns`: the values known only at deploy time, by data path (module docstring)."""
        if not isinstance(data, Mapping):
            return cls(None, False, (), False, document)
        unknowns = unknowns or {}
        version_value = data.get("Version")
        version = version_value if isinstance(version_value, str) else None
        # Without Version 2012-10-17, AWS reads `${…}` literally.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        variables = version == CURRENT_VERSION
        raw = data.get("Statement")
        if isinstance(raw, list):
            statements = tuple(
                _statement(item, ("Statement", index), variables, unknowns)
                for index, item in enumerate(raw)
                if isinstance(item, Mapping)
            )
            return cls(version, "Version" in data, statements, True, document)
        if isinstance(raw, Mapping):
            return cls(
                version,
                "Version" in data,
                (_statement(raw, ("Statement",), variables, unknowns),),
                False,
                document,
            )
        return cls(version, "Version" in data, (), False, document)

    @classmethod
    def from_document(cls, document: Document) -> Policy:
        """The policy of a loaded POLICY document."""
        return cls.from_data(document.data, document, document.unknowns)

    @property
    def has_unknowns(self) -> bool:
        """True when some statement holds a value known only at deploy time."""
        return any(statement.has_unknowns for statement in self.statements)

    def closed(self) -> Policy:
        """The same policy read as if no placeholder granted anything (module docstring)."""
        if not self.has_unknowns:
            return self
        statements = tuple(
            replace(
                statement,
                closed=True,
                evaluable=statement.evaluable and not statement.effect_unknown,
            )
            for statement in self.statements
        )
        return self._replace(statements=statements)


_EFFECTS = {"Allow": Effect.ALLOW, "Deny": Effect.DENY}


def _statement(
    data: Mapping[Any, Any],
    path: DataPath,
    variables: bool,
    unknowns: Mapping[DataPath, UnknownValue],
) -> Statement:
    raw_effect = data.get("Effect")
    # Exactly `Allow` or `Deny` (SPEC §1.2); anything else is RL002's, not evaluated.
    effect = _EFFECTS.get(raw_effect) if isinstance(raw_effect, str) else None
    effect_unknown = (*path, "Effect") in unknowns
    if effect_unknown:
        effect = Effect.ALLOW  # whichever reading grants: an unknown never causes a finding
    actions, not_action, action_ok = _element(data, path, "Action", "NotAction", unknowns)
    resources, not_resource, resource_ok = _element(
        data, path, "Resource", "NotResource", unknowns
    )
    sid = data.get("Sid") if (*path, "Sid") not in unknowns else None
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
        effect_unknown=effect_unknown,
    )


def _element(
    data: Mapping[Any, Any],
    path: DataPath,
    positive: str,
    negative: str,
    unknowns: Mapping[DataPath, UnknownValue],
) -> tuple[tuple[PolicyValue, ...], bool, bool]:
    """The strings of `Action`/`NotAction` (or `Resource`/`NotResource`), and whether valid.

    Valid means exactly one of the two keys, holding a string or a non-empty list of
    strings; invalid entries of a list are skipped (RL002 reports them).
    """
    has_positive, has_negative = positive in data, negative in data
    key = positive if has_positive else negative
    value = data.get(key)
    if isinstance(value, str):
        at: DataPath = (*path, key)
        values: tuple[PolicyValue, ...] = (PolicyValue(value, at, unknowns.get(at)),)
        well_typed = True
    elif isinstance(value, list):
        values = tuple(
            PolicyValue(item, (*path, key, index), unknowns.get((*path, key, index)))
            for index, item in enumerate(value)
            if isinstance(item, str)
        )
        well_typed = bool(value) and len(values) == len(value)
    else:
        values, well_typed = (), False
    return values, key == negative, well_typed and has_positive != has_negative

