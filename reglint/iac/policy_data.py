"""An IaC policy document as the JSON data a POLICY document holds (SPEC §6.2).

The readers give a policy as data with `Placeholder`, `Reference`, `Template` and
`Choice` values inside. The document checks (RL002, RL203, RL205-RL209) and the
evaluation read JSON data, so `policy_variants` makes it so:

- a value known only at deploy time becomes the text it is written as
  (`arn:aws:ecr:${AWS::Region}:…`, `${var.region}`), recorded in `unknowns` by its data
  path as an `UnknownValue` (literal parts, and the unknown ones): the checks leave it
  alone (no RL002 where a string belongs, no RL203/RL206 on it) and the evaluation reads
  it as SPEC §6.2 says (model/iam/policy.py);
- a `Reference` is first resolved by the caller (`resolve`: an ECR repository's ARN
  pattern or name, another value of the template or module), else it is unknown;
- a `Choice` (`Fn::If`, `a ? b : c`) makes one variant per branch, each checked and
  evaluated on its own ("each must pass"), at most `MAX_VARIANTS` per document: a
  container whose branches would make more keeps its largest choices unknown;
- a statement that is unknown as a whole (a Terraform `dynamic "statement"`,
  `!ImportValue` in place of a statement, a `Statement` that is a parameter) becomes a
  statement whose Effect, Action and Resource are unknown: it may allow anything, and
  grants nothing once no placeholder is credited (`Policy.closed`).

`sources` maps a variant's data paths to the paths of the value they come from (a
branch is step `i` into its `Choice`; a list without its absent items shifts), only
where the two differ: `MappedPositions` looks paths up through it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple

from reglint.findings import Span
from reglint.iac.model import Absent, Choice, DataPath, Reference, Template
from reglint.loading.document import UnknownValue
from reglint.loading.positions import Positions

__all__ = [
    "MAX_VARIANTS",
    "MappedPositions",
    "PolicyData",
    "Resolver",
    "policy_variants",
    "unknown_name",
]

MAX_VARIANTS = 8
_MAX_DEPTH = 100  # the readers bound nesting below this already
# A value of the template or module for a reference, or None when it is unknown.
Resolver = Callable[[Reference], Any]


class PolicyData(NamedTuple):
    """One variant of a policy document as JSON data."""

    data: Any
    unknowns: dict[DataPath, UnknownValue]
    sources: dict[DataPath, DataPath]  # data path -> path in the value read (where they differ)


class MappedPositions(NamedTuple):
    """Positions of a variant: its data path is turned into the source path (the longest
    prefix that `sources` names, then the rest as it is) and looked up in `inner`."""

    inner: Positions
    sources: Mapping[DataPath, DataPath]

    def span(self, path: DataPath, *, on_key: bool = False) -> Span:
        sources = self.sources
        if sources:
            for length in range(len(path), -1, -1):
                found = sources.get(path[:length])
                if found is not None:
                    path = (*found, *path[length:])
                    break
        return self.inner.span(path, on_key=on_key)


def unknown_name(value: Any) -> str:
    """How an unknown value is written in a policy's text and messages: `${…}`."""
    text = str(getattr(value, "text", "") or "unknown")
    return text if text.startswith(("${", "!", "(")) else "${" + text + "}"


def unknown_is(value: Any) -> str:
    """The end of "X is …" for a value known only at deploy time: `is ${Var}, known only
    once deployed`, or — for a plan's value, whose text says it already — `is known only
    after the apply`."""
    name = unknown_name(value)
    if name == "(known after apply)":
        return "is known only after the apply"
    return f"is {name}, known only once deployed"


def policy_variants(value: Any, resolve: Resolver) -> list[PolicyData]:
    """The variants of a policy document (at most MAX_VARIANTS); [] when it sets nothing."""
    return [
        PolicyData(*_unknown_statements(data, unknowns), sources)
        for data, unknowns, sources in _Converter(resolve).alternatives(value, 0)
    ]


_Alt = tuple[Any, dict[DataPath, UnknownValue], dict[DataPath, DataPath]]


