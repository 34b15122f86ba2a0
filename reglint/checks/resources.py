"""RL107 resource-limits (SPEC §2): quantities, requests within limits, missing limits.

Quantities are valued as Kubernetes values them (model/quantity.py), so "above its
limit, Kubernetes rejects the pod" is said only of pairs the API server rejects.

Decisions where the SPEC is silent:

- "invalid" is said only of what Kubernetes rejects (not a quantity, negative). What it
  accepts but is likely a typo (`512m` memory, CPU finer than 1m, a number without
  digits) is "likely typo", and its value still takes part in the comparison.
- A missing limit is reported on the mapping that lacks it (`limits`, else `resources`,
  else `spec`).
- One finding per node: the problems of one node (a likely typo and a request above
  its limit at `requests.cpu`; no cpu and no memory limit at `limits`) are joined into
  one message, their identities joined with `+`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from reglint.checks.base import CheckSettings
from reglint.loading.document import DataPath, Document, Problem
from reglint.model.quantity import InvalidQuantity, Quantity, ResourceName, parse_resource_quantity
from reglint.model.service import RegistryService, manifest_service

__all__ = ["check_resources"]


def _quantity(
    raw: object, resource: ResourceName, kind: str
) -> tuple[Quantity | None, Problem | None]:
    """The quantity (None when absent or unusable) and its RL107 problem, if any."""
    if raw is None:
        return None, None
    parsed = parse_resource_quantity(resource, raw)
    path = ("spec", "resources", f"{kind}s", resource.value)
    # The identity keeps its pre-"likely typo" form: fingerprints stay stable.
    identity = f"invalid-{kind}.{resource.value}:{parsed.text}"
    if isinstance(parsed, InvalidQuantity):
        what = "invalid" if parsed.kubernetes_rejects else "likely typo in"
        return None, Problem(
            "RL107",
            f"{what} {resource.value} {kind}: {parsed.message}",
            path=path,
            identity=identity,
        )
    if parsed.doubt is not None:
        doubt = Problem(
            "RL107",
            f"likely typo in {resource.value} {kind}: {parsed.doubt}",
            path=path,
            identity=identity,
        )
        return parsed, doubt
    return parsed, None


def _above_limit(request: Quantity, limit: Quantity, resource: ResourceName) -> Problem:
    exact = ""
    if request.suffix != limit.suffix or request.doubt or limit.doubt:  # show why it is bigger
        exact = f" ({request.plain} > {limit.plain} {resource.unit})"
    return Problem(
        "RL107",
        f"{resource.value} request '{request}' is above its limit '{limit}'{exact}, "
        "so Kubernetes rejects the pod: lower the request or raise the limit",
        path=("spec", "resources", "requests", resource.value),
        identity=f"request-above-limit.{resource.value}",
    )


def _missing_limits(service: RegistryService, missing: list[ResourceName]) -> Problem:
    resources = service.resources
    where: DataPath = ("spec",)
    if resources.limits_given:
        where = ("spec", "resources", "limits")
    elif resources.given:
        where = ("spec", "resources")
    environment = (
        f"environment '{service.environment}'"
        if service.environment
        else "no environment, so operational"
    )
    examples = {ResourceName.CPU: '"1"', ResourceName.MEMORY: "1Gi"}
    absent = " and ".join(f"no {r.value} limit" for r in missing)
    fixes = " and ".join(
        f"spec.resources.limits.{r.value} (for example {examples[r]})" for r in missing
    )
    return Problem(
        "RL107",
        f"the service ({environment}) has {absent}: set {fixes} so that a busy push cannot "
        "starve its node",
        path=where,
        identity="+".join(f"missing-limit.{r.value}" for r in missing),
    )


def check_resources(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL107: valid quantities, requests within limits, limits on operational services."""
    service = manifest_service(document)
    found: list[Problem] = []
    missing: list[ResourceName] = []
    for resource in ResourceName:
        request, request_problem = _quantity(
            service.resources.requests.get(resource.value), resource, "request"
        )
        raw_limit = service.resources.limits.get(resource.value)
        limit, limit_problem = _quantity(raw_limit, resource, "limit")
        found += [p for p in (request_problem, limit_problem) if p is not None]
        if request is not None and limit is not None and request > limit:
            found.append(_above_limit(request, limit, resource))
        if raw_limit is None and service.operational:
            missing.append(resource)
    if missing:
        found.append(_missing_limits(service, missing))
    yield from _one_per_node(found)


def _one_per_node(problems: Iterable[Problem]) -> Iterator[Problem]:
    """Join the problems that sit at one node into one, in order (module docstring)."""
    by_node: dict[DataPath, list[Problem]] = {}
    for problem in problems:
        by_node.setdefault(problem.path, []).append(problem)
    for group in by_node.values():
        yield replace(
            group[0],
            message="; ".join(p.message for p in group),
            identity="+".join(p.identity for p in group),
        )
