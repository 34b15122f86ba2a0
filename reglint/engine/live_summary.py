"""The `live` section of `aws verify`'s reports (SPEC §6.4): whose credentials, which
region, each service verified with its pushing identity, each identity's deployed
policies, and the repositories seen under the namespaces with their tag mutability.

It holds names, ARNs and versions only: never a policy document, never anything of the
credentials but the caller's ARN (`sts:GetCallerIdentity`'s, as CloudTrail shows it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reglint.files.paths import display_path
from reglint.live.facts import Caller, Identity, LiveService

__all__ = ["NOT_VISIBLE", "live_summary"]

NOT_VISIBLE = (
    "service control policies (SCPs), resource control policies and session policies are not "
    "visible to these reads: an action reported as allowed may still be denied by them"
)


def live_summary(caller: Caller, region: str | None, services: list[LiveService], cwd: Path) -> dict[str, Any]:
    identities: dict[str, dict[str, Any]] = {}
    repositories: dict[str, dict[str, Any]] = {}
    shown_services = []
    for live in services:
        identity = live.identity
        identities.setdefault(identity.arn, _identity(identity))
        shown_services.append(
            {
                "path": display_path(live.manifest.file.path, cwd),
                "service": live.service.name,
                "system": live.system,
                "namespace": live.namespace.text,
                "identity": identity.arn,
                "identity_source": identity.source.value,
            }
        )
        for repository in live.registry.repositories:
            repositories.setdefault(
                repository.arn,
                {
                    "name": repository.name,
                    "registry": live.registry.account,
                    "region": live.registry.region,
                    "tag_mutability": repository.tag_mutability,
                    "reglint_system": repository.system_tag,
                },
            )
    return {
        "account": caller.account,
        "caller": caller.arn,
        "region": region,
        "services": shown_services,
        "identities": list(identities.values()),
        "repositories": sorted(repositories.values(), key=lambda r: (r["registry"], r["region"], r["name"])),
        "not_visible": NOT_VISIBLE,
    }


def _identity(identity: Identity) -> dict[str, Any]:
    rights = identity.rights
    return {
        "arn": identity.arn,
        "kind": identity.kind,
        "exists": not identity.missing_reason,
        "readable": not identity.unreadable_reason,
        "policies": [p.label for p in rights.policies] if rights else [],
        "permissions_boundary": rights.boundary.label if rights and rights.boundary else None,
        "groups": list(rights.groups) if rights else [],
    }
