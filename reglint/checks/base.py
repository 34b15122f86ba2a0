"""The shape every check has, and the settings checks may read.

A check is a small function that yields `Problem`s. It never decides selection,
severity overrides or suppressions: the engine does (engine.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reglint.findings import Problem
from reglint.globs import GlobSet, relative_posix
from reglint.loading.document import Document, DocumentKind

if TYPE_CHECKING:
    from reglint.project import Project

ECR_PUSH_ACTIONS: tuple[str, ...] = (
    "ecr:CreateRepository",
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
)


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

    def relative_path(self, document: Document) -> str:
        """The document's file relative to the project root (its name when outside)."""
        path = document.file.path
        return relative_posix(path, self.project_root) or path.name

    def is_push_policy(self, document: Document) -> bool:
        """True for a standalone push policy: matched by the config's `ecr-push-policies`
        globs and linked from no manifest."""
        path = document.file.path
        return path not in self.linked_policy_files and self.ecr_push_policies.matches(
            path, self.project_root
        )


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
