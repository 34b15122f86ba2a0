"""The shape every check has, and the settings checks may read.

A check is a small function that yields `Problem`s. It never decides selection,
severity overrides or suppressions: the Decider does (decisions/decider.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reglint.files.globs import GlobSet
from reglint.files.paths import display_path
from reglint.loading.classify import infer_policy_type, resource_policy_type
from reglint.loading.document import Document, DocumentKind, PolicyType, Problem
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

if TYPE_CHECKING:
    from reglint.project import Project


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """The configuration a check may read (never write)."""

    required_ecr_actions: tuple[str, ...] = ECR_PUSH_ACTIONS
    ecr_push_policies: GlobSet = field(default_factory=lambda: GlobSet(()))
    project_root: Path = field(default_factory=Path.cwd)
    # The config's `known-actions`: action names or patterns RL203 treats as known.
    known_actions: tuple[str, ...] = ()
    # Policy files some manifest links to: they are evaluated for that manifest's
    # namespace (checks/linked_policies.py), never as standalone push policies.
    linked_policy_files: frozenset[Path] = frozenset()
    # The run's current folder (absolute): paths inside messages are relative to it, as
    # every report's paths are. Never part of an identity: fingerprints stay root-relative.
    cwd: Path = field(default_factory=Path.cwd)
    # The config's `policy-types`, in its order: the last glob that matches a file wins.
    policy_types: tuple[tuple[GlobSet, PolicyType], ...] = ()

    def relative_path(self, document: Document) -> str:
        """The document's file as reports show it: relative to the current folder."""
        return display_path(document.file.path, self.cwd)

    def cwd_relative(self, path: Path) -> str:
        """A file or folder as reports show it: relative to the current folder."""
        return display_path(path, self.cwd)

    def is_push_policy(self, document: Document) -> bool:
        """True for a standalone push policy: matched by the config's `ecr-push-policies`
        globs and linked from no manifest."""
        path = document.file.path
        return path not in self.linked_policy_files and self.ecr_push_policies.matches(
            path, self.project_root
        )

    def policy_type(self, document: Document) -> PolicyType:
        """A policy's type (SPEC §6.1): what its source declares, else what the config's
        `policy-types` says for its file, else identity for a file a manifest links as
        its push rights (`iamPolicies`), else what its data shows."""
        if document.declared_type is not None:
            return document.declared_type
        path = document.file.path
        configured = None
        for globs, policy_type in self.policy_types:
            if globs.matches(path, self.project_root):
                configured = policy_type
        if configured is PolicyType.RESOURCE:
            return document.derived("resource-policy-type", _resource_type)
        if configured is None and path in self.linked_policy_files:
            # The manifest says what the policy is: the rights of the identity that pushes.
            # A Principal in it is then a mistake (RL002), not a sign of another type.
            return PolicyType.IDENTITY
        return configured or document.derived("policy-type", _inferred_type)


def _inferred_type(document: Document) -> PolicyType:
    return infer_policy_type(document.data)


def _resource_type(document: Document) -> PolicyType:
    return resource_policy_type(document.data)


DocumentCheckFn = Callable[[Document, CheckSettings], Iterable[Problem]]
ProjectCheckFn = Callable[["Project", CheckSettings], Iterable[Problem]]


class DocumentCheck(NamedTuple):
    """A check run on each document of the given kinds."""

    name: str
    rules: frozenset[str]
    kinds: frozenset[DocumentKind]
    run: DocumentCheckFn


class ProjectCheck(NamedTuple):
    """A check run once over the whole project (cross-file rules)."""

    name: str
    rules: frozenset[str]
    run: ProjectCheckFn
