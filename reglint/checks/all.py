"""The one explicit list of checks the engine runs; refuses two checks of one name.

Every rule of rules/ is reported by one of these checks, by loading (`LOADER_RULES`) or
by the run itself (`ENGINE_RULES`); tests/test_rule_checks.py holds them to it.
"""

from __future__ import annotations

from typing import TypeVar

from reglint.checks.base import DocumentCheck, ProjectCheck
from reglint.checks.collisions import COLLISION_CHECK
from reglint.checks.cross_account import CROSS_ACCOUNT_CHECK
from reglint.checks.ecr_public_push import ECR_PUBLIC_PUSH_CHECK
from reglint.checks.iac_policy_size import IAC_POLICY_SIZE_CHECK
from reglint.checks.iam import IAM_CHECKS
from reglint.checks.linked_policies import LINKED_POLICY_CHECK
from reglint.checks.links import LINK_CHECKS
from reglint.checks.manifest import REGISTRY_CHECKS
from reglint.checks.mlrun_settings import MLRUN_SETTING_CHECKS
from reglint.checks.mlrun_systems import MLRUN_SYSTEM_CHECKS
from reglint.checks.policy_size import POLICY_SIZE_CHECK
from reglint.checks.registry_secrets import REGISTRY_SECRET_CHECKS
from reglint.checks.schema import SCHEMA_CHECK
from reglint.checks.systems import SYSTEM_CHECKS

CheckT = TypeVar("CheckT", DocumentCheck, ProjectCheck)


def _unique(checks: tuple[CheckT, ...]) -> tuple[CheckT, ...]:
    names = [check.name for check in checks]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise RuntimeError(f"checks registered twice: {sorted(duplicates)}")
    return checks


DOCUMENT_CHECKS: tuple[DocumentCheck, ...] = _unique(
    (
        SCHEMA_CHECK,
        *REGISTRY_CHECKS,
        *IAM_CHECKS,
        ECR_PUBLIC_PUSH_CHECK,
        POLICY_SIZE_CHECK,
        IAC_POLICY_SIZE_CHECK,
        *REGISTRY_SECRET_CHECKS,
        *MLRUN_SETTING_CHECKS,
    )
)
PROJECT_CHECKS: tuple[ProjectCheck, ...] = _unique(
    (*SYSTEM_CHECKS, COLLISION_CHECK, *LINK_CHECKS, LINKED_POLICY_CHECK, CROSS_ACCOUNT_CHECK, *MLRUN_SYSTEM_CHECKS)
)

# Rules implemented by loading itself rather than by a check (loading/reader.py).
LOADER_RULES = frozenset({"RL001", "RL003"})
# Rules the run reports itself: RL000 for a check that raised (engine/file_check.py),
# RL004 for a suppression that suppressed nothing (decisions/decider.py).
ENGINE_RULES = frozenset({"RL000", "RL004"})

IMPLEMENTED_RULES = LOADER_RULES.union(
    *(check.rules for check in DOCUMENT_CHECKS), *(check.rules for check in PROJECT_CHECKS)
)
