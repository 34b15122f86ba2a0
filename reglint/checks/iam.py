"""RL201–RL207: the rules of one IAM policy document.

Three checks, so the engine can run (and the project register) each family alone:

- `iam-actions` (RL203): every Action/NotAction entry names a real action.
- `iam-grammar` (RL205, RL206, RL207): Version, ARN grammar, unique Sids.
- `iam-push-policy` (RL201, RL202, RL204): a standalone push policy (matched by the
  config's `ecr-push-policies`) allows the required ECR actions for some repository,
  unconditionally, and without `ecr:*` on everything.

`overbroad_grants` is shared with the linked-policy check, which evaluates a manifest's
`iamPolicies` for its namespace; both word RL201/RL202 through `push_verdicts`.

RL203 and RL206 also report a pattern beyond reglint's bounds (too many wildcards, or
too long with wildcards: `patterns.py`, "Bounds"), saying how RL201 reads it.

An IaC policy's value known only at deploy time (`Document.unknowns`, SPEC §6.2) is no
finding: an entry unknown as a whole is not checked, and one with unknown parts is
checked with each unknown part read as `*` (`ecr:${Verb}` names some ECR action;
`ecrr:${Verb}` names no service). RL204 reads the policy as if no placeholder granted
anything (`Policy.closed`): an unknown value never makes a grant look over-broad.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.checks.fix_proposals import action_fix, is_typo, version_fix
from reglint.checks.push_fixes import missing_actions_fix, overbroad_fix
from reglint.checks.push_verdicts import (
    conditional_problems,
    deciding_statements,
    missing_actions_message,
    needs_star_resource,
)
from reglint.findings import Severity
from reglint.loading.document import (
    DataPath,
    Document,
    DocumentKind,
    FixProposal,
    PolicyType,
    Problem,
)
from reglint.model.iam.arns import ANY_REPOSITORY_ARN, arn_problem, named_partitions
from reglint.model.iam.catalogue import (
    ACTION_COMPARISONS,
    action_info,
    search_actions,
    service_exists,
    similar_actions,
    similar_services,
    split_action,
)
from reglint.model.iam.patterns import (
    MAX_PATTERN_LENGTH,
    MAX_WILDCARDS,
    Pattern,
    WorkLimitReached,
    covers,
    intersects,
)
from reglint.model.iam.policy import CURRENT_VERSION, Effect, Policy, Statement
from reglint.model.iam.verdicts import shortened
from reglint.model.iam.work import WorkBudget, work_budget

__all__ = ["IAM_CHECKS", "overbroad_grants", "policy_model"]

_POLICY = frozenset({DocumentKind.POLICY})
_EVERY_ECR_ACTION = Pattern.action("ecr:*")
_ANY_REPOSITORY = Pattern.segment_glob(ANY_REPOSITORY_ARN)


def policy_model(document: Document) -> Policy:
    """The policy model of a document, built once and shared by every check on it."""
    return document.derived("policy", Policy.from_document)


# -- RL203 unknown-action ---------------------------------------------------------------


def check_actions(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL203 at each Action/NotAction entry that matches no catalogue action (nor a
    `known-actions` entry), or that is beyond reglint's bounds.

    One document may compare its wildcards with at most `ACTION_COMPARISONS` catalogue
    actions, and share one search budget for `known-actions` (work.py): past either,
    its remaining wildcard entries are not checked (no finding rather than a guess).
    """
    comparisons = WorkBudget(ACTION_COMPARISONS)
    with work_budget():
        for statement in policy_model(document).statements:
            for value, pattern in zip(statement.actions, statement.action_patterns):
                if value.wholly_unknown:
                    continue
                if not pattern.within_bounds:
                    message = _beyond_bounds(pattern, statement, statement.not_action, "ecr:Put*")
                    yield Problem("RL203", message, path=value.path, identity=value.text)
                    continue
                try:
                    verdict = unknown_action(value.starred, settings.known_actions, comparisons)
                except WorkLimitReached:
                    continue
                if verdict is not None:
                    message, severity = verdict
                    yield Problem(
                        "RL203", message, path=value.path, severity=severity, identity=value.text,
                        fix=_renamed_action(value.text, value.path),
                    )


