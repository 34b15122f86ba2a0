"""The project a run sees (SPEC §1.3): every file named for the run, plus — for the
cross-file rules — every manifest under the project root and every policy a manifest
links to, each loaded once (engine/load.py loads it), under its root.

Files named for the run are *reported*; the others are *context*: cross-file rules
read them, but no finding is ever reported on them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reglint.config.files import has_config
from reglint.files.discovery import git_top_level
from reglint.loading.document import Document, DocumentKind, SourceFile
from reglint.model.service import RegistryService, manifest_service


@dataclass(frozen=True, slots=True)
class PolicyLink:
    """One `spec.iamPolicies` (or `repositoryPolicies`) entry of a manifest and what it
    resolved to: policy documents, or an identity of an IaC source (`path#ref`)."""

    manifest: Document
    index: int  # position in spec.iamPolicies
    entry: str  # as written
    policies: tuple[Document, ...] = ()
    error: str | None = None  # why the link is broken (RL302), or None
    # `path#ref` (SPEC §6.2): the IaC source (`iac.sources.IacSource`) and the addresses
    # of the role, user, group or policy the entry names in it.
    infrastructure: Any = None
    addresses: tuple[str, ...] = ()
    key: str = "iamPolicies"  # the manifest's list that holds the entry


@dataclass(slots=True)
class Project:
    root: Path
    sources: list[SourceFile] = field(default_factory=list)  # reported and context files
    links: dict[Document, tuple[PolicyLink, ...]] = field(default_factory=dict)
    # Each manifest's `auth`-side repository policies (`spec.repositoryPolicies`, SPEC §6.2).
    repository_links: dict[Document, tuple[PolicyLink, ...]] = field(default_factory=dict)

    def documents(self, kind: DocumentKind) -> Iterator[Document]:
        for source in self.sources:
            for document in source.documents:
                if document.kind is kind:
                    yield document

    def service(self, manifest: Document) -> RegistryService:
        return manifest_service(manifest)

    def manifests(self) -> list[Document]:
        """Every manifest of the project (reported and context), in path order."""
        found = list(self.documents(DocumentKind.MANIFEST))
        found.sort(key=lambda d: (d.file.path, d.index))
        return found

    def policy_links(self, manifest: Document) -> tuple[PolicyLink, ...]:
        return self.links.get(manifest, ())

    def linked_policy_files(self) -> frozenset[Path]:
        """Files that some manifest links to as its push policy."""
        return frozenset(
            p.file.path for links in self.links.values() for link in links for p in link.policies
        )


def find_project_root(first: Path, *, configs: bool = True) -> Path:
    """SPEC §1.3: from the first named path upward, the nearest folder holding a config
    file, else the git top level, else the named folder (or the named file's folder).
    `configs=False` (`--isolated`): config files mark nothing."""
    start = first if first.is_dir() else first.parent
    for directory in (start, *start.parents) if configs else ():
        if has_config(directory) is not None:
            return directory
    return git_top_level(start) or start
