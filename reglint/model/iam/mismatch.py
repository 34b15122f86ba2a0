"""Which part of a policy's ARNs misses a registry's namespace, for RL201's message.

When an Allow's resources do not cover the namespace, the usual cause is one part of
the ARN written for another registry: another region, account or partition, or another
repository prefix. Each Resource entry is compared with the target part by part; when
every entry that fails to cover the target fails on a named part, the message says so
(`region `us-east-1` in the policy, `us-east-2` in the URL`). Otherwise — a NotResource,
an entry that covers only part of the namespace — there is no single cause, and the
message shows an example resource instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reglint.model.iam.arns import split_arn
from reglint.model.iam.patterns import Pattern, covers, intersects

if TYPE_CHECKING:
    from reglint.model.iam.policy import Statement

__all__ = ["arn_mismatch"]

# The parts of `arn:partition:service:region:account:resource` compared, by index.
_PARTS = ((1, "partition"), (2, "service"), (3, "region"), (4, "account"))
_WHERE = {"partition": "in the URL", "service": "for a repository", "region": "in the URL",
          "account": "in the URL"}  # fmt: skip


def arn_mismatch(allows: Sequence[Statement], target: Pattern) -> str | None:
    """The named parts in which the Allows' Resource entries miss `target`, or None.

    `target` is a namespace's repository ARN pattern, whose partition, service, region
    and account are literal.
    """
    wanted = split_arn(target.text)
    if len(wanted) != 6 or any(statement.not_resource for statement in allows):
        return None
    wanted_resource = Pattern.segment_glob(wanted[5])
    causes: list[str] = []
    for statement in allows:
        for entry, value in zip(statement.resource_patterns, statement.resources):
            if not entry.within_bounds:
                return None  # read as granting nothing: the reason's note says why
            if covers(entry, target):
                continue
            cause = _cause(value.text, wanted, wanted_resource, statement.variables)
            if cause is None:
                return None  # this entry misses the target in no single part
            if cause not in causes:
                causes.append(cause)
    return "; ".join(causes) or None


def _cause(text: str, wanted: tuple[str, ...], resource: Pattern, variables: bool) -> str | None:
    parts = split_arn(text)
    if len(parts) != 6:
        return None
    for index, name in _PARTS:
        if not Pattern.resource(parts[index], variables=variables).matches(wanted[index]):
            return f"{name} `{parts[index]}` in the policy, `{wanted[index]}` {_WHERE[name]}"
    written = Pattern.resource(parts[5], variables=variables)
    if intersects(written, resource):
        return None  # it covers part of the namespace: an example says more
    have, want = parts[5], wanted[5]
    if have.startswith("repository/") and want.startswith("repository/"):
        have, want = have.removeprefix("repository/"), want.removeprefix("repository/")
    return f"repository `{have}` in the policy, `{want}` for the namespace"
