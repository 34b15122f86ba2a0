"""Resolving a manifest's `spec.iamPolicies` and `spec.repositoryPolicies` entries while the
project is loaded (project.py's `PolicyLink`).

An entry is a policy file relative to the manifest (`../../iam/push.json`), or a
resource of infrastructure code (SPEC §6.2): `path#ref`, where `path` is a CloudFormation
template, a Terraform plan, or a Terraform file or folder (the whole module is read) and
`ref` a logical ID or address (iac/identities.py). The file is read like any input:
inside the project root, never through a symbolic link out of it. A broken entry says
why (RL302); an IaC entry that names nothing says what the source holds instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reglint.files.confinement import OUTSIDE, leads_outside
from reglint.loading.document import Document, DocumentKind, Limits, SourceFile
from reglint.loading.reader import Skipped, read_candidate
from reglint.project import PolicyLink, Project

__all__ = ["LinkResolver"]

_ENTRY_KEYS = ("iamPolicies", "repositoryPolicies")


class LinkResolver:
    """Resolves the entries of every manifest of a project, each file read once."""

    def __init__(
        self,
        root: Path,
        limits: Limits,
        loaded: dict[Path, SourceFile],
        take_named: Callable[[Path], None],
        modules: Callable[[], Any],
        expand: Callable[[SourceFile], SourceFile],
    ) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.limits = limits
        self.loaded = loaded
        self.take_named = take_named  # a named file that a manifest links: load it now
        self.modules = modules  # the run's TerraformModules
        self.expand = expand  # a loaded file with its template's or plan's policies

    def resolve(self, project: Project) -> None:
        for manifest in list(project.documents(DocumentKind.MANIFEST)):
            for key in _ENTRY_KEYS:
                entries = _entries(manifest, key)
                if not entries:
                    continue
                links = tuple(
                    self._link(manifest, index, entry, key, project) for index, entry in entries
                )
                if key == "iamPolicies":
                    project.links[manifest] = links
                else:
                    project.repository_links[manifest] = links

    def _link(
        self, manifest: Document, index: int, entry: str, key: str, project: Project
    ) -> PolicyLink:
        written, hashed, reference = entry.partition("#")
        target = Path(os.path.normpath(manifest.file.path.parent / written))

        def broken(why: str) -> PolicyLink:
            return PolicyLink(manifest, index, entry, error=why, key=key)

        if "\x00" in written:  # no file name holds one (the OS refuses it as a path)
            return broken("is not a usable file name (it holds a NUL character)")
        if target != self.root and self.root not in target.parents:
            return broken("points outside the project root")
        if leads_outside(str(target), str(self.root), self.real_root):
            return broken(OUTSIDE)
        if hashed and _terraform_path(target):
            return self._terraform(manifest, index, entry, key, target, reference, project)
        if not hashed and target.name.endswith((".tf", ".tf.json")):
            return broken(
                "is a Terraform file: name the role, user, group or policy it grants the "
                "push rights with `#` (`main.tf#aws_iam_role.nodes`)"
            )
        # A named policy that a manifest links to is checked with the project: the
        # linked-policy rules report on it, and it is no standalone push policy.
        self.take_named(target)
        source = self.loaded.get(target)
        if source is None:
            try:
                exists, is_dir = target.exists(), target.is_dir()
            except OSError:  # a name longer than the file system allows, and the like
                return broken("is not a usable file name")
            if not exists:
                return broken("does not exist")
            if is_dir:
                return broken("is a folder, not a policy file")
            outcome = read_candidate(target, True, self.limits)
            if isinstance(outcome, Skipped):  # cannot happen for a named read; kept for typing
                return broken(outcome.reason)
            outcome.raw = None  # context: never fixed
            source = self.loaded[target] = self.expand(outcome)
        failure = next((p for p in source.problems if p.rule == "RL001"), None)
        if failure is not None:
            return broken(f"cannot be loaded: {failure.message}")
        if hashed:
            return self._identity(manifest, index, entry, key, source.infrastructure, reference)
        policies = tuple(d for d in source.documents if d.kind is DocumentKind.POLICY)
        if not policies:
            return broken("is not an IAM policy (no Statement)")
        if source.infrastructure is not None:
            holds = source.infrastructure.kind
            return broken(f"is a {holds}: name the role, user, group or policy with `#`")
        return PolicyLink(manifest, index, entry, policies=policies, key=key)

    def _terraform(
        self,
        manifest: Document,
        index: int,
        entry: str,
        key: str,
        target: Path,
        reference: str,
        project: Project,
    ) -> PolicyLink:
        folder = target if target.is_dir() else target.parent
        if not target.exists():
            return PolicyLink(manifest, index, entry, error="does not exist", key=key)
        files = self.modules().files(folder)
        for path, source in files.items():
            if path not in self.loaded and source.documents:
                project.sources.append(source)  # context: the module the entry names
                self.loaded[path] = source
        found = next(
            (s.infrastructure for s in files.values() if s.infrastructure is not None), None
        )
        if found is None:
            why = "holds no Terraform module reglint can read (no readable *.tf file)"
            return PolicyLink(manifest, index, entry, error=why, key=key)
        return self._identity(manifest, index, entry, key, found, reference)

    def _identity(
        self, manifest: Document, index: int, entry: str, key: str, source: Any, reference: str
    ) -> PolicyLink:
        from reglint.iac.identities import IDENTITY_TYPES, REPOSITORY_TYPES, find_identities

        if source is None:
            why = "is not infrastructure code (a CloudFormation template or a Terraform plan)"
            return PolicyLink(manifest, index, entry, error=why, key=key)
        if not reference.strip():
            return PolicyLink(manifest, index, entry, error="names no resource after `#`", key=key)
        types = IDENTITY_TYPES if key == "iamPolicies" else REPOSITORY_TYPES
        found = find_identities(source, reference.strip(), types)
        if isinstance(found, str):
            return PolicyLink(manifest, index, entry, error=found, key=key)
        return PolicyLink(
            manifest, index, entry, infrastructure=source, addresses=tuple(found), key=key
        )


def _terraform_path(target: Path) -> bool:
    return target.name.endswith((".tf", ".tf.json")) or target.is_dir()


def _entries(manifest: Document, key: str) -> list[tuple[int, str]]:
    spec = manifest.data.get("spec") if isinstance(manifest.data, dict) else None
    entries = spec.get(key) if isinstance(spec, dict) else None
    if not isinstance(entries, list):
        return []
    return [(i, e) for i, e in enumerate(entries) if isinstance(e, str) and e.strip()]
