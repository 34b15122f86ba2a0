"""A Terraform plan as JSON (`terraform show -json PLAN`) -> its resources (SPEC §6.2).

The format is HashiCorp's "JSON Output Format"
(https://developer.hashicorp.com/terraform/internals/json-format): a plan is an object
with `format_version` ("1.x"; a later major version may change anything, so it is
refused) and `planned_values`, whose `root_module` holds `resources` and
`child_modules`, each child module holding the same recursively. Each resource has
its absolute `address` (`module.eks.aws_iam_role.nodes[0]`), `mode` (`managed` or
`data`), `type`, `name` and `values`.

- Managed resources come from `planned_values`; data sources from `prior_state` (read
  during planning), or from `planned_values` when their reading waits for the apply.
- `planned_values` omits, or sets to null, what is known only after the apply;
  `resource_changes[*].change.after_unknown` marks those values `true` (for a whole
  attribute or any leaf inside it). Each becomes `Placeholder("(known after apply)")`,
  also where `planned_values` has no key at all — unless the provider alone computes it.
- Provider-computed values. An Optional+Computed attribute that the module leaves unset
  is unknown too: the AWS provider fills `aws_iam_role`'s `inline_policy` and
  `managed_policy_arns` after the apply from the attachment resources
  (`aws_iam_role_policy`, `aws_iam_role_policy_attachment`), which are read apart. As
  placeholders they would be a note on every role that no one can fix. The plan's
  `configuration` section tells them apart: `root_module.resources[*]`, with `address`
  relative to its module and `expressions` holding each attribute and block the module
  writes, child modules under `module_calls[NAME].module`. A top-level attribute of a
  managed resource that is unknown AS A WHOLE and that its `expressions` do not hold is
  absent, not a placeholder. The rule holds for every resource type and attribute, not
  for a list: what the module does not write comes from the provider alone, so the
  files read hold nothing to check or to fix there. What the module sets
  (`managed_policy_arns = [aws_iam_policy.x.arn]`, unknown while that policy is not
  created) stays a placeholder, as do unknown leaves inside a value the plan holds.
  Data sources read during the apply keep every unknown value a placeholder: Terraform
  itself plans them, leaving unknown only what the configuration writes or the data
  source computes, and `expressions` omit `dynamic` blocks, so an unknown `statement`
  not in `expressions` is a `dynamic "statement"`, not a provider's value. Known limit:
  a managed resource's `dynamic` block whose `for_each` is unknown (a `dynamic
  "inline_policy"`) reads as absent too; as a placeholder it would grant nothing
  either, only RL302's note and RL201's "it may be granted by…" are lost. A plan
  instance address (`module.a["k"].module.b[0].aws_iam_role.x[1]`) finds its
  configuration without its instance keys (`module.a.module.b.aws_iam_role.x`). A plan
  without a `configuration` section (written by hand), or a resource it does not show,
  keeps every unknown value a placeholder: reglint cannot tell who sets it, and a
  placeholder is the safe reading (it grants nothing, and says so).
- `IacResource.path` is the path of the resource's `values` in the plan document, so
  positions come from the JSON loader; a value added as a placeholder resolves to its
  nearest ancestor that the file holds.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from reglint.iac.model import IacResource, Placeholder
from reglint.loading.document import ParsedDocument
from reglint.loading.errors import LoadError

__all__ = ["KNOWN_AFTER_APPLY", "is_terraform_plan", "looks_like_plan", "plan_resources"]

KNOWN_AFTER_APPLY = Placeholder("(known after apply)")
_VERSION_1 = re.compile(r"1\.\d+\Z")
# An instance key of a module call or resource: `[0]`, `["a.b"]` (a quoted string may hold
# `]`, `.` or escaped quotes; names never hold `[` or `"`).
_INSTANCE_KEY = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')
DataPath = tuple[Hashable, ...]


def looks_like_plan(data: Any) -> bool:
    """A plan of any format version: `format_version` and `planned_values` (SPEC §6.2)."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("format_version"), str)
        and "planned_values" in data
    )


def is_terraform_plan(data: Any) -> bool:
    """A plan that reglint reads: `format_version` 1.x and a `planned_values` object."""
    return (
        looks_like_plan(data)
        and bool(_VERSION_1.match(data["format_version"]))
        and isinstance(data["planned_values"], dict)
    )