def unknown_action(
    text: str, known: tuple[str, ...] = (), comparisons: WorkBudget | None = None
) -> tuple[str, Severity | None] | None:
    """Why an Action entry names nothing (and a warning level for an unknown service).

    An entry that matches one of the config's `known-actions` (names or patterns) is
    known: the catalogue may be older than the action. The catalogue actions compared
    are charged to `comparisons`; `WorkLimitReached` when it is spent.
    """
    if comparisons is not None and comparisons.left <= 0 and ("*" in text or "?" in text):
        raise WorkLimitReached  # spent: no more catalogue scans for this document
    found, compared = _catalogue_verdict(text)
    if comparisons is not None:
        comparisons.spend(compared)
    if found is not None and known and _matches_known(text, known):
        return None
    return found


def _matches_known(text: str, known: tuple[str, ...]) -> bool:
    """Not cached: each query's work is charged to the document's budget (work.py)."""
    entry = Pattern.action(text)
    return any(intersects(entry, p) for p in map(Pattern.action, known) if p.within_bounds)


@lru_cache(maxsize=8192)
def _catalogue_verdict(text: str) -> tuple[tuple[str, Severity | None] | None, int]:
    """Why an entry matches no catalogue action, and how many catalogue actions it was
    compared with. Cached: the same action names recur in policy after policy."""
    parts = split_action(text)
    wild = "*" in text or "?" in text
    if parts is None and not wild:
        return (f"`{text}` is not an action: write service:Action, such as ecr:PutImage", None), 0
    if parts is None or "*" in parts[0] or "?" in parts[0]:
        matched, compared = search_actions(text)
        return (None if matched else (f"`{text}` matches no known action{_NEWER}", None)), compared
    service, name = parts
    if not service_exists(service):
        hint = _did_you_mean(similar_services(service)) or _NEWER
        # The catalogue may simply be older than the service: a warning, not an error.
        return (f"unknown service prefix `{service}` in `{text}`{hint}", Severity.WARNING), 0
    if wild:
        matched, compared = search_actions(text)
        if matched:
            return None, compared
        return (
            f"`{text}` matches no action of service `{service.lower()}`{_NEWER}",
            None,
        ), compared
    if action_info(text) is not None:
        return None, 0
    hint = _did_you_mean(similar_actions(text)) or _NEWER
    message = f"unknown action `{text}`: service `{service.lower()}` has no action `{name}`{hint}"
    return (message, None), 0


def _beyond_bounds(pattern: Pattern, statement: Statement, negated: bool, example: str) -> str:
    """RL203/RL206 for a pattern reglint does not evaluate: why, how it is read, the fix."""
    if pattern.wildcards > MAX_WILDCARDS:
        size = f"has {pattern.wildcards:,} wildcards"
    else:
        size = f"is {len(pattern.text):,} characters long"
    reading = dict(statement.readings_beyond_bounds).get(pattern)
    effect = statement.effect.value if statement.effect is not None else "statement"
    if reading is not None:
        how = f"this {effect} is read as {'excluding' if negated else 'covering'} `{reading.text}`"
    elif statement.effect is Effect.DENY:
        how = "this Deny is read as excluding nothing"
    else:
        how = f"this {effect} grants nothing through it"
    return (
        f"`{shortened(pattern.text)}` {size}: reglint evaluates patterns of at most "
        f"{MAX_WILDCARDS} wildcards (`*`, `?`, policy variables) and {MAX_PATTERN_LENGTH} "
        f"characters, so it does not evaluate this one ({how}); write it with fewer "
        f"wildcards, such as `{example}`"
    )


_NEWER = "; if it is newer than reglint's IAM catalogue, list it in the config's known-actions"


