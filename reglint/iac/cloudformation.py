"""CloudFormation templates read into `IacResource`s (SPEC §6.2).

`read_template(data)` takes a parsed template — YAML read with `short_forms=True` (see
cfn_sniff.py for when), or JSON, `cdk.out/*.template.json` included — and returns every
resource of its `Resources`, in the order written: the logical ID as address, the
`Type`, the `Properties` with their intrinsics evaluated (cfn_intrinsics.py), and the
path of the properties in the document. What it could not read is a `Note`:

- an entry of `Resources` that is no mapping with a literal `Type` (skipped), or a
  `Fn::ForEach::…` loop (AWS::LanguageExtensions; the resources it makes are skipped);
- `Properties` that are no mapping once evaluated (an `Fn::If` between two property
  sets, an `Fn::Transform`): the resource is kept, with no properties;
- a `Transform` other than AWS::LanguageExtensions (SAM…): the resources it generates
  are not in the template;
- the evaluator's notes (undeclared names, nesting bounds).

A resource's `Condition` (created only when true) is not read: a linked role's rights
count whether or not their resource is created.

Positions: `CfnTemplate.positions(resource, document.positions, base)` gives the
positions of the evaluated properties below `base` (for a policy document, its
`PolicySource.path`), exact even where `AWS::NoValue` removed a list item or a path
steps into an `Fn::If` branch (cfn_origins.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from reglint.iac.cfn_intrinsics import Evaluator, Scope, mappings_by_name
from reglint.iac.cfn_origins import EvaluatedPositions, Origin
from reglint.iac.cfn_values import Note, short
from reglint.iac.model import DataPath, IacResource
from reglint.loading.positions import Positions

__all__ = ["CfnTemplate", "read_template"]

_FOR_EACH = "Fn::ForEach::"
_PLAIN_TRANSFORMS = frozenset({"AWS::LanguageExtensions"})  # they generate no resources


class CfnTemplate(NamedTuple):
    """What a template holds, as reglint reads it."""

    resources: tuple[IacResource, ...]
    origins: Mapping[str, Origin]  # by address, where evaluation moved values (else absent)
    notes: tuple[Note, ...]

    def positions(self, resource: IacResource, inner: Positions, base: DataPath = ()) -> Positions:
        """Positions of `resource`'s evaluated properties below `base`, from the document's."""
        origin = self.origins.get(resource.address) or Origin(resource.path, {})
        return EvaluatedPositions(inner, origin, base)


def read_template(data: Any) -> CfnTemplate:
    """The resources of a parsed CloudFormation template."""
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return CfnTemplate((), {}, (Note((), "the template has no Resources mapping"),))
    declared: dict[str, Any] = data["Resources"]
    evaluator = Evaluator(_scope(data))
    notes: list[Note] = _transform_notes(data.get("Transform"))
    resources: list[IacResource] = []
    origins: dict[str, Origin] = {}
    for address, body in declared.items():
        at: DataPath = ("Resources", address)
        if isinstance(address, str) and address.startswith(_FOR_EACH):
            notes.append(Note(at, f"{short(address)} makes resources that reglint does not read"))
            continue
        kind = body.get("Type") if isinstance(body, dict) else None
        if not isinstance(address, str) or not isinstance(kind, str):
            notes.append(Note(at, f"resource {short(str(address))} has no literal Type: not read"))
            continue
        path: DataPath = (*at, "Properties")
        properties, origin = evaluator.evaluate(body.get("Properties") or {}, path)
        if not isinstance(properties, dict):
            notes.append(
                Note(path, f"the Properties of {short(address)} are unknown until deployed")
            )
            properties, origin = {}, None
        resources.append(IacResource(address, kind, properties, path))
        if origin is not None:
            origins[address] = origin
    return CfnTemplate(tuple(resources), origins, (*notes, *evaluator.notes))


def _scope(data: dict[Any, Any]) -> Scope:
    parameters = data.get("Parameters")
    mappings = data.get("Mappings")
    return Scope(
        parameters=frozenset(name for name in parameters if isinstance(name, str))
        if isinstance(parameters, dict)
        else frozenset(),
        resources=frozenset(name for name in data["Resources"] if isinstance(name, str)),
        mappings=mappings_by_name(mappings) if isinstance(mappings, dict) else {},
    )


def _transform_notes(transform: Any) -> list[Note]:
    names = (
        transform if isinstance(transform, list) else [transform] if transform is not None else []
    )
    return [
        Note(
            ("Transform",),
            f"Transform {short(str(name))} may add resources that reglint does not read",
        )
        for name in names
        if name not in _PLAIN_TRANSFORMS
    ]
