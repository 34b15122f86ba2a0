"""RL209 ecr-public-push: an ECR repository or registry policy that lets anyone push.

A statement of such a policy is public when it allows a push action (SPEC §6.1:
`ecr:InitiateLayerUpload`, `UploadLayerPart`, `CompleteLayerUpload`, `PutImage`, or a
wildcard or NotAction covering one) to `"*"` or `{"AWS": "*"}` (a list holding `"*"`
included), and no Condition of the statement restricts the caller: a positive
string or ARN operator (not `…IfExists`, not `ForAllValues:`, both true when the key is
missing) on a caller key with concrete values.

Decisions where the SPEC is silent:

- `Allow` with `NotPrincipal` grants everyone but the principals it names: public too.
- A `Deny` fences the push actions it covers when it applies to everyone (`"*"`,
  `{"AWS": "*"}`) and each of its conditions, if any, is a negated operator
  (`StringNotEquals`, `StringNotLike`, `ArnNotEquals`, `ArnNotLike`, or their `IfExists`
  forms) on a caller key with concrete values — the data-perimeter pattern "deny
  everyone outside the organization" — or when it applies to everyone but the
  principals in its `NotPrincipal` with no condition. A fenced action is not reported.
- A value is concrete when it is a number (an account ID) or a string with a character
  other than `*` and `?`; a list of values restricts only when all of them do.
- The finding sits on the `"*"` that opens the grant (or on the `NotPrincipal` key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.checks.iam import policy_model
from reglint.loading.document import DataPath, Document, DocumentKind, PolicyType, Problem
from reglint.model.iam.policy import Effect

# In the order a push calls them: upload the layers, then put the manifest.
PUSH_ACTIONS = (
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
)
# Keys that name the caller, its account or organization, or the resource a service
# acts for (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
CALLER_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    )
)
_MATCHING = ("StringEquals", "StringLike", "ArnEquals", "ArnLike")
RESTRICTING = frozenset((*_MATCHING, *(f"ForAnyValue:{op}" for op in _MATCHING)))
_NEGATED = ("StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike")
FENCING = frozenset((*_NEGATED, *(f"{op}IfExists" for op in _NEGATED)))

_ECR_TYPES = frozenset({PolicyType.ECR_REPOSITORY, PolicyType.ECR_REGISTRY})
_HOW_TO_FIX = (
    "name the accounts or roles that push in Principal, or add a Condition that restricts "
    'the caller, such as "StringEquals": {"aws:PrincipalOrgID": "o-…"}'
)


def check_ecr_public_push(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL209 on each statement that lets anyone push, at the `"*"` that opens it."""
    if settings.policy_type(document) not in _ECR_TYPES:
        return
    # Read as if no placeholder granted anything (SPEC §6.2): an unknown never opens a grant.
    policy = policy_model(document).closed()
    statements = [(s, _raw(document.data, s.path)) for s in policy.statements]
    fenced = {
        action
        for statement, raw in statements
        if statement.effect is Effect.DENY and _fences(raw)
        for action in PUSH_ACTIONS
        if statement.applies_to_action(action)
    }
    for statement, raw in statements:
        if statement.effect is not Effect.ALLOW:
            continue
        opening = _public_opening(raw, statement.path)
        if opening is None:
            continue
        allowed = [a for a in PUSH_ACTIONS if a not in fenced and statement.applies_to_action(a)]
        condition = raw.get("Condition")
        if not allowed or _restricts_caller(condition):
            continue
        path, on_key = opening
        who = "everyone except the principals in NotPrincipal" if on_key else "anyone"
        because = " (its Condition does not restrict the caller)" if condition else ""
        yield Problem(
            "RL209",
            f"{statement.label} lets {who} push ({', '.join(allowed)}): any AWS account could "
            f"overwrite the images{because}; {_HOW_TO_FIX}",
            path=path,
            on_key=on_key,
            identity=",".join(allowed),
        )


def _raw(data: Any, path: DataPath) -> Mapping[Any, Any]:
    """The statement mapping at `path` (`("Statement", 2)` or `("Statement",)`)."""
    node = data.get("Statement") if isinstance(data, Mapping) else None
    if len(path) > 1 and isinstance(node, list) and isinstance(path[1], int):
        node = node[path[1]]
    return node if isinstance(node, Mapping) else {}


def _public_opening(raw: Mapping[Any, Any], path: DataPath) -> tuple[DataPath, bool] | None:
    """Where a statement opens itself to anyone: its `"*"` principal, or its NotPrincipal
    key (on_key); None when it names whom it applies to."""
    if "NotPrincipal" in raw and "Principal" not in raw:
        return (*path, "NotPrincipal"), True
    star = _everyone(raw.get("Principal"))
    return ((*path, "Principal", *star), False) if star is not None else None


def _everyone(principal: Any) -> tuple[Any, ...] | None:
    """The path within a Principal to the `"*"` that means anyone, or None."""
    if principal == "*":
        return ()
    aws = principal.get("AWS") if isinstance(principal, Mapping) else None
    if aws == "*":
        return ("AWS",)
    if isinstance(aws, list) and "*" in aws:
        return ("AWS", aws.index("*"))
    return None


def _fences(raw: Mapping[Any, Any]) -> bool:
    """True for a Deny that keeps everyone but chosen callers out (see the module doc)."""
    condition = raw.get("Condition")
    if "NotPrincipal" in raw and "Principal" not in raw:
        return not condition
    if _everyone(raw.get("Principal")) is None:
        return False
    if not condition:
        return True
    return _all_caller_tests(condition, FENCING)


def _restricts_caller(condition: Any) -> bool:
    """True when some test of the Condition restricts the caller: all its tests must
    hold, so one that restricts is enough."""
    if not isinstance(condition, Mapping):
        return False
    return any(
        operator in RESTRICTING and isinstance(tests, Mapping) and any(
            _caller_test(key, values) for key, values in tests.items()
        )
        for operator, tests in condition.items()
    )


def _all_caller_tests(condition: Any, operators: frozenset[str]) -> bool:
    """True when every test of `condition` uses one of `operators` on a caller key with
    concrete values."""
    if not isinstance(condition, Mapping) or not condition:
        return False
    for operator, tests in condition.items():
        if operator not in operators or not isinstance(tests, Mapping) or not tests:
            return False
        if not all(_caller_test(key, values) for key, values in tests.items()):
            return False
    return True


def _caller_test(key: Any, values: Any) -> bool:
    """A test on a caller key (keys match case-insensitively) with concrete values."""
    return isinstance(key, str) and key.lower() in CALLER_KEYS and _concrete(values)


def _concrete(values: Any) -> bool:
    items = values if isinstance(values, list) else [values]
    return bool(items) and all(_concrete_value(value) for value in items)


def _concrete_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(value.strip("*?"))


ECR_PUBLIC_PUSH_CHECK = DocumentCheck(
    "ecr-public-push", frozenset({"RL209"}), frozenset({DocumentKind.POLICY}), check_ecr_public_push
)
