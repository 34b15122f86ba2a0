"""Fixtures of the IAM rule tests: a good push policy, and a runner for the IAM checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from reglint.checks.base import CheckSettings
from reglint.checks.iam import IAM_CHECKS
from reglint.files.globs import GlobSet
from reglint.findings import FILE_START
from reglint.loading.document import Document, DocumentKind, Problem, SourceFile
from reglint.loading.positions import FixedPositions
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS

REPOS = "arn:aws:ecr:us-east-2:123456789012:repository"
EIGHT = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]

Runner = Callable[..., list[Problem]]


def policy_document(data: Any, path: str = "/project/iam/push.json") -> Document:
    """A POLICY document without real positions: the checks are tested on data paths."""
    source = SourceFile(path=Path(path))
    document = Document(source, 0, DocumentKind.POLICY, data, FixedPositions(), FILE_START)
    source.documents.append(document)
    return document


def problems_of(
    data: Any, rules: str = "", *, push: bool = True, required: Sequence[str] = ECR_PUSH_ACTIONS
) -> list[Problem]:
    """The IAM checks' problems for a policy at /project/iam/push.json, of the given rules.

    `push`: the config's `ecr-push-policies` globs name the file (RL201/RL202/RL204 run).
    """
    settings = CheckSettings(
        required_ecr_actions=tuple(required),
        ecr_push_policies=GlobSet(["iam/*.json"] if push else []),
        project_root=Path("/project"),
    )
    document = policy_document(data)
    problems = [p for check in IAM_CHECKS for p in check.run(document, settings)]
    return [p for p in problems if not rules or p.rule in rules.split(",")]


@pytest.fixture(scope="session")
def run() -> Runner:
    return problems_of


@pytest.fixture(scope="session")
def make_policy_document() -> Callable[..., Document]:
    return policy_document


@pytest.fixture
def good_policy() -> dict[str, Any]:
    """Grants the nine push actions for `ml-prod/`: the token on "*", the rest scoped."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Token",
                "Effect": "Allow",
                "Action": "ecr:GetAuthorizationToken",
                "Resource": "*",
            },
            {"Sid": "Push", "Effect": "Allow", "Action": EIGHT, "Resource": f"{REPOS}/ml-prod/*"},
        ],
    }