def plan_resources(document: ParsedDocument) -> list[IacResource]:
    """The resources and data sources of a plan document, unknown values as placeholders."""
    data = document.data
    if not is_terraform_plan(data):
        version = data.get("format_version") if isinstance(data, dict) else None
        raise LoadError(
            f"not a Terraform plan that reglint reads (format_version {version!s:.20}; reglint reads 1.x)"
        )
    unknowns = _unknowns(data.get("resource_changes"), _configured(data.get("configuration")))
    found: dict[str, IacResource] = {}
    prior = _get(_get(data, "prior_state"), "values")
    for resource, path in _resources(
        _get(prior, "root_module"), ("prior_state", "values", "root_module")
    ):
        if resource.get("mode") == "data":
            _add(found, resource, path, unknowns)
    planned = _get(data["planned_values"], "root_module")
    for resource, path in _resources(planned, ("planned_values", "root_module")):
        _add(found, resource, path, unknowns)
    return list(found.values())


def _add(
    found: dict[str, IacResource],
    resource: dict[str, Any],
    path: DataPath,
    unknowns: dict[str, Any],
) -> None:
    address, type_name = resource.get("address"), resource.get("type")
    if not isinstance(address, str) or not isinstance(type_name, str) or address in found:
        return
    values = resource.get("values")
    properties = _with_unknowns(values if isinstance(values, dict) else {}, unknowns.get(address))
    found[address] = IacResource(address, type_name, properties, (*path, "values"))


def _resources(root: Any, root_path: DataPath) -> list[tuple[dict[str, Any], DataPath]]:
    """Every resource of a module tree, children after their parent (iteratively)."""
    out: list[tuple[dict[str, Any], DataPath]] = []
    pending = [(root, root_path)]
    while pending:
        module, path = pending.pop(0)
        if not isinstance(module, dict):
            continue
        resources = module.get("resources")
        if isinstance(resources, list):
            out.extend(
                (r, (*path, "resources", i)) for i, r in enumerate(resources) if isinstance(r, dict)
            )
        children = module.get("child_modules")
        if isinstance(children, list):
            pending.extend((child, (*path, "child_modules", i)) for i, child in enumerate(children))
    return out


def _unknowns(changes: Any, configured: dict[str, frozenset[str]] | None) -> dict[str, Any]:
    """address -> `after_unknown` of its change, without what the provider alone computes
    (module docstring)."""
    out: dict[str, Any] = {}
    for change in changes if isinstance(changes, list) else ():
        address = change.get("address") if isinstance(change, dict) else None
        after_unknown = _get(_get(change, "change"), "after_unknown")
        if not isinstance(address, str):
            continue
        written = None if configured is None else configured.get(_INSTANCE_KEY.sub("", address))
        if written is not None and isinstance(after_unknown, dict):
            after_unknown = {
                key: mark
                for key, mark in after_unknown.items()
                if mark is not True or key in written
            }
        if after_unknown not in (None, False, {}):
            out[address] = after_unknown
    return out


def _configured(configuration: Any) -> dict[str, frozenset[str]] | None:
    """Resource address without instance keys -> the attributes and blocks its module
    writes; None without a `configuration` section."""
    root = _get(configuration, "root_module")
    if not isinstance(root, dict):
        return None
    out: dict[str, frozenset[str]] = {}
    pending: list[tuple[Any, str]] = [(root, "")]
    while pending:
        module, prefix = pending.pop()
        if not isinstance(module, dict):
            continue
        resources = module.get("resources")
        for resource in resources if isinstance(resources, list) else ():
            address = _get(resource, "address")
            expressions = resource.get("expressions", {}) if isinstance(resource, dict) else None
            if (
                isinstance(address, str)
                and isinstance(expressions, dict)
                and not address.startswith("data.")  # data sources: module docstring
            ):
                out[prefix + address] = frozenset(expressions)
        calls = module.get("module_calls")
        for name, call in calls.items() if isinstance(calls, dict) else ():
            pending.append((_get(call, "module"), f"{prefix}module.{name}."))
    return out


def _with_unknowns(values: Any, unknown: Any) -> Any:
    """`values` with each value that `unknown` marks `true` made a placeholder."""
    if unknown is True:
        return KNOWN_AFTER_APPLY
    if isinstance(unknown, dict) and (values is None or isinstance(values, dict)):
        merged = dict(values or {})
        for key, mark in unknown.items():
            if mark is not False and mark is not None:
                merged[key] = _with_unknowns(merged.get(key), mark)
        return merged
    if isinstance(unknown, list) and (values is None or isinstance(values, list)):
        items = list(values or [])
        for index, mark in enumerate(unknown):
            if mark is False or mark is None:
                continue
            if index < len(items):
                items[index] = _with_unknowns(items[index], mark)
            else:
                items.append(_with_unknowns(None, mark))
        return items
    return values


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None
