"""The IAM and ECR policy documents that CloudFormation resources hold (SPEC §6.2).

| Resource type                                     | Document (in Properties)    | Type           |
|---------------------------------------------------|-----------------------------|----------------|
| `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy` | `PolicyDocument` | identity |
| `AWS::IAM::Role`                                  | `AssumeRolePolicyDocument`  | trust          |
| `AWS::IAM::Role`, `User`, `Group`                 | `Policies[i].PolicyDocument`| identity       |
| `AWS::ECR::Repository`                            | `RepositoryPolicyText`      | ecr-repository |
| `AWS::ECR::RegistryPolicy`                        | `PolicyText`                | ecr-registry   |
| `AWS::ECR::RepositoryCreationTemplate`            | `RepositoryPolicy`          | ecr-repository |

A document may be an object or a JSON string. A string — literal, or a `Template` that
`Fn::Sub` or `Fn::Join` built — is parsed here as strict JSON (no NaN, at most
`MAX_DEPTH` levels), and an unknown value inside one of its strings stays unknown
(`"Resource": "arn:aws:ecr:${AWS::Region}:…"` becomes a `Template`; a key becomes the
text it is written as). Values read from a string are positioned at the string (its own
span: a path into them ends there). A string that is not a JSON object, or JSON with an
unknown value outside its strings (`"Resource": ${Arns}`), is returned as it is, for the
caller to report as a policy it cannot read; so is a placeholder (`!ImportValue X`).
The resource's `properties` keep the string as the template writes it.

Where a document, or a property on the way to it, is an `Fn::If`, each branch is a
document of its own, its path stepping into the `Choice` by branch index (see
cfn_origins.py); a branch `AWS::NoValue` holds no document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple, NoReturn

from reglint.iac.cfn_strings import concatenate
from reglint.iac.cfn_values import MAX_DEPTH
from reglint.iac.model import Absent, Choice, DataPath, IacResource, Template
from reglint.loading.document import PolicyType, nests_deeper_than

__all__ = ["PolicySource", "as_policy_data", "policy_documents"]

_ANY = None  # a step that takes every item of a list
_Steps = tuple[str | None, ...]
_IDENTITY: tuple[tuple[_Steps, PolicyType], ...] = ((("PolicyDocument",), PolicyType.IDENTITY),)
_INLINE: tuple[tuple[_Steps, PolicyType], ...] = (
    (("Policies", _ANY, "PolicyDocument"), PolicyType.IDENTITY),
)
_LOCATIONS: dict[str, tuple[tuple[_Steps, PolicyType], ...]] = {
    "AWS::IAM::Policy": _IDENTITY,
    "AWS::IAM::ManagedPolicy": _IDENTITY,
    "AWS::IAM::RolePolicy": _IDENTITY,
    "AWS::IAM::UserPolicy": _IDENTITY,
    "AWS::IAM::GroupPolicy": _IDENTITY,
    "AWS::IAM::Role": ((("AssumeRolePolicyDocument",), PolicyType.TRUST), *_INLINE),
    "AWS::IAM::User": _INLINE,
    "AWS::IAM::Group": _INLINE,
    "AWS::ECR::Repository": ((("RepositoryPolicyText",), PolicyType.ECR_REPOSITORY),),
    "AWS::ECR::RegistryPolicy": ((("PolicyText",), PolicyType.ECR_REGISTRY),),
    "AWS::ECR::RepositoryCreationTemplate": ((("RepositoryPolicy",), PolicyType.ECR_REPOSITORY),),
}
# Stand-ins for unknown values while a Template's text is parsed as JSON: private-use
# characters, refused in the template's own text.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_OPEN}([0-9]+){_MARK_CLOSE}")


class PolicySource(NamedTuple):
    """One policy document of a resource."""

    path: DataPath  # in the resource's evaluated properties (`("Policies", 0, "PolicyDocument")`)
    policy_type: PolicyType
    data: Any  # the policy as data; anything else when it cannot be read as one
    text_length: int | None  # characters of a literal JSON string as sent; None otherwise


def policy_documents(resource: IacResource) -> list[PolicySource]:
    """The policy documents `resource` holds, in the order of the table above."""
    found: list[PolicySource] = []
    for steps, policy_type in _LOCATIONS.get(resource.type, ()):
        for path, value in _located(resource.properties, steps, ()):
            data, length = _as_data(value)
            found.append(PolicySource(path, policy_type, data, length))
    return found


def _located(value: Any, steps: _Steps, path: DataPath) -> Iterator[tuple[DataPath, Any]]:
    """The values at `steps` below `value`, each branch of a `Choice` on the way apart.

    Recursion: one level per step and per nested `Choice` (Fn::If nests at most 8 deep)."""
    if isinstance(value, Choice):
        for index, branch in enumerate(value.branches):
            yield from _located(branch, steps, (*path, index))
        return
    if isinstance(value, Absent):
        return
    if not steps:
        yield path, value
        return
    step, rest = steps[0], steps[1:]
    if step is _ANY:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _located(item, rest, (*path, index))
    elif isinstance(value, dict) and step in value:
        yield from _located(value[step], rest, (*path, step))


def as_policy_data(value: Any) -> tuple[Any, int | None]:
    """A document as data, and the length of its text when it is a literal string: JSON
    text (a string, or a `Template` of JSON text with unknown values in its strings) is
    parsed; anything else, or text that is no JSON object, is returned as it is."""
    return _as_data(value)


def _as_data(value: Any) -> tuple[Any, int | None]:
    """A document as data, and the length of its text when it is a literal string."""
    if isinstance(value, str):
        parsed = _parse(value)
        return (value if parsed is None else parsed), len(value)
    if isinstance(value, Template):
        parsed = _parse_template(value)
        return (value if parsed is None else parsed), None
    return value, None


class _NonFinite(ValueError):
    """NaN or Infinity: JSON has no such numbers, and AWS refuses them."""


def _reject(name: str) -> NoReturn:
    raise _NonFinite(name)


def _parse(text: str) -> dict[str, Any] | None:
    """A JSON object, or None when `text` is not one (or nests deeper than MAX_DEPTH)."""
    try:
        data = json.loads(text, parse_constant=_reject)
    except (ValueError, RecursionError):  # JSONDecodeError, _NonFinite and too many digits too
        return None
    if not isinstance(data, dict) or nests_deeper_than(data, MAX_DEPTH):
        return None
    return data


def _parse_template(template: Template) -> dict[str, Any] | None:
    """The policy that a Template's text makes, its unknown values kept where they sit."""
    unknown: list[Any] = []
    text: list[str] = []
    for part in template.parts:
        if isinstance(part, str):
            if _MARK_OPEN in part:
                return None
            text.append(part)
        else:
            text.append(f"{_MARK_OPEN}{len(unknown)}{_MARK_CLOSE}")
            unknown.append(part)
    data = _parse("".join(text))
    return None if data is None else _restored(data, unknown, template.text)


def _restored(data: dict[str, Any], unknown: list[Any], text: str) -> dict[str, Any]:
    """`data` with each marked string made the value it stands for (in place, iteratively)."""

    def value(string: str) -> Any:
        if _MARK_OPEN not in string:
            return string
        pieces = _MARK.split(string)  # literal, index, literal, index, …, literal
        return concatenate(
            [unknown[int(p)] if i % 2 else p for i, p in enumerate(pieces)], "", text, join=False
        )

    def key(name: str) -> str:
        return _MARK.sub(lambda match: str(unknown[int(match[1])].text), name)

    stack: list[Any] = [data]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            items = [(key(k) if _MARK_OPEN in k else k, v) for k, v in container.items()]
            container.clear()
            for name, item in items:
                container[name] = value(item) if isinstance(item, str) else item
                if isinstance(item, (dict, list)):
                    stack.append(item)
        else:
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = value(item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return data
