"""RL302 policy-reference-missing: each `spec.iamPolicies` entry must name a loadable IAM
policy file inside the project (the links are resolved while loading, engine/load.py)."""

from __future__ import annotations

from collections.abc import Iterator

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.loading.document import Problem
from reglint.project import Project


def check_policy_references(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    for manifest in project.manifests():
        if not manifest.file.reported:
            continue
        for link in project.policy_links(manifest):
            if link.error is None:
                continue
            yield Problem(
                "RL302",
                f"iamPolicies entry '{link.entry}' {link.error}: the push rights of this "
                "registry cannot be checked; fix the path (relative to this manifest) or add "
                "the policy file",
                path=("spec", "iamPolicies", link.index),
                document=manifest,
                identity=link.entry,
            )


LINK_CHECKS = (ProjectCheck("policy-reference", frozenset({"RL302"}), check_policy_references),)
