"""Where the benchmark keeps things (shared by generate, run, floor and profile)."""

from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent  # the reglint checkout
OUT = BENCH / "out"  # generated corpus, logs and raw results (git-ignored)
VENVS = BENCH / ".venvs"  # one virtualenv per peer tool (git-ignored)
RESULTS = BENCH / "RESULTS.md"
AWS_MANAGED = (REPO.parent / "shared" / "corpus" / "aws-managed-policies").resolve()
MANIFEST_SCHEMA = REPO / "schemas" / "registry-service.schema.json"

SMALL_REPO_NAMED = "systems/ml-prod/user-registry.yaml"
CFN_TEMPLATES = "policies-1k-{}.template.json"  # numbered from 1 (see gen_cfn.py)
IAC_NAMED = "infra/terraform/policies-01.tf"  # the file the pre-commit IaC case names
