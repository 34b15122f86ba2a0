"""CloudFormation's intrinsic functions evaluated as far as the template alone allows
(SPEC §6.2). What each becomes:

- `Ref` to a parameter or a pseudo parameter (`AWS::AccountId`, `AWS::Region`,
  `AWS::Partition`, `AWS::URLSuffix`, `AWS::StackName`, `AWS::StackId`,
  `AWS::NotificationARNs`): `Placeholder("${Name}")`. A parameter's `Default` is not
  used: a stack's parameters are set per deployment (console, pipelines,
  `--parameter-overrides`), the default only when none is given.
- `Ref` to a resource: `Reference(Id, "", "${Id}")`; `Fn::GetAtt` (`[Id, Attr]`, or
  `"Id.Attr"`, split at the first dot): `Reference(Id, Attr, "${Id.Attr}")`.
- `Ref AWS::NoValue`: the property or list item is removed; as a branch, `ABSENT`.
- `Fn::Sub` (both forms) and `Fn::Join`: a string, or a `Template` (cfn_strings.py).
- `Fn::If`: a `Choice` of both branches (the condition is never decided: parameters are
  unknown); one value when both branches are equal. Nested more than 8 deep: a
  placeholder.
- `Fn::Select`, `Fn::Split`: evaluated when their arguments are literal (a `Choice` is
  evaluated per branch), else a placeholder.
- `Fn::FindInMap`: the value in `Mappings` when the map name and both keys are literal
  (AWS::LanguageExtensions' `DefaultValue` when a key is missing), else a placeholder.
- `Fn::ImportValue`, `Fn::GetAZs`, `Fn::Base64`, `Fn::Cidr`, `Fn::Transform`,
  `Fn::GetStackOutput`, `Fn::Length`, `Fn::ToJsonString`, condition functions and any
  other `Fn::…`: a `Placeholder` with their text (`!ImportValue SharedRepoArn`).
- A name the template does not declare (`Ref`, `Fn::GetAtt`, `${Name}` in `Fn::Sub`)
  is a placeholder, and a note says so.

A mapping is an intrinsic when its one key is `Ref` or `Fn::…`; `{Condition: …}` is
data in properties (a policy statement may hold only a Condition). Values nested more
than `MAX_DEPTH` levels inside a resource's properties are placeholders, so evaluation
never recurses without bound; each node is evaluated once (aliases share nodes, which
the YAML loader's alias budget bounds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from reglint.iac.cfn_origins import Origin
from reglint.iac.cfn_strings import concatenate, sub_pieces
from reglint.iac.cfn_values import (
    MAX_CHOICES,
    MAX_DEPTH,
    MAX_IF_NESTING,
    Note,
    alternatives,
    short,
    written,
)
from reglint.iac.model import ABSENT, Choice, DataPath, Placeholder, Reference

__all__ = ["PSEUDO_PARAMETERS", "Evaluator", "Scope", "mappings_by_name"]

PSEUDO_PARAMETERS = frozenset(
    f"AWS::{name}"
    for name in (
        "AccountId",
        "NotificationARNs",
        "Partition",
        "Region",
        "StackId",
        "StackName",
        "URLSuffix",
    )
)
_NO_VALUE = "AWS::NoValue"
_MAX_NOTES = 100
_Result = tuple[Any, Origin | None]  # a value and where it comes from (None: its own path)


class Scope(NamedTuple):
    """What a template declares that intrinsics name."""

    parameters: frozenset[str]
    resources: frozenset[str]
    mappings: Mapping[str, Any]  # see `mappings_by_name`


def mappings_by_name(mappings: Mapping[Any, Any]) -> dict[str, Any]:
    """A template's `Mappings` with every key of its three levels as CloudFormation reads
    it, a string: YAML reads `123456789012:` as a number, `true:` as a boolean."""

    def named(level: Any) -> Any:
        if not isinstance(level, dict):
            return level
        return {_key_text(key): value for key, value in level.items() if _key_text(key) is not None}

    return {
        name: {top: named(second) for top, second in named(level).items()}
        if isinstance(level, dict)
        else level
        for name, level in named(mappings).items()
    }


def _key_text(key: Any) -> str | None:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key) if isinstance(key, int) else None


class Evaluator:
    """Evaluates the intrinsics of one template's values; collects notes on the way."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.notes: list[Note] = []

    def evaluate(self, value: Any, path: DataPath) -> _Result:
        """`value` (found at `path` in the document) with its intrinsics evaluated."""
        return self._value(value, path, 0, 0)

    def note(self, path: DataPath, message: str) -> None:
        if len(self.notes) < _MAX_NOTES and all(note.message != message for note in self.notes):
            self.notes.append(Note(path, message))

    def _value(self, value: Any, path: DataPath, depth: int, ifs: int) -> _Result:
        if depth > MAX_DEPTH:
            self.note(path, f"values nested deeper than {MAX_DEPTH} levels are read as unknown")
            return Placeholder("(nested too deep)"), None
        if isinstance(value, dict):
            if len(value) == 1:
                key = next(iter(value))
                if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
                    function = _FUNCTIONS.get(key)
                    if function is None:  # known only at deploy time, or not at all
                        return Placeholder(written(key, value[key])), None
                    return function(self, value[key], path, (*path, key), (depth + 1, ifs))
            mapping: dict[Any, Any] = {}
            moved: dict[Any, Origin] = {}
            for key, item in value.items():
                result, origin = self._value(item, (*path, key), depth + 1, ifs)
                if result is ABSENT:
                    continue
                mapping[key] = result
                if origin is not None:
                    moved[key] = origin
            return mapping, Origin(path, moved) if moved else None
        if isinstance(value, list):
            items: list[Any] = []
            shifted: dict[Any, Origin] = {}
            for index, item in enumerate(value):
                result, origin = self._value(item, (*path, index), depth + 1, ifs)
                if result is ABSENT:
                    continue
                if origin is not None or len(items) != index:
                    shifted[len(items)] = origin or Origin((*path, index), {})
                items.append(result)
            return items, Origin(path, shifted) if shifted else None
        return value, None

    def _argument(self, value: Any, at: DataPath, level: tuple[int, int]) -> Any:
        return self._value(value, at, *level)[0]

    def _ref(self, name: Any, path: DataPath, at: DataPath, level: tuple[int, int]) -> _Result:
        if not isinstance(name, str):
            return Placeholder(written("Ref", name)), None
        if name == _NO_VALUE:
            return ABSENT, None
        if not self._declares(name):
            self.note(at, f"Ref names {short(name)!r}, which the template does not declare")
        return self._named(name, at), None

    def _declares(self, name: str) -> bool:
        scope = self.scope
        return name in scope.resources or name in scope.parameters or name in PSEUDO_PARAMETERS

    def _named(self, name: str, at: DataPath) -> Placeholder | Reference:
        """The value of a name (`Ref`, or `${Name}` in `Fn::Sub`)."""
        text = "${" + short(name) + "}"
        if name in self.scope.resources:
            return Reference(name, "", text)
        resource, dot, attribute = name.partition(".")
        if dot and resource in self.scope.resources:
            return Reference(resource, attribute, text)
        return Placeholder(text)

    def _get_att(
        self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]
    ) -> _Result:
        names = (
            argument.split(".", 1)
            if isinstance(argument, str)
            else self._argument(argument, at, level)
        )
        text = written("Fn::GetAtt", argument)
        if (
            isinstance(names, list)
            and len(names) == 2
            and all(isinstance(name, str) for name in names)
        ):
            if names[0] in self.scope.resources:
                return Reference(names[0], names[1], "${" + short(".".join(names)) + "}"), None
            self.note(
                at, f"Fn::GetAtt names {short(names[0])!r}, which is no resource of the template"
            )
        return Placeholder(text), None

    def _sub(self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]) -> _Result:
        text = written("Fn::Sub", argument)
        variables: dict[Any, Any] = {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            evaluated = self._argument(argument[1], (*at, 1), level)
            variables = evaluated if isinstance(evaluated, dict) else {}
            argument = argument[0]
        if not isinstance(argument, str):
            return Placeholder(text), None

        def lookup(name: str) -> Any:
            if name in variables:
                return variables[name]
            known = self._named(name, at)
            if isinstance(known, Placeholder) and not self._declares(name):
                escape = (
                    f" (an IAM policy variable is written ${{!{short(name)}}})"
                    if ":" in name
                    else ""
                )
                self.note(
                    at,
                    f"Fn::Sub names ${{{short(name)}}}, which the template does not declare{escape}",
                )
            return known

        return concatenate(sub_pieces(argument, lookup), "", text, join=False), None

    def _join(self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]) -> _Result:
        text = written("Fn::Join", argument)
        if not isinstance(argument, list) or len(argument) != 2:
            return Placeholder(text), None
        separator = self._argument(argument[0], (*at, 0), level)
        options = alternatives(self._argument(argument[1], (*at, 1), level))
        if not isinstance(separator, str) or len(options) > MAX_CHOICES:
            return Placeholder(text), None
        if not all(isinstance(items, list) for items in options):  # `!Ref ListParameter`
            return Placeholder(text), None
        return _one_of(
            [concatenate(items, separator, text, join=True) for items in options], text
        ), None

    def _if(self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]) -> _Result:
        text = written("Fn::If", argument)
        depth, ifs = level
        if not isinstance(argument, list) or len(argument) != 3:
            return Placeholder(text), None
        if ifs >= MAX_IF_NESTING:
            self.note(
                at, f"Fn::If nested more than {MAX_IF_NESTING} levels deep is read as unknown"
            )
            return Placeholder(text), None
        branches: list[Any] = []
        moved: dict[Any, Origin] = {}
        for index in (1, 2):
            value, origin = self._value(argument[index], (*at, index), depth, ifs + 1)
            branches.append(value)
            moved[index - 1] = origin or Origin((*at, index), {})
        if branches[0] == branches[1]:
            return branches[0], moved[0]
        return Choice(tuple(branches), text), Origin(path, moved)

    def _select(
        self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]
    ) -> _Result:
        text = written("Fn::Select", argument)
        if not isinstance(argument, list) or len(argument) != 2:
            return Placeholder(text), None
        index = _index(self._argument(argument[0], (*at, 0), level))
        options = alternatives(self._argument(argument[1], (*at, 1), level))
        if index is None or len(options) > MAX_CHOICES:
            return Placeholder(text), None
        if not all(isinstance(items, list) and index < len(items) for items in options):
            return Placeholder(text), None
        return _one_of([items[index] for items in options], text), None

    def _split(
        self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]
    ) -> _Result:
        text = written("Fn::Split", argument)
        if not isinstance(argument, list) or len(argument) != 2:
            return Placeholder(text), None
        separator = self._argument(argument[0], (*at, 0), level)
        options = alternatives(self._argument(argument[1], (*at, 1), level))
        if not isinstance(separator, str) or not separator or len(options) > MAX_CHOICES:
            return Placeholder(text), None
        if not all(isinstance(source, str) for source in options):
            return Placeholder(text), None
        return _one_of([source.split(separator) for source in options], text), None

    def _find_in_map(
        self, argument: Any, path: DataPath, at: DataPath, level: tuple[int, int]
    ) -> _Result:
        text = written("Fn::FindInMap", argument)
        if not isinstance(argument, list) or len(argument) not in (3, 4):
            return Placeholder(text), None
        keys = [self._argument(key, (*at, index), level) for index, key in enumerate(argument[:3])]
        if not all(isinstance(key, str) for key in keys):
            return Placeholder(text), None
        found: Any = self.scope.mappings
        for key in keys:
            found = found.get(key, _MISSING) if isinstance(found, dict) else _MISSING
        if found is not _MISSING:
            return found, None
        options = self._argument(argument[3], (*at, 3), level) if len(argument) == 4 else None
        if isinstance(options, dict) and "DefaultValue" in options:
            return options["DefaultValue"], None
        self.note(at, f"Fn::FindInMap finds no {short('/'.join(keys))} in Mappings")
        return Placeholder(text), None


_Function = Callable[[Evaluator, Any, DataPath, DataPath, tuple[int, int]], _Result]
_FUNCTIONS: dict[str, _Function] = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::If": Evaluator._if,
    "Fn::Select": Evaluator._select,
    "Fn::Split": Evaluator._split,
    "Fn::FindInMap": Evaluator._find_in_map,
}
_MISSING: Any = object()


def _index(value: Any) -> int | None:
    """A literal list index: an integer, or a string of at most 6 ASCII digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and 0 < len(value) <= 6 and value.isascii() and value.isdigit():
        return int(value)
    return None


def _one_of(results: list[Any], text: str) -> Any:
    """One value, or a `Choice` of the different ones."""
    unique: list[Any] = []
    for result in results:
        if result not in unique:
            unique.append(result)
    return unique[0] if len(unique) == 1 else Choice(tuple(unique), text)
