"""The ARN grammar of policy `Resource` entries, with the reason when an entry breaks it.

    arn:<partition>:<service>:<region>:<account>:<resource>

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
The resource part may itself contain `:`. Region and account are empty for global
services (`arn:aws:s3:::bucket`, `arn:aws:iam::123456789012:role/x`), and the account
is `aws` for AWS managed policies. In a policy every part may contain `*`, `?` or a
policy variable (`${aws:username}`), and such a part cannot be checked letter by
letter (SPEC §2, RL206). An ECR repository ARN is checked strictly: its region and
account are required, and a literal one must be well formed.
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-resources-for-iam-policies

A literal partition must be one that the bundled botocore data knows (SPEC §6.1): IAM
refuses any other ("Invalid partition"). Without botocore's data, the shape `aws-…` is
all that can be checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reglint.model.aws_partitions import partition_data

__all__ = ["ANY_REPOSITORY_ARN", "ROLE_ARN_PATTERN", "arn_problem", "is_role_arn", "named_partitions", "split_arn"]

# Every ECR repository ARN, as a glob whose wildcards stay inside their segment:
# partitions all start with `aws`, the account has 12 characters (digits), and region
# and name are never empty.
ANY_REPOSITORY_ARN = "arn:aws*:ecr:?*:????????????:repository/?*"

_PARTITION = re.compile(r"aws(?:-[a-z]+)*")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]*")
# What every AWS region looks like (`us-east-2`, `us-gov-west-1`, `eusc-de-east-1`).
_REGION = re.compile(r"[a-z]+(?:-[a-z]+)+-[0-9]+")
_ACCOUNT = re.compile(r"[0-9]{12}")
# An IAM role's ARN, path included (path and name are printable ASCII without spaces,
# as IAM allows): the manifest schema's `auth.roleArn` pattern (a test keeps the two
# equal), what `aws verify --role` takes, and what the cross-account check and the
# loader take for a role in another account.
ROLE_ARN_PATTERN = r"arn:(aws|aws-[a-z-]+):iam::[0-9]{12}:role/[\x21-\x7E]+"
_ROLE_ARN = re.compile(ROLE_ARN_PATTERN)


def is_role_arn(text: str) -> bool:
    """True for `arn:<partition>:iam::<12-digit account>:role/[<path>/]NAME`."""
    return _ROLE_ARN.fullmatch(text) is not None


@lru_cache(maxsize=8192)
def split_arn(text: str) -> tuple[str, ...]:
    """The colon-separated parts, at most six; a `${…}` variable is never split.

    Cached: policies repeat the same resource strings over and over."""
    if "${" not in text:
        return tuple(text.split(":", 5))  # no variable to step over: str.split does it all
    parts: list[str] = []
    start = index = 0
    while index < len(text) and len(parts) < 5:
        if text.startswith("${", index) and (end := text.find("}", index)) > 0:
            index = end + 1
            continue
        if text[index] == ":":
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return tuple(parts)


def _wild(part: str) -> bool:
    return "*" in part or "?" in part or "${" in part


@lru_cache(maxsize=8192)
def arn_problem(text: str) -> str | None:
    """Why `text` is neither `*` nor a well-formed ARN pattern; None when it is fine."""
    if text and not text.strip("*"):
        return None  # `*`, `**`, …
    parts = split_arn(text)
    if len(parts) < 6:
        if ".dkr.ecr" in text or "dkr-ecr" in text:
            return (
                "it is a registry URL, not an ARN; write "
                "arn:aws:ecr:<region>:<account>:repository/<name>"
            )
        return (
            f"it has {len(parts)} of the 6 colon-separated parts "
            "arn:partition:service:region:account:resource"
        )
    prefix, partition, service, region, account, resource = parts
    # The messages are built only once a part fails: most entries are fine.
    if prefix != "arn" and not _wild(prefix):
        return "it must start with `arn:`"
    if not _wild(partition) and not _known_partition(partition):
        return f"partition `{partition}` is not an AWS partition ({', '.join(_partitions())})"
    if not _wild(service) and not _SERVICE.fullmatch(service):
        return f"service `{service}` is not a service prefix"
    if region and not _wild(region) and not _REGION.fullmatch(region):
        return f"region `{region}` is not a region code such as us-east-2"
    if account and not _wild(account) and account != "aws" and not _ACCOUNT.fullmatch(account):
        return f"account `{account}` is not a 12-digit account ID"
    if not resource:
        return "the resource part after the fifth `:` is empty"
    if service == "ecr" and resource.startswith("repository/"):
        return _repository_problem(region, account, resource)
    return None


def _partitions() -> tuple[str, ...]:
    """The partitions of the bundled botocore data, in its order (aws first)."""
    return tuple(p.id for p in partition_data().partitions)


def _known_partition(partition: str) -> bool:
    known = _partitions()
    return partition in known if known else _PARTITION.fullmatch(partition) is not None


def named_partitions(resources: Iterable[str]) -> tuple[str, ...]:
    """The known partitions that ECR ARNs among `resources` name literally, in order.

    An ARN of another service names no partition for ECR (an S3 bucket in `aws-cn` says
    nothing about where images are pushed); a wildcard or a variable names none either.
    """
    found: dict[str, None] = {}
    for text in resources:
        parts = split_arn(text)
        if len(parts) == 6 and (parts[2] == "ecr" or _wild(parts[2])):
            partition = parts[1]
            if not _wild(partition) and _known_partition(partition):
                found.setdefault(partition, None)
    return tuple(found)


def _repository_problem(region: str, account: str, resource: str) -> str | None:
    """ECR repository ARNs always carry a region and an account."""
    if not region:
        return "an ECR repository ARN needs a region, such as us-east-2"
    if not account:
        return "an ECR repository ARN needs the 12-digit account ID"
    if not _wild(account) and not _ACCOUNT.fullmatch(account):
        return f"account `{account}` is not a 12-digit account ID"
    if resource == "repository/":
        return "it names no repository after `repository/`"
    return None
