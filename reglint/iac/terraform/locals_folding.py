"""Folding a module's `local.x` references into the locals' values.

A local is fixed by its module (unlike a variable, which a caller or a `.tfvars` file
may set), so `local.x` is replaced by what `locals { x = … }` says, in any file of
the module: a literal, an object, or a value with placeholders and references in it
(`"arn:aws:ecr:${var.region}:…"`); `local.x.y[0]` then picks into it. A local that is
not defined, refers to itself, or whose folded value would nest deeper than
`Limits.max_depth` or grow the value past the alias budget (`alias_factor` x its own
size + `alias_floor`, the YAML alias-bomb bound) stays a `Placeholder`. Variables are
never folded, not even to their defaults: the default may not be the deployed value,
and a finding on a value that is not deployed would be a false alarm.

Locals are resolved dependencies first (an explicit stack), so folding one value never
starts folding another: the Python stack stays bounded by one value's depth.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reglint.iac.model import Choice, Placeholder, Reference, Template
from reglint.iac.terraform.hcl_expressions import JsonEncodedLocal
from reglint.loading.document import Limits

__all__ = ["LocalValues"]

_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')
Folded = tuple[Any, int, int]  # value, height (container levels), size (nodes)


class LocalValues:
    """The locals of one module, folded on demand."""

    def __init__(self, definitions: dict[str, Any], limits: Limits) -> None:
        self._definitions = definitions
        self._limits = limits
        self._folded: dict[str, Folded] = {}
        self._resolving = False
        self._budget = 0

    def fold(self, value: Any) -> Any:
        """`value` with every `local.…` reference replaced (see the module docstring)."""
        _, _, size = _measure(value)
        self._budget = self._limits.alias_factor * size + self._limits.alias_floor
        return self._fold(value, 0)[0]

    def _fold(self, value: Any, depth: int) -> Folded:
        if isinstance(value, Reference) and value.target.startswith("local."):
            return self._substitute(value, depth)
        if isinstance(value, dict):
            folded = {key: self._fold(item, depth + 1) for key, item in value.items()}
            return _container({k: v for k, (v, _, _) in folded.items()}, folded.values())
        if isinstance(value, list):
            items = [self._fold(item, depth + 1) for item in value]
            return _container([v for v, _, _ in items], items)
        if isinstance(value, Choice):
            branches = [self._fold(branch, depth) for branch in value.branches]
            return _container(
                Choice(tuple(v for v, _, _ in branches), value.text), branches, levels=0
            )
        if isinstance(value, Template) and any(isinstance(p, Reference) for p in value.parts):
            return _join(value, [self._fold(part, depth)[0] for part in value.parts]), 0, 1
        return value, 0, 1

    def _substitute(self, reference: Reference, depth: int) -> Folded:
        name = reference.target.removeprefix("local.")
        if name not in self._folded and not self._resolving and name in self._definitions:
            budget = self._budget
            self._resolve(name)
            self._budget = budget
        found = self._folded.get(name)
        placeholder: Folded = (Placeholder(reference.text), 0, 1)
        if found is None:  # undefined, or part of a cycle
            return placeholder
        value, height, size = found
        value = _pick(value, reference)
        if value is None:
            return placeholder
        if value is not found[0]:
            _, height, size = _measure(value)
        if isinstance(reference, JsonEncodedLocal) and not _is_container(value):
            return placeholder
        if depth + height > self._limits.max_depth or size > self._budget:
            return placeholder
        self._budget -= size
        return value, height, size

    def _resolve(self, name: str) -> None:
        """Fold `name` and the locals it uses, dependencies first (depth-first, iterative)."""
        self._resolving = True
        try:
            visiting = {name}
            stack = [(name, iter(_local_names(self._definitions[name])))]
            while stack:
                current, pending = stack[-1]
                dependency = next(pending, None)
                if dependency is None:
                    stack.pop()
                    visiting.discard(current)
                    definition = self._definitions[current]
                    _, _, size = _measure(definition)
                    self._budget = self._limits.alias_factor * size + self._limits.alias_floor
                    self._folded[current] = self._fold(definition, 0)
                elif (
                    dependency in self._definitions
                    and dependency not in self._folded
                    and dependency not in visiting
                ):
                    visiting.add(dependency)
                    stack.append((dependency, iter(_local_names(self._definitions[dependency]))))
        finally:
            self._resolving = False


def _pick(value: Any, reference: Reference) -> Any:
    """`local.x.a[0]`: the part of a local's value the reference names; None if unknown."""
    if not reference.attribute:
        return value
    if isinstance(value, Reference):  # local.role = aws_iam_role.x; local.role.arn
        joined = (
            f"{value.attribute}.{reference.attribute}" if value.attribute else reference.attribute
        )
        return Reference(value.target, joined, reference.text)
    position = 0
    attribute = reference.attribute
    while position < len(attribute):
        match = _STEP.match(attribute, position)
        if match is None:
            return None
        position = match.end()
        name, number, quoted = match.groups()
        key: Any = (
            name if name is not None else int(number) if number is not None else json.loads(quoted)
        )
        if isinstance(value, dict) and isinstance(key, str) and key in value:
            value = value[key]
            continue
        if not (isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)):
            return None
        value = value[key]
    return value


def _join(template: Template, parts: list[Any]) -> Any:
    """A template's parts once folded: a string when every part is known."""
    out: list[str | Placeholder | Reference] = []
    for original, part in zip(template.parts, parts):
        if isinstance(part, bool):
            part = str(part).lower()
        elif isinstance(part, (int, float)):
            part = str(part)
        if isinstance(part, Template):
            pieces: tuple[Any, ...] = part.parts
        elif isinstance(part, (str, Placeholder, Reference)):
            pieces = (part,)
        else:
            text = (
                original.text if isinstance(original, (Placeholder, Reference)) else str(original)
            )
            pieces = (Placeholder(text),)
        for piece in pieces:
            if isinstance(piece, str) and out and isinstance(out[-1], str):
                out[-1] += piece
            else:
                out.append(piece)
    if len(out) == 1 and isinstance(out[0], str):
        return out[0]
    return Template(tuple(out), template.text)


def _container(value: Any, children: Any, levels: int = 1) -> Folded:
    height = size = 0
    for _, child_height, child_size in children:
        height = max(height, child_height)
        size += child_size
    return value, height + levels, size + 1


def _measure(value: Any) -> Folded:
    """Height and size of a value (iteratively)."""
    height = size = 0
    stack = [(value, 0)]
    while stack:
        current, depth = stack.pop()
        size += 1
        if isinstance(current, dict):
            stack.extend((item, depth + 1) for item in current.values())
        elif isinstance(current, list):
            stack.extend((item, depth + 1) for item in current)
        elif isinstance(current, Choice):
            stack.extend((item, depth) for item in current.branches)
        height = max(height, depth + (1 if isinstance(current, (dict, list)) else 0))
    return value, height, size


def _is_container(value: Any) -> bool:
    if isinstance(value, Choice):
        return all(_is_container(branch) for branch in value.branches)
    return isinstance(value, (dict, list))


def _local_names(value: Any) -> list[str]:
    """The locals a value refers to (iteratively)."""
    names: list[str] = []
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, Reference):
            if current.target.startswith("local."):
                names.append(current.target.removeprefix("local."))
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, Choice):
            stack.extend(current.branches)
        elif isinstance(current, Template):
            stack.extend(current.parts)
        elif isinstance(current, list):
            stack.extend(current)
    return names