class _Converter:
    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve

    def alternatives(self, value: Any, depth: int) -> list[_Alt]:
        if depth > _MAX_DEPTH:
            return [_unknown("(nested too deep)")]
        if isinstance(value, Choice):
            return self._choice(value, depth)
        if isinstance(value, Absent):
            return []
        if isinstance(value, dict):
            return self._mapping(value, depth)
        if isinstance(value, list):
            return self._list(value, depth)
        if isinstance(value, Reference):
            resolved = self.resolve(value)
            if resolved is None or isinstance(resolved, Reference):
                return [_unknown(unknown_name(value))]
            return self.alternatives(resolved, depth + 1)
        if isinstance(value, Template):
            return [self._template(value)]
        if value is None or isinstance(value, str | int | float | bool):
            return [(value, {}, {})]
        return [_unknown(unknown_name(value))]  # a Placeholder, or any other record

    def _choice(self, choice: Choice, depth: int) -> list[_Alt]:
        found: list[_Alt] = []
        for index, branch in enumerate(choice.branches):
            for data, unknowns, sources in self.alternatives(branch, depth + 1):
                moved = {path: (index, *source) for path, source in sources.items()}
                moved.setdefault((), (index,))
                found.append((data, unknowns, moved))
        if len(found) > MAX_VARIANTS:
            return [_unknown(unknown_name(choice))]
        return found

    def _mapping(self, value: dict[Any, Any], depth: int) -> list[_Alt]:
        keys: list[Hashable] = []
        options: list[list[_Alt]] = []
        for key, item in value.items():
            alternatives = self.alternatives(item, depth + 1)
            if not alternatives:
                continue  # an absent property
            keys.append(key if isinstance(key, str | int) else unknown_name(key))
            options.append(alternatives)
        return [
            (
                dict(zip(keys, (data for data, _, _ in combination))),
                _merged(keys, combination, 0),
                _merged(keys, combination, 1),
            )
            for combination in _bounded_product(options)
        ]

    def _list(self, value: list[Any], depth: int) -> list[_Alt]:
        options: list[list[_Alt]] = []
        origins: list[int] = []
        for index, item in enumerate(value):
            alternatives = self.alternatives(item, depth + 1)
            if alternatives:
                options.append(alternatives)
                origins.append(index)
        found: list[_Alt] = []
        for combination in _bounded_product(options):
            indexes = list(range(len(combination)))
            sources = _merged(indexes, combination, 1, origins)
            for new, old in enumerate(origins):
                if new != old:
                    sources.setdefault((new,), (old,))
            found.append(
                ([data for data, _, _ in combination], _merged(indexes, combination, 0), sources)
            )
        return found

    def _template(self, template: Template) -> _Alt:
        parts: list[str | None] = []
        names: list[str] = []
        for part in template.parts:
            if isinstance(part, Reference):
                resolved = self.resolve(part)
                if isinstance(resolved, str):
                    part = resolved
                elif isinstance(resolved, Template):
                    for inner in resolved.parts:
                        _add_part(parts, names, inner)
                    continue
            _add_part(parts, names, part)
        text_names = iter(names)
        text = "".join(part if part is not None else next(text_names) for part in parts)
        if not names:
            return text, {}, {}
        return text, {(): UnknownValue(tuple(parts), tuple(names))}, {}


def _add_part(parts: list[str | None], names: list[str], part: Any) -> None:
    if isinstance(part, str):
        if parts and isinstance(parts[-1], str):
            parts[-1] += part
        else:
            parts.append(part)
    else:
        parts.append(None)
        names.append(unknown_name(part))


def _unknown(name: str) -> _Alt:
    return name, {(): UnknownValue((None,), (name,))}, {}


def _merged(
    steps: list[Any], combination: tuple[_Alt, ...], which: int, origins: list[int] | None = None
) -> dict[DataPath, Any]:
    """The children's unknowns (which=1: sources) under their step."""
    merged: dict[DataPath, Any] = {}
    for position, (step, alternative) in enumerate(zip(steps, combination)):
        for path, value in alternative[which + 1].items():
            if which == 0:
                merged[(step, *path)] = value
            else:
                origin = origins[position] if origins is not None else step
                merged[(step, *path)] = (origin, *value)
    return merged


def _bounded_product(options: list[list[_Alt]]) -> list[tuple[_Alt, ...]]:
    """Every combination of the children's alternatives, at most MAX_VARIANTS: the
    children with the most alternatives become unknown until the count fits."""
    count = 1
    for alternatives in options:
        count *= len(alternatives)
    while count > MAX_VARIANTS:
        widest = max(range(len(options)), key=lambda i: len(options[i]))
        count //= len(options[widest])
        options[widest] = [_unknown("${one of several values}")]
    return list(itertools.product(*options))


_UNKNOWN_STATEMENT_KEYS = ("Effect", "Action", "Resource")


def _unknown_statements(
    data: Any, unknowns: dict[DataPath, UnknownValue]
) -> tuple[Any, dict[DataPath, UnknownValue]]:
    """A statement (or a whole `Statement`) that is unknown as a whole becomes a statement
    of unknown Effect, Action and Resource (module docstring)."""
    if not isinstance(data, dict) or "Statement" not in data:
        return data, unknowns
    statements = data["Statement"]
    whole = unknowns.get(("Statement",))
    if whole is not None:
        data = {**data, "Statement": [statements]}
        unknowns = {**unknowns, ("Statement", 0): whole}
        del unknowns[("Statement",)]
        statements = data["Statement"]
    if not isinstance(statements, list):
        return data, unknowns
    for index, item in enumerate(statements):
        found = unknowns.get(("Statement", index))
        if found is None or isinstance(item, dict):
            continue
        name = found.names[0] if found.names else "unknown"
        statements[index] = {key: name for key in _UNKNOWN_STATEMENT_KEYS}
        for key in _UNKNOWN_STATEMENT_KEYS:
            unknowns[("Statement", index, key)] = UnknownValue((None,), (name,))
    return data, unknowns
