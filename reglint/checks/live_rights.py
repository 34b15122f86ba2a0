"""RL201 and RL202 on what is deployed (`reglint aws verify`, SPEC §6.4): the rights of
the identity that pushes for an ECR registry service, as IAM holds them today,
evaluated with the same engine and worded as `check` words them (push_verdicts.py).

The findings sit at the manifest's `spec.url` (the registry the rights are about); a
role that does not exist is an RL201 error at `spec.auth.roleArn` when the manifest
names it there, else at `spec.url` (the role came from `--role` or the caller). A role
of another account than the credentials' cannot be read (IAM shows a role only to its
own account): RL201 says so as a `note` at the same place, and what it would take.

Deployed policies are no files, so the messages name them instead of pointing at them:
each managed policy by ARN and default version (`arn:aws:iam::aws:policy/
AmazonEC2ContainerRegistryPowerUser (v3)`), each inline policy by name and owner, with the statement behind a verdict. The rights are
evaluated as `check` evaluates an IaC role (model/iam/rights.py, one model for both):
the union of the deployed policies limited by the permissions boundary (an action it
does not allow is missing, and the reason names the boundary), an AWS managed policy
named in the reason where it decides (`not allowed by any statement: arn:aws:iam::aws:
policy/X (v3) does not allow it`); what the reasons do not name, the message adds after
a dash (`inline policy 'push' of group g does not allow ecr:PutImage`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from reglint.checks.push_verdicts import missing_actions_message
from reglint.findings import Severity
from reglint.live.facts import DeployedPolicy, IdentitySource, LiveService
from reglint.loading.document import Problem
from reglint.model.iam.evaluation import RepositoryTarget
from reglint.model.iam.managed_policies import parse_policy_arn
from reglint.model.iam.policy import Policy
from reglint.model.iam.rights import Boundary, Rights, evaluate_rights
from reglint.model.iam.verdicts import ActionVerdict, PolicyEvaluation, Verdict

__all__ = ["LIVE_RIGHTS_RULES", "ROLE_ARN", "URL", "deployed_rights_problems", "namespace_target"]

LIVE_RIGHTS_RULES = frozenset({"RL201", "RL202"})
URL = ("spec", "url")
ROLE_ARN = ("spec", "auth", "roleArn")


def namespace_target(live: LiveService) -> RepositoryTarget:
    host = live.host
    return RepositoryTarget.for_namespace(host.partition, host.region, host.account, live.namespace.repository_prefix)


def deployed_rights_problems(live: LiveService, required: Sequence[str]) -> Iterator[Problem]:
    """RL201 for each push action the deployed rights lack, RL202 for the conditional ones."""
    identity = live.identity
    at_manifest = identity.source is IdentitySource.MANIFEST
    if identity.unreadable_reason:
        yield Problem(
            "RL201",
            f"the deployed rights of the pushing {identity.kind} (from {identity.source.value}) were not "
            f"verified: {identity.unreadable_reason}",
            path=ROLE_ARN if at_manifest else URL,
            document=live.manifest,
            severity=Severity.NOTE,
            identity=f"live:unreadable:{identity.arn}",
        )
        return
    if identity.rights is None:
        at_manifest = identity.source is IdentitySource.MANIFEST
        yield Problem(
            "RL201",
            f"{identity.missing_reason} (the pushing identity, from {identity.source.value}): nothing can "
            f"push to {live.namespace} with it; create the role, or fix the ARN",
            path=ROLE_ARN if at_manifest else URL,
            document=live.manifest,
            identity=f"live:missing:{identity.arn}",
        )
        return
    rights = identity.rights
    boundaries: tuple[Boundary, ...] = ()
    if rights.boundary is not None:
        boundaries = (Boundary(rights.boundary.label, ((_model(rights.boundary),),)),)
    model = Rights(identity.arn, (tuple(_model(p) for p in rights.policies),), boundaries)
    evaluation = evaluate_rights(model, required, namespace_target(live))
    who = f"the deployed rights of {identity.kind} {identity.arn} (from {identity.source.value})"
    deployed = ", ".join(p.label for p in rights.policies) or "none"
    if rights.boundary is not None:
        deployed += f"; permissions boundary {rights.boundary.label}"
    if evaluation.missing:
        deciders = _deciders(evaluation.missing)
        yield Problem(
            "RL201",
            f"{who}: {missing_actions_message(evaluation, len(required))}{deciders} "
            f"(deployed policies: {deployed})",
            path=URL,
            document=live.manifest,
            identity="live:" + ",".join(v.action for v in evaluation.missing),
        )
    if evaluation.conditional:
        yield Problem(
            "RL202",
            f"{who}: {_conditional(evaluation)}: confirm that each Condition holds wherever the "
            "platform pushes, or grant the actions unconditionally",
            path=URL,
            document=live.manifest,
            identity="live:" + ",".join(v.action for v in evaluation.conditional),
        )


def _model(policy: DeployedPolicy) -> Policy:
    """A deployed policy as the model evaluates it, named as the messages name it."""
    parsed = parse_policy_arn(policy.arn) if policy.arn is not None else None
    aws_managed = parsed is not None and parsed.aws_managed
    return Policy.from_data(policy.document)._replace(name=policy.label, aws_managed=aws_managed)


def _deciders(missing: Sequence[ActionVerdict]) -> str:
    """Which deployed policy (and statement) decided each missing action that its reason
    does not name already (an AWS managed policy, a boundary), grouped: ` — X (v3) does
    not allow a, b; inline policy 'p' of role r Statement[1] denies c`."""
    groups: dict[tuple[str, Verdict | None], list[str]] = {}
    for verdict in missing:
        if verdict.verdict is Verdict.UNDECIDED or verdict.boundary is not None:
            continue  # its reason says why, and names the boundary
        if verdict.verdict is Verdict.NOT_ALLOWED and any(r.policy.aws_managed for r in verdict.deciding):
            continue  # the reason names the AWS managed policy (verdicts.py)
        if not verdict.deciding:
            groups.setdefault(("no deployed policy allows", None), []).append(verdict.action)
            continue
        for where in dict.fromkeys(
            # Where an action is simply absent, the policy says enough; else its statement.
            f"{ref.policy.name}"
            if verdict.verdict is Verdict.NOT_ALLOWED
            else f"{ref.policy.name} {ref.statement.label}"
            for ref in verdict.deciding
        ):
            groups.setdefault((where, verdict.verdict), []).append(verdict.action)
    said = "; ".join(
        f"{where} {', '.join(actions)}" if kind is None else f"{where} {kind.role(', '.join(actions))}"
        for (where, kind), actions in groups.items()
    )
    return f" — {said}" if said else ""


def _conditional(evaluation: PolicyEvaluation) -> str:
    groups: dict[tuple[str, str], list[str]] = {}
    for verdict in evaluation.conditional:
        statements = ", ".join(f"{r.policy.name} {r.statement.label}" for r in verdict.deciding)
        groups.setdefault((verdict.verdict.phrase, statements), []).append(verdict.action)
    parts = "; ".join(
        f"{', '.join(actions)} {'is' if len(actions) == 1 else 'are'} {phrase} ({statements})"
        for (phrase, statements), actions in groups.items()
    )
    return f"for {evaluation.target.description}: {parts}"
