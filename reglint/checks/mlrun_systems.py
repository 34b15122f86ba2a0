"""Rules on an MLRun system's settings as a whole (SPEC §6.3): settings of one system that
contradict each other (RL303), and the Secrets they name (RL302 as a note, RL105).

The system's service itself takes part in RL101, RL301 and RL303 with every other
service (checks/systems.py, checks/collisions.py); the rules on single settings and
Secrets are in checks/mlrun_settings.py and checks/registry_secrets.py.

Decisions where the SPEC is silent:

- Conflicting settings (two files of a system giving one setting different literal
  values; `mlrun_service.py` says which count) are RL303, an error, on each setting
  involved, naming the others: which value MLRun sees depends on the order the files
  are applied in, which no file says.
- A Secret that a setting names but the project does not declare is RL302 as a `note`
  (Secrets are often made outside the repository); one that cannot serve the registry
  is RL105 at the setting, with the Secret's `metadata.name` as a related location.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from reglint.checks.base import CheckSettings, ProjectCheck
from reglint.checks.systems import listing, where_site
from reglint.findings import Severity
from reglint.loading.document import DataPath, Problem, RelatedRef
from reglint.project import Project, Site

__all__ = ["MLRUN_SYSTEM_CHECKS"]


def check_setting_conflicts(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL303: settings of one MLRun system that give one setting different values."""
    for system in project.mlrun_systems():
        tenant, name = system.assignment.tenant, system.assignment.system
        for conflict in system.service.conflicts:
            involved = (conflict.chosen, *conflict.others)
            sites = [
                Site(system.document_of(p), p.setting.path, p.setting.on_key) for p in involved
            ]
            for index, placed in enumerate(involved):
                own = (placed.setting.value or "").strip()
                others = [
                    (other, sites[i])
                    for i, other in enumerate(involved)
                    if i != index and (i == 0 or index == 0 or (other.setting.value or "").strip() != own)
                ]
                key = placed.setting.key
                values = listing(
                    [
                        f"'{(o.setting.value or '').strip()}'"
                        + (f" ({o.setting.key})" if o.setting.key != key else "")
                        + f" at {where_site(site, settings)}"
                        for o, site in others
                    ]
                )
                yield Problem(
                    "RL303",
                    f"system '{name}' (tenant '{tenant}') sets {key} to '{own}' here and to "
                    f"{values}: which value MLRun uses depends on the order the files are "
                    "applied in (helm -f, kubectl apply); set it in one place",
                    path=sites[index].path,
                    on_key=sites[index].on_key,
                    document=sites[index].document,
                    related=tuple(
                        RelatedRef(
                            site.document,
                            site.path,
                            f"{o.setting.key} is '{(o.setting.value or '').strip()}' here",
                            site.on_key,
                        )
                        for o, site in others
                    ),
                    identity=f"{tenant}/{name}/{conflict.name.value}",
                )


def check_secret_uses(project: Project, settings: CheckSettings) -> Iterator[Problem]:
    """RL302 (note): a Secret a system's settings name is not in the project; RL105: it
    cannot serve the system's registry the way MLRun or Nuclio mounts it. One finding per
    rule and setting: `global.registry.secretName` names the builder's and the pull
    secret at once."""
    systems = project.mlrun_systems()
    if not systems:
        return
    from reglint.platform.secret_uses import SecretUseProblemKind, secret_use_problems

    declared = list(project.secrets())
    records = [record for _, record in declared]
    document_of = {id(record): document for document, record in declared}
    found: dict[tuple[str, int, DataPath], list[Problem]] = {}
    for system in systems:
        for problem in secret_use_problems(system.service, records):
            placed = problem.setting
            name = (placed.setting.value or "").strip()
            missing = problem.kind is SecretUseProblemKind.MISSING
            related = tuple(
                RelatedRef(
                    document_of[id(record)],
                    (*record.declaration.path, "metadata", "name"),
                    f"Secret '{name}' is declared here",
                )
                for record in problem.secrets
            )
            at = Problem(
                "RL302" if missing else "RL105",
                problem.message,
                path=placed.setting.path,
                on_key=placed.setting.on_key,
                document=system.document_of(placed),
                severity=Severity.NOTE if missing else None,
                related=related,
                identity=f"{problem.use.value}:{problem.kind.value}:{name}",
            )
            found.setdefault((at.rule, id(at.document), at.path), []).append(at)
    for group in found.values():
        yield group[0] if len(group) == 1 else _joined(group)


def _joined(group: list[Problem]) -> Problem:
    """One problem for several at one node: each message once, every related location."""
    related = {(id(r.document), r.path): r for p in group for r in p.related}
    return replace(
        group[0],
        message="; ".join(dict.fromkeys(p.message for p in group)),
        related=tuple(related.values()),
        identity="+".join(p.identity for p in group),
    )


MLRUN_SYSTEM_CHECKS = (
    ProjectCheck("mlrun-setting-conflict", frozenset({"RL303"}), check_setting_conflicts),
    ProjectCheck("mlrun-secret-use", frozenset({"RL105", "RL302"}), check_secret_uses),
)
