"""RL301 registry-namespace-collision (SPEC §2).

A service's namespace is the string every image it pushes starts with
(`host/path/` + `imagePrefix`, see `RegistryNamespace`). Equal namespaces collide
(error); one that is a proper string prefix of another overlaps (warning). Only
services that must stay apart are compared: services of different systems (tenant +
system), or the user and system registries of one system.

Found by hashing, never by comparing every pair: namespaces are grouped by their text,
and for overlaps each namespace looks up each of its own proper prefixes in that
table — O(n·L) for n services with namespaces of at most L characters.

Messages: one finding per service, naming the others with the `path:line` of their
`url` (where `related` points); an equal and an overlapping clash of one service are
one error naming both; tenants are named when the services span more than one.

Services come from every source (`Project.services()`): an MLRun system's
`mlrun-builder` service takes part at its registry URL setting, so a Helm values file
and a manifest that push into one namespace collide. An in-cluster MLRun registry
(`local`) is compared within its own system only: each cluster has its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.checks.systems import listing, where_site
from reglint.findings import Severity
from reglint.loading.document import Problem, RelatedRef
from reglint.model.service import ServiceRole
from reglint.project import Project, Site, reported_site


class Entry(NamedTuple):
    """A service with a valid namespace."""

    url: Site  # where its namespace is written: its related locations point here
    namespace: str
    system: tuple[str, str]  # (tenant, system)
    role: ServiceRole | None
    name: str
    report: Site | None = None  # where its own finding sits: `url`, else a reported file of it
    local: bool = False  # an in-cluster registry: apart from every other system's


@dataclass(slots=True)
class Clashes:
    equal: dict[Entry, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    overlapping: dict[Entry, list[Entry]] = field(default_factory=lambda: defaultdict(list))


def must_stay_apart(a: Entry, b: Entry) -> bool:
    """Different systems (unless one is in a cluster of its own), or the user and the
    system registry of one system."""
    if a.system != b.system:
        return not (a.local or b.local)
    return {a.role, b.role} == {ServiceRole.USER, ServiceRole.SYSTEM}


def find_clashes(entries: list[Entry]) -> Clashes:
    """Equal and overlapping namespaces among `entries`, by hashing."""
    by_text: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_text[entry.namespace].append(entry)
    clashes = Clashes()
    for group in by_text.values():
        for entry in group:
            others = [o for o in group if o is not entry and must_stay_apart(entry, o)]
            if others:
                clashes.equal[entry].extend(others)
    for entry in entries:
        text = entry.namespace
        # Every proper prefix of a namespace that is itself a namespace; the registry
        # part (up to the first `/`) is in every namespace, so start after it.
        for end in range(text.index("/") + 1, len(text)):
            shorter = by_text.get(text[:end])
            if shorter is None:
                continue
            for other in shorter:
                if must_stay_apart(entry, other):
                    clashes.overlapping[entry].append(other)
                    clashes.overlapping[other].append(entry)
    return clashes


def _entries(project: Project) -> list[Entry]:
    entries = []
    for service in project.services():
        view, namespace = service.view, service.namespace
        if namespace is None or view.system is None or service.url is None:
            continue
        report = reported_site(service.url, service.namespace_sites)
        entries.append(
            Entry(
                service.url, namespace.text, (view.tenant, view.system), view.role, view.name or "?",
                report, service.local,
            )
        )  # fmt: skip
    return entries


def _tenant(entry: Entry, tenants: bool) -> str:
    return f" of tenant '{entry.system[0]}'" if tenants else ""


def _describe(entry: Entry, settings: CheckSettings, tenants: bool) -> str:
    """`service 'n' of system 's'[ of tenant 't'] (path:line)`: the line of its `url`,
    where its related location points."""
    where_ = where_site(entry.url, settings)
    return f"service '{entry.name}' of system '{entry.system[1]}'{_tenant(entry, tenants)} ({where_})"


def _owner(entry: Entry, settings: CheckSettings, tenants: bool, own: Entry) -> str:
    """Who owns a namespace in an overlap message: the reported service itself is named
    only when tenants are (its own file is the finding's)."""
    if entry is own:
        return f" (system '{entry.system[1]}'{_tenant(entry, tenants)})" if tenants else ""
    where_ = where_site(entry.url, settings)
    return f" (service '{entry.name}' of system '{entry.system[1]}'{_tenant(entry, tenants)}, {where_})"


def _names_tenants(entry: Entry, others: list[Entry]) -> bool:
    """Tenants are named when the services belong to more than one: the same system name
    in two tenants is two systems ("system 'gamma' of tenant 'a'")."""
    return any(o.system[0] != entry.system[0] for o in others)


def _related(others: list[Entry], settings: CheckSettings, tenants: bool) -> tuple[RelatedRef, ...]:
    return tuple(
        RelatedRef(o.url.document, o.url.path, f"{_describe(o, settings, tenants)} pushes to '{o.namespace}'", o.url.on_key)
        for o in others
    )


def check_namespace_collisions(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL301: one finding per service that clashes; an equal namespace (error) and an
    overlapping one (warning) of the same service make one error naming both."""
    clashes = find_clashes(_entries(project))
    for entry in dict.fromkeys([*clashes.equal, *clashes.overlapping]):
        if entry.report is None:
            continue  # none of its files is reported in this run
        found = []
        if entry in clashes.equal:
            found.append(_equal(entry, clashes.equal[entry], settings))
        if entry in clashes.overlapping:
            found.append(_overlap(entry, clashes.overlapping[entry], settings))
        yield found[0] if len(found) == 1 else _joined(*found)


def _joined(equal: Problem, overlap: Problem) -> Problem:
    """The equal clash (an error) naming the overlap too; related: both, once each."""
    seen = {(ref.document, ref.path) for ref in equal.related}
    return replace(
        equal,
        message=f"{equal.message}; and {overlap.message}",
        related=equal.related + tuple(r for r in overlap.related if (r.document, r.path) not in seen),
        identity=f"{equal.identity}+{overlap.identity}",
    )


def _equal(entry: Entry, others: list[Entry], settings: CheckSettings) -> Problem:
    tenants = _names_tenants(entry, others)
    names = listing([_describe(o, settings, tenants) for o in others])
    own = f" of system '{entry.system[1]}'{_tenant(entry, tenants)}" if tenants else ""
    return Problem(
        "RL301",
        f"namespace '{entry.namespace}'{own} is also the namespace of {names}: their images "
        "overwrite each other; give each a different URL path or imagePrefix "
        "(for example '<registry>/<unique-name>')",
        path=_at(entry).path,
        on_key=_at(entry).on_key,
        document=_at(entry).document,
        related=_related(others, settings, tenants),
        identity=f"equal:{entry.namespace}",
    )


def _overlap(entry: Entry, others: list[Entry], settings: CheckSettings) -> Problem:
    unique = list({id(o): o for o in others}.values())
    tenants = _names_tenants(entry, unique)
    parts = []
    for other in unique:
        shorter, longer = sorted((entry, other), key=lambda e: len(e.namespace))
        parts.append(
            f"'{shorter.namespace}'{_owner(shorter, settings, tenants, entry)} is a prefix of "
            f"'{longer.namespace}'{_owner(longer, settings, tenants, entry)}"
        )
    return Problem(
        "RL301",
        f"namespaces overlap: {listing(parts)}: the shorter namespace's owner can push "
        "images whose names land in the other's space; choose URL paths or imagePrefixes "
        "where neither namespace starts with the other (for example 'ml-dev-' and 'ml-prod-')",
        path=_at(entry).path,
        on_key=_at(entry).on_key,
        document=_at(entry).document,
        severity=Severity.WARNING,
        related=_related(unique, settings, tenants),
        identity=f"overlap:{entry.namespace}",
    )


def _at(entry: Entry) -> Site:
    """Where an entry's finding sits: its reported site."""
    return entry.report or entry.url


COLLISION_CHECK = ProjectCheck("namespace-collision", frozenset({"RL301"}), check_namespace_collisions)
