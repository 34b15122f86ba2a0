"""What `aws verify` read from the account, as plain records (no boto3 object): the
caller, each pushing identity with its deployed rights, and the repositories under a
namespace. Checks (checks/live_rights.py, checks/live_registry.py) read only these."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from reglint.loading.document import Document
    from reglint.model.ecr import EcrHost
    from reglint.model.namespace import RegistryNamespace
    from reglint.model.service import RegistryService

__all__ = [
    "Caller",
    "DeployedPolicy",
    "DeployedRights",
    "Identity",
    "IdentitySource",
    "LiveRepository",
    "LiveService",
    "RegistryView",
]


class Caller(NamedTuple):
    """`sts:GetCallerIdentity`: who the credentials are."""

    arn: str
    account: str
    partition: str


class IdentitySource(enum.Enum):
    """Where the pushing identity of a service came from (SPEC §6.4, in this order)."""

    MANIFEST = "auth.roleArn"
    OPTION = "--role"
    CALLER = "caller"


class DeployedPolicy(NamedTuple):
    """One policy as deployed: a managed policy's default version, or an inline policy."""

    label: str  # how messages name it: `arn:aws:iam::aws:policy/X (v3)`, `inline policy 'push' of role r`
    document: Any  # the policy document, as data
    arn: str | None = None  # managed policies
    version: str | None = None  # managed policies: the default version id


class DeployedRights(NamedTuple):
    """Everything that grants a role or user its rights, as deployed."""

    policies: tuple[DeployedPolicy, ...]  # attached, inline, and a user's groups'
    boundary: DeployedPolicy | None = None  # the permissions boundary, if any
    groups: tuple[str, ...] = ()  # a user's groups, by name


class Identity(NamedTuple):
    """The identity that pushes for a service, and its rights: None when it does not
    exist (`missing_reason`) or cannot be read with these credentials (`unreadable_reason`)."""

    arn: str  # as IAM names it (`GetRole`'s Arn, path included), or as given
    kind: str  # `role`, `user` or `root`
    source: IdentitySource
    rights: DeployedRights | None
    missing_reason: str = ""
    unreadable_reason: str = ""

    @property
    def account(self) -> str:
        parts = self.arn.split(":", 5)
        return parts[4] if len(parts) == 6 else ""

    @property
    def partition(self) -> str:
        parts = self.arn.split(":", 5)
        return parts[1] if len(parts) == 6 else "aws"


class LiveRepository(NamedTuple):
    """An existing repository under a namespace."""

    name: str
    arn: str
    tag_mutability: str  # MUTABLE, IMMUTABLE, or a *_WITH_EXCLUSION form
    system_tag: str | None  # the value of its `reglint:system` tag, if any
    policy: Any  # its repository policy as data; None: it has none (or it is unreadable)
    policy_unreadable: str | None = None  # why its policy could not be read (another account)
    tags_unreadable: str | None = None  # why its tags could not be read (another account)


class RegistryView(NamedTuple):
    """A registry (account and region) as seen for one namespace. The `…_unreadable`
    fields say, as one line, a read another account denied (registries.py)."""

    account: str
    region: str
    repositories: tuple[LiveRepository, ...]  # those under the namespace, by name
    registry_policy: Any  # as data; None: none, or not readable
    listing_unreadable: str | None = None
    registry_policy_unreadable: str | None = None

    @property
    def unreadable(self) -> tuple[str, ...]:
        """Every read of this view that was denied, once each."""
        notes = [self.listing_unreadable, self.registry_policy_unreadable]
        for repository in self.repositories:
            notes += [repository.tags_unreadable, repository.policy_unreadable]
        return tuple(dict.fromkeys(note for note in notes if note))


class LiveService(NamedTuple):
    """One ECR registry service of the run, with what was read live for it."""

    manifest: Document
    service: RegistryService
    host: EcrHost
    namespace: RegistryNamespace
    identity: Identity
    registry: RegistryView

    @property
    def system(self) -> str | None:
        """`<tenant>/<system>`, as the `reglint:system` tag writes it; None without a system."""
        return f"{self.service.tenant}/{self.service.system}" if self.service.system else None
