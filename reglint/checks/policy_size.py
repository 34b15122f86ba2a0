"""RL208 policy-size: a policy longer than its quota, where reglint knows the quota.

SPEC §6.1. Which policies have a known quota:

- an identity policy linked from a manifest or matched by `ecr-push-policies`: 6,144,
  the quota of a customer managed policy; other standalone identity files are not
  checked (they may be AWS managed policies, which no quota binds);
- a trust policy: 2,048, IAM's default (it can be raised), so a warning;
- an ECR repository or registry policy: 10,240 characters of the text sent to ECR.

IAM counts the characters of a policy without any whitespace (also inside strings);
`iam_policy_size` measures the compact JSON of the data that way. ECR's limit is the
length of the `policyText` string, whitespace included: a JSON file is sent as written
(`--policy-text file://…`), so its whole text counts (`Document.text_length`, a CRLF as
two characters); a policy held as data (YAML) counts as its compact JSON, the least
text it can be sent as.

Other resource policies (bucket, key, topic policies…) have quotas of their own that
reglint does not check.

For IaC sources (§6.2), the source declares what a policy is: a customer managed policy
(`AWS::IAM::ManagedPolicy`, `aws_iam_policy`: 6,144 through `quota_for`), and the
inline policies of one role, user or group, whose sizes checks/iac_policy_size.py adds
up against 10,240, 2,048 and 5,120. A value known only at deploy time counts as its
literal parts alone (`arn:aws:ecr:${AWS::Region}:…` without `${AWS::Region}`): the size
is never more than the deployed policy's, so an unknown value never causes a finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.findings import Severity
from reglint.loading.document import Document, DocumentKind, PolicyType, Problem

_WHITESPACE = re.compile(r"\s+")


class SizeQuota(NamedTuple):
    """A length limit on a policy, and how AWS measures it."""

    limit: int
    what: str  # how messages name the policy: "a customer managed policy"
    whitespace_counts: bool  # ECR measures the text it is sent; IAM leaves whitespace out
    severity: Severity | None = None  # None: the rule's default (error)
    advice: str = ""


MANAGED_POLICY = SizeQuota(
    6_144,
    "a customer managed policy",
    whitespace_counts=False,
    advice="split it into two policies, or shorten it (a wildcard such as ecr:*Layer* "
    "names several actions at once)",
)
TRUST_POLICY = SizeQuota(
    2_048,
    "a role trust policy",
    whitespace_counts=False,
    severity=Severity.WARNING,
    advice='it can be raised (Service Quotas, IAM: "Role trust policy length", up to 8,192), '
    "or shorten the policy",
)
ECR_REPOSITORY_POLICY = SizeQuota(
    10_240,
    "an ECR repository policy",
    whitespace_counts=True,
    advice="shorten it, for example by granting accounts or an organization "
    "(aws:PrincipalOrgID) instead of many roles",
)
ECR_REGISTRY_POLICY = ECR_REPOSITORY_POLICY._replace(what="an ECR registry policy")


def quota_for(document: Document, settings: CheckSettings) -> SizeQuota | None:
    """The quota that binds a policy, or None when reglint cannot know it."""
    policy_type = settings.policy_type(document)
    if policy_type is PolicyType.TRUST:
        return TRUST_POLICY
    if policy_type is PolicyType.ECR_REPOSITORY:
        return ECR_REPOSITORY_POLICY
    if policy_type is PolicyType.ECR_REGISTRY:
        return ECR_REGISTRY_POLICY
    if policy_type is PolicyType.IDENTITY and (
        document.iac_use == "customer managed" or _is_push_policy(document, settings)
    ):
        return MANAGED_POLICY
    return None


def _is_push_policy(document: Document, settings: CheckSettings) -> bool:
    path = document.file.path
    return path in settings.linked_policy_files or settings.ecr_push_policies.matches(
        path, settings.project_root
    )


def check_policy_size(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL208 at the policy, naming its size and the quota."""
    quota = quota_for(document, settings)
    if quota is None:
        return
    compact = compact_json(known_data(document))
    if compact is None:
        return  # data JSON cannot hold: RL002 says what is wrong with it
    if not quota.whitespace_counts:
        size = len(_WHITESPACE.sub("", compact))
        if size > quota.limit:
            yield _problem(
                f"the policy is {size:,} characters long (whitespace excluded, as IAM counts), "
                f"over the {quota.limit:,} {_quota_word(quota)} of {quota.what}; {quota.advice}",
                quota,
            )
        return
    sent = document.text_length if document.text_length is not None else len(compact)
    if sent > quota.limit:
        advice = quota.advice
        if len(compact) <= quota.limit:
            advice = f"without the whitespace it is {len(compact):,}: send it minified"
        yield _problem(
            f"the policy text is {sent:,} characters long (whitespace included, as ECR counts "
            f"the text it is sent), over the {quota.limit:,} limit of {quota.what}; {advice}",
            quota,
        )


def iam_policy_size(data: Any) -> int | None:
    """A policy's length as IAM counts it: the characters of its JSON, without any
    whitespace; None when the data is not JSON (a YAML set, a non-string key of a
    kind JSON has no name for)."""
    compact = compact_json(data)
    return None if compact is None else len(_WHITESPACE.sub("", compact))


def known_data(document: Document) -> Any:
    """The document's data with each value known only at deploy time cut to its literal
    parts (module docstring)."""
    if not document.unknowns:
        return document.data
    import copy

    data = copy.deepcopy(document.data)
    for path, unknown in document.unknowns.items():
        node: Any = data
        try:
            for step in path[:-1]:
                node = node[step]
            if path and isinstance(node[path[-1]], str):
                node[path[-1]] = "".join(part for part in unknown.parts if part is not None)
        except (IndexError, KeyError, TypeError):
            continue
    return data


def compact_json(data: Any) -> str | None:
    """The data as compact JSON text (no whitespace between tokens), or None."""
    try:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return None


def _quota_word(quota: SizeQuota) -> str:
    return "default quota" if quota.severity is Severity.WARNING else "quota"


def _problem(message: str, quota: SizeQuota) -> Problem:
    # The identity names the quota, not the size: a baseline entry survives an edit
    # that leaves the policy too long.
    return Problem("RL208", message, severity=quota.severity, identity=f"{quota.limit}")


POLICY_SIZE_CHECK = DocumentCheck(
    "policy-size", frozenset({"RL208"}), frozenset({DocumentKind.POLICY}), check_policy_size
)
