"""RL302 policy-reference-missing: each `spec.iamPolicies` (and `spec.repositoryPolicies`)
entry must name a loadable IAM policy file inside the project, or a role, user, group
or policy of infrastructure code (`path#ref`, SPEC §6.2); the links are resolved while
loading (engine/links.py).

An IaC entry that resolves is still a `note` for each policy of the identity that
reglint cannot read — unknown until deployed, an AWS managed ARN that the snapshot does
not hold, a customer managed policy defined outside the files read: it grants nothing
here (RL201 says which actions depend on it)."""

from __future__ import annotations

from collections.abc import Iterator

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.findings import Severity
from reglint.loading.document import Problem
from reglint.model.namespace import RegistryNamespace
from reglint.project import PolicyLink, Project


def check_policy_references(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    for manifest in project.manifests():
        if not manifest.file.reported:
            continue
        links = (*project.policy_links(manifest), *project.repository_links.get(manifest, ()))
        for link in links:
            if link.error is None:
                yield from _notes(project, link)
                continue
            fix = (
                "fix the path (relative to this manifest) or add the policy file"
                if "#" not in link.entry
                else "fix the path (relative to this manifest) or the name after `#`"
            )
            yield Problem(
                "RL302",
                f"{link.key} entry '{link.entry}' {link.error}: the push rights of this "
                f"registry cannot be checked; {fix}",
                path=("spec", link.key, link.index),
                document=link.manifest,
                identity=link.entry,
            )


def _notes(project: Project, link: PolicyLink) -> Iterator[Problem]:
    """A note naming the policies of an IaC identity that reglint cannot read."""
    if link.infrastructure is None:
        return
    from reglint.iac.rights import identity_rights

    namespace = RegistryNamespace.of_service(project.service(link.manifest))
    ecr = namespace.ecr_host if namespace is not None else None
    partition = ecr.partition if ecr is not None else "aws"
    found = identity_rights(link.infrastructure, list(link.addresses), partition)
    notes = list(dict.fromkeys(found.notes))
    if not notes:
        return
    # One finding per rule and node: the entry's notes together.
    grants = "it grants" if len(notes) == 1 else "they grant"
    yield Problem(
        "RL302",
        f"{link.key} entry '{link.entry}': {'; '.join(notes)}, so {grants} nothing here; "
        "RL201 counts only the rights reglint can read",
        path=("spec", link.key, link.index),
        document=link.manifest,
        severity=Severity.NOTE,
        identity=f"{link.entry}:{':'.join(notes)}",
    )


LINK_CHECKS = (ProjectCheck("policy-reference", frozenset({"RL302"}), check_policy_references),)