def _renamed_action(text: str, path: DataPath) -> FixProposal | None:
    """RL203's fix (unsafe): the one catalogue action a misspelt name is close to, when
    the two are alike enough to be a typo (`fix_proposals.TYPO_LIKENESS`)."""
    if "*" in text or "?" in text or split_action(text) is None:
        return None
    candidates = similar_actions(text, limit=2)
    if len(candidates) != 1 or not is_typo(text, candidates[0]):
        return None
    return action_fix(path, candidates[0])


def _did_you_mean(candidates: Sequence[str]) -> str:
    return f" (did you mean `{candidates[0]}`?)" if candidates else ""


# -- RL205 policy-version, RL206 invalid-arn, RL207 duplicate-sid --------------------------


def check_grammar(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL205, RL206 and RL207: the parts of the grammar the JSON Schema leaves open."""
    policy = policy_model(document)
    if not isinstance(document.data, Mapping):
        return
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    if not policy.version_present:
        yield Problem(
            "RL205",
            f"the policy has no Version, so IAM reads it as 2008-10-17, where policy variables "
            f'are not substituted; add "Version": "{CURRENT_VERSION}"',
            identity="missing",
            fix=version_fix(present=False),
        )
    elif policy.version == "2008-10-17":
        yield Problem(
            "RL205",
            f"Version 2008-10-17 is the old policy language, where policy variables are not "
            f'substituted; use "{CURRENT_VERSION}"',
            path=("Version",),
            identity="2008-10-17",
            fix=version_fix(present=True),
        )
    for statement in policy.statements:
        for value in statement.resources:
            if value.wholly_unknown:
                continue
            reason = arn_problem(value.starred)
            if reason is not None:
                yield Problem(
                    "RL206",
                    f"`{shortened(value.text, 200)}` is not a valid ARN: {reason}",
                    path=value.path,
                    identity=value.text,
                )
            elif _maybe_beyond_bounds(value.text):
                pattern = Pattern.resource(value.text, variables=statement.variables)
                if not pattern.within_bounds:
                    example = "arn:aws:ecr:*:123456789012:repository/team-*"
                    message = _beyond_bounds(pattern, statement, statement.not_resource, example)
                    yield Problem("RL206", message, path=value.path, identity=value.text)
    yield from _duplicate_sids(policy.statements)


def _maybe_beyond_bounds(text: str) -> bool:
    """A cheap test on the text first: most entries are short with a wildcard or two."""
    wildcards = text.count("*") + text.count("?") + text.count("${")
    return len(text) > MAX_PATTERN_LENGTH or wildcards > MAX_WILDCARDS


def _duplicate_sids(statements: Iterable[Statement]) -> Iterator[Problem]:
    first: dict[str, Statement] = {}
    for statement in statements:
        if statement.sid is None:
            continue
        earlier = first.setdefault(statement.sid, statement)
        if earlier is not statement:
            yield Problem(
                "RL207",
                f'Sid "{statement.sid}" is already used by {earlier.position}; each statement '
                "of a policy needs its own Sid",
                path=(*statement.path, "Sid"),
                identity=statement.sid,
            )


# -- RL201, RL202, RL204 for a standalone push policy -------------------------------------


def check_push_policy(document: Document, settings: CheckSettings) -> Iterator[Problem]:
    """RL201/RL202/RL204 for a policy matched by `ecr-push-policies` (any repository),
    in each partition its ECR ARNs name, `aws` when they name none (SPEC §6.1).

    Only identity policies grant a pusher its rights (SPEC §6.1); a repository policy
    takes part only in a cross-account push (§6.2), which evaluates it with the pusher's."""
    if not settings.is_push_policy(document) or not takes_push_rules(document, settings):
        return
    from reglint.model.iam.evaluation import RepositoryTarget, evaluate_policies

    policy = policy_model(document)
    required = settings.required_ecr_actions
    resources = (v.text for s in policy.statements for v in s.resources)
    partitions = named_partitions(resources) or ("aws",)
    shown = partitions != ("aws",)
    conditional: dict[tuple[object, ...], Problem] = {}
    with work_budget():  # one budget for every partition's evaluation
        for partition in partitions:
            target = RepositoryTarget.any(partition, show_partition=shown)
            evaluation = evaluate_policies([policy], required, target)
            if evaluation.missing:
                actions = ",".join(v.action for v in evaluation.missing)
                yield Problem(
                    "RL201",
                    missing_actions_message(evaluation, len(required)),
                    path=("Statement",),
                    related=deciding_statements(evaluation.missing),
                    identity=actions if partition == "aws" else f"{actions}@{partition}",
                    fix=missing_actions_fix(evaluation, [document]),
                )
            for problem in conditional_problems(evaluation, document):
                conditional.setdefault((problem.path, problem.identity), problem)
    yield from conditional.values()  # a Condition is reported once, for its first partition
    yield from overbroad_grants(policy, required)


def takes_push_rules(document: Document, settings: CheckSettings) -> bool:
    """True when RL201/RL202/RL204 apply to the policy on its own: an identity policy."""
    return settings.policy_type(document) is PolicyType.IDENTITY


def overbroad_grants(
    policy: Policy, required: Sequence[str], namespaces: Sequence[str] = ()
) -> Iterator[Problem]:
    """RL204: an Allow of every ECR action on every resource (Condition or not).

    Patterns beyond reglint's bounds are read as granting less (see `policy.Statement`),
    and the statements of one policy share one work budget: an answer past it is "no".
    `namespaces`: the repository ARN patterns of the manifests that link the policy,
    which its fix narrows the grant to (none: no fix).
    """
    suggestion = (
        f"grant only {', '.join(a for a in required if not needs_star_resource(a))} on the "
        "namespace's repository ARN (arn:<partition>:ecr:<region>:<account>:repository/<namespace>*), and "
        'ecr:GetAuthorizationToken alone on "*"'
    )
    with work_budget():
        closed = policy.closed().statements
        broad = [s for s in closed if s.effect is Effect.ALLOW and s.evaluable]
        broad = [s for s in broad if _grants_everything(s)]
    for statement in broad:
        if statement.not_action:
            path, identity = (*statement.path, "NotAction"), "NotAction"
            shown = "every ECR action (its NotAction excludes none)"
        else:
            value = next(
                v
                for v, p in zip(statement.actions, statement.action_patterns)
                if p.within_bounds and covers(p, _EVERY_ECR_ACTION)
            )
            path, identity, shown = value.path, value.text, f"`{value.text}`"
        yield Problem(
            "RL204",
            f"{statement.label} allows {shown} on every resource, including "
            "ecr:DeleteRepository and ecr:SetRepositoryPolicy on other teams' repositories; "
            + suggestion,
            path=path,
            identity=identity,
            fix=overbroad_fix(policy, statement, required, namespaces),
        )


def _grants_everything(statement: Statement) -> bool:
    try:
        return _grants_every_ecr_action(statement)
    except WorkLimitReached:
        return False  # not shown within the work bound: no warning


def _grants_every_ecr_action(statement: Statement) -> bool:
    patterns = statement.evaluated_action_patterns
    if statement.not_action:
        every_action = not any(intersects(p, _EVERY_ECR_ACTION) for p in patterns)
    else:
        every_action = any(covers(p, _EVERY_ECR_ACTION) for p in patterns)
    if not every_action:
        return False
    resources = statement.evaluated_resource_patterns
    if not statement.not_resource:
        return any(p.is_universal for p in resources)
    return not any(p.matches("*") or intersects(p, _ANY_REPOSITORY) for p in resources)


IAM_CHECKS: tuple[DocumentCheck, ...] = (
    DocumentCheck("iam-actions", frozenset({"RL203"}), _POLICY, check_actions),
    DocumentCheck("iam-grammar", frozenset({"RL205", "RL206", "RL207"}), _POLICY, check_grammar),
    DocumentCheck(
        "iam-push-policy", frozenset({"RL201", "RL202", "RL204"}), _POLICY, check_push_policy
    ),
)
