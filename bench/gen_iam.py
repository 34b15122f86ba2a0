"""Realistic, seeded AWS IAM identity policies for the benchmark corpus.

Every policy comes from one `random.Random`, so a seed gives the same bytes on every
machine. The mix follows what platform repositories hold: ECR push and pull policies
(the nine push actions, scoped or on `*`, with wildcards, Conditions and Deny guards),
application policies over a dozen services, guardrails with `NotAction`/`NotResource`,
the wrapped outputs of `aws iam get-policy-version` / `get-role-policy`, and a few
mistakes of the kinds people make (typos, bad ARNs, broken JSON).
"""

from __future__ import annotations

import json
import random
import urllib.parse
from dataclasses import dataclass
from typing import Any

from gen_vocabulary import ECR_PULL_ACTIONS, REGIONS, SERVICE_ACTIONS, WORDS

# The nine push actions of SPEC's intro, from reglint itself: one list, not two.
from reglint.model.iam.ecr_push import ECR_PUSH_ACTIONS


@dataclass(frozen=True, slots=True)
class GeneratedPolicy:
    """One policy file: its text, and what it is for (file naming, RL201 globs)."""

    text: str
    purpose: str  # "ecr-push", "ecr-pull", "app", "guardrail", ...


class PolicyFactory:
    """Draws policies from one seeded random source."""

    def __init__(self, rng: random.Random, accounts: tuple[str, ...]) -> None:
        self.rng = rng
        self.accounts = accounts

    # --- building blocks -------------------------------------------------------------

    def partition(self) -> str:
        return self.rng.choices(("aws", "aws-cn", "aws-us-gov"), (90, 5, 5))[0]

    def name(self, parts: int = 2) -> str:
        return "-".join(self.rng.sample(WORDS, parts))

    def arn(self, service: str, partition: str, region: str, account: str) -> str:
        """A plausible resource ARN of `service` (sometimes with wildcards or variables)."""
        r, n = self.rng, self.name()
        shapes = {
            "s3": f"arn:{partition}:s3:::{n}-{account[-4:]}"
            + r.choice(("", "/*", "/${aws:username}/*", "/raw/*")),
            "dynamodb": f"arn:{partition}:dynamodb:{region}:{account}:table/{n}"
            + r.choice(("", "/index/*")),
            "logs": f"arn:{partition}:logs:{region}:{account}:log-group:/aws/{n}:*",
            "sqs": f"arn:{partition}:sqs:{region}:{account}:{n}" + r.choice(("", "-dlq", "*")),
            "sns": f"arn:{partition}:sns:{region}:{account}:{n}",
            "kms": f"arn:{partition}:kms:{region}:{account}:key/{self.uuid()}",
            "ec2": f"arn:{partition}:ec2:{region}:{account}:instance/*",
            "lambda": f"arn:{partition}:lambda:{region}:{account}:function:{n}"
            + r.choice(("", ":*")),
            "iam": f"arn:{partition}:iam::{account}:role/{n}" + r.choice(("", "-*")),
            "sts": f"arn:{partition}:iam::{account}:role/{n}-deployer",
            "cloudwatch": "*",
            "secretsmanager": f"arn:{partition}:secretsmanager:{region}:{account}:secret:{n}-??????",
            "ssm": f"arn:{partition}:ssm:{region}:{account}:parameter/{n}/*",
            "ecs": f"arn:{partition}:ecs:{region}:{account}:service/{n}/*",
            "eks": f"arn:{partition}:eks:{region}:{account}:cluster/{n}",
            "cloudformation": f"arn:{partition}:cloudformation:{region}:{account}:stack/{n}/*",
            "ecr": f"arn:{partition}:ecr:{region}:{account}:repository/{n}/*",
        }
        return shapes[service]

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def where(self) -> tuple[str, str, str]:
        partition = self.partition()
        return partition, self.rng.choice(REGIONS[partition]), self.rng.choice(self.accounts)

    def one_or_list(self, values: list[str]) -> str | list[str]:
        return values[0] if len(values) == 1 and self.rng.random() < 0.6 else values

    def sid(self, stem: str) -> str:
        return stem + "".join(w.capitalize() for w in self.rng.sample(WORDS, 2))

    def condition(self, partition: str, account: str) -> dict[str, Any]:
        r = self.rng
        choices = (
            {
                "StringEquals": {
                    "aws:RequestedRegion": r.sample(
                        REGIONS[partition], min(2, len(REGIONS[partition]))
                    )
                }
            },
            {"Bool": {"aws:SecureTransport": "true"}},
            {"StringEquals": {"aws:SourceVpc": f"vpc-{r.getrandbits(32):08x}"}},
            {"IpAddress": {"aws:SourceIp": [f"10.{r.randrange(256)}.0.0/16", "192.0.2.0/24"]}},
            {"StringLike": {"s3:prefix": ["home/${aws:username}/*", ""]}},
            {"ArnLike": {"aws:SourceArn": f"arn:{partition}:lambda:*:{account}:function:*"}},
            {"NumericLessThan": {"s3:max-keys": "100"}},
            {"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}},
            {
                "StringEquals": {"aws:PrincipalTag/team": self.name(1)},
                "Null": {"aws:TokenIssueTime": "false"},
            },
        )
        return r.choice(choices)

    # --- policy kinds ----------------------------------------------------------------

    def ecr_push(
        self, where: tuple[str, str, str] | None = None, path: str | None = None
    ) -> list[dict[str, Any]]:
        """The nine push actions, for the repositories under `path` (drawn when not given)."""
        r = self.rng
        partition, region, account = where or self.where()
        path = path or self.name() + "/"
        repo = f"arn:{partition}:ecr:{region}:{account}:repository/{path}*"
        push = [a for a in ECR_PUSH_ACTIONS if a != "ecr:GetAuthorizationToken"]
        style = r.choices(("scoped", "star", "wildcards", "overbroad"), (55, 20, 15, 10))[0]
        if style == "wildcards":
            push = [
                "ecr:BatchCheck*",
                "ecr:*LayerUpload",
                "ecr:UploadLayerPart",
                "ecr:PutImage",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:CreateRepository",
            ]
        if r.random() < 0.08:  # a forgotten action: RL201 names it
            push.remove(r.choice(push))
        if r.random() < 0.03:  # a typo: RL203 suggests the real name
            push[push.index("ecr:PutImage") if "ecr:PutImage" in push else 0] = "ecr:PutImages"
        if r.random() < 0.15:
            push = [a.lower() for a in push]  # action names match case-insensitively
        statements: list[dict[str, Any]]
        if style == "overbroad":
            statements = [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]
        elif style == "star":
            statements = [
                {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", *push], "Resource": "*"}
            ]
        else:
            resources = [repo]
            if r.random() < 0.2:  # a second team's repositories in the same grant
                resources.append(
                    f"arn:{partition}:ecr:{region}:{account}:repository/{self.name()}/*"
                )
            statements = [
                {
                    "Sid": "AuthToken",
                    "Effect": "Allow",
                    "Action": "ecr:GetAuthorizationToken",
                    "Resource": "*",
                },
                {
                    "Sid": "PushImages",
                    "Effect": "Allow",
                    "Action": push,
                    "Resource": self.one_or_list(resources),
                },
            ]
            if r.random() < 0.12:  # only from the build VPC: RL202
                statements[1]["Condition"] = self.condition(partition, account)
        if r.random() < 0.25:
            statements.append(
                {
                    "Sid": "NoDeletes",
                    "Effect": "Deny",
                    "Action": ["ecr:DeleteRepository", "ecr:BatchDeleteImage"],
                    "Resource": "*",
                }
            )
        return statements

    def ecr_pull(self) -> list[dict[str, Any]]:
        partition, region, account = self.where()
        actions = list(
            self.rng.sample(ECR_PULL_ACTIONS, self.rng.randint(3, len(ECR_PULL_ACTIONS)))
        )
        return [
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": actions,
                "Resource": f"arn:{partition}:ecr:{region}:{account}:repository/*",
            },
        ]

    def app(self, statements: int | None = None) -> list[dict[str, Any]]:
        r = self.rng
        partition, region, account = self.where()
        out = []
        for _ in range(statements or r.choices((1, 2, 3, 4, 6), (25, 30, 25, 12, 8))[0]):
            service = r.choice(tuple(SERVICE_ACTIONS))
            names = r.sample(
                SERVICE_ACTIONS[service], r.randint(1, min(5, len(SERVICE_ACTIONS[service])))
            )
            actions = [f"{service}:{n}" for n in names]
            if r.random() < 0.15:
                actions = [f"{service}:{r.choice(('Get', 'List', 'Describe'))}*"]
            resources = (
                ["*"]
                if r.random() < 0.25
                else [self.arn(service, partition, region, account) for _ in range(r.randint(1, 3))]
            )
            statement: dict[str, Any] = {
                "Effect": "Allow",
                "Action": self.one_or_list(actions),
                "Resource": self.one_or_list(resources),
            }
            if r.random() < 0.6:
                statement = {"Sid": self.sid(service.capitalize()), **statement}
            if r.random() < 0.15:
                statement["Condition"] = self.condition(partition, account)
            out.append(statement)
        return out

    def large(self) -> list[dict[str, Any]]:
        """Application policies grow: 12 to 40 statements."""
        return self.app(self.rng.randint(12, 40))

    def guardrail(self) -> list[dict[str, Any]]:
        r = self.rng
        partition, _region, _account = self.where()
        regions = r.sample(REGIONS[partition], min(2, len(REGIONS[partition])))
        kind = r.randrange(3)
        if kind == 0:
            return [
                {
                    "Sid": "DenyOutsideRegions",
                    "Effect": "Deny",
                    "NotAction": ["iam:*", "sts:*", "support:*", "cloudfront:*", "route53:*"],
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:RequestedRegion": regions}},
                }
            ]
        if kind == 1:
            return [
                {"Sid": "AllowAllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {
                    "Sid": "DenyWithoutMfa",
                    "Effect": "Deny",
                    "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"],
                    "Resource": "*",
                    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                },
            ]
        bucket = f"arn:{partition}:s3:::{self.name()}-secrets"
        return [
            {"Effect": "Allow", "Action": "s3:*", "NotResource": [bucket, f"{bucket}/*"]},
            {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
        ]

    def self_service(self) -> list[dict[str, Any]]:
        partition, _region, account = self.where()
        user = f"arn:{partition}:iam::{account}:user/${{aws:username}}"
        return [
            {
                "Sid": "ManageOwnAccessKeys",
                "Effect": "Allow",
                "Action": [
                    "iam:CreateAccessKey",
                    "iam:DeleteAccessKey",
                    "iam:ListAccessKeys",
                    "iam:UpdateAccessKey",
                ],
                "Resource": user,
            },
            {"Sid": "ReadOwnUser", "Effect": "Allow", "Action": "iam:GetUser", "Resource": user},
        ]

    def deployer(self) -> list[dict[str, Any]]:
        r = self.rng
        partition, region, account = self.where()
        role = f"arn:{partition}:iam::{account}:role/{self.name()}-task"
        return [
            {
                "Sid": "Deploy",
                "Effect": "Allow",
                "Action": [f"ecs:{a}" for a in r.sample(SERVICE_ACTIONS["ecs"], 4)],
                "Resource": "*",
            },
            {
                "Sid": "PassTaskRole",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": role,
                "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
            },
            {
                "Sid": "Stacks",
                "Effect": "Allow",
                "Action": "cloudformation:*",
                "Resource": self.arn("cloudformation", partition, region, account),
            },
        ]

    # --- whole files -----------------------------------------------------------------

    def policy(self) -> GeneratedPolicy:
        r = self.rng
        purpose = r.choices(
            ("ecr-push", "ecr-pull", "app", "guardrail", "self-service", "deployer", "large"),
            (25, 8, 38, 8, 4, 10, 7),
        )[0]
        build = {
            "ecr-push": self.ecr_push,
            "ecr-pull": self.ecr_pull,
            "app": self.app,
            "guardrail": self.guardrail,
            "self-service": self.self_service,
            "deployer": self.deployer,
            "large": self.large,
        }
        statements = build[purpose]()
        return GeneratedPolicy(self.render(statements), purpose)

    def document(self, statements: list[dict[str, Any]]) -> dict[str, Any]:
        r = self.rng
        version = r.choices(("2012-10-17", "2008-10-17", None), (94, 3, 3))[0]
        document: dict[str, Any] = {"Version": version} if version else {}
        if r.random() < 0.03:
            document["Id"] = f"{self.name()}-policy"
        document["Statement"] = (
            statements[0] if len(statements) == 1 and r.random() < 0.3 else statements
        )
        return document

    def render(self, statements: list[dict[str, Any]]) -> str:
        """Wrap and format a policy the ways people store them; sometimes with a mistake."""
        r = self.rng
        mistake = r.random() < 0.06
        if mistake:
            statements = self.spoil(statements)
        data: Any = self.document(statements)
        wrap = r.choices(("plain", "policy-version", "role-policy", "encoded"), (84, 10, 4, 2))[0]
        if wrap == "policy-version":
            data = {
                "PolicyVersion": {
                    "Document": data,
                    "VersionId": f"v{r.randint(1, 5)}",
                    "IsDefaultVersion": True,
                    "CreateDate": "2024-03-18T09:12:45+00:00",
                }
            }
        elif wrap == "role-policy":
            data = {
                "RoleName": f"{self.name()}-role",
                "PolicyName": f"{self.name()}-inline",
                "PolicyDocument": data,
            }
        elif wrap == "encoded":
            data = {
                "PolicyVersion": {
                    "Document": urllib.parse.quote(json.dumps(data, separators=(",", ":"))),
                    "VersionId": "v1",
                    "IsDefaultVersion": True,
                }
            }
        indent = r.choices((2, 4, None), (60, 25, 15))[0]
        text = json.dumps(data, indent=indent) + "\n"
        if mistake and r.random() < 0.3:
            text = self.break_text(text)
        return text

    def spoil(self, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One mistake a person makes in a policy (RL002/RL203/RL206/RL207 material)."""
        r = self.rng
        statements = [dict(s) for s in statements]
        first = statements[0]
        kind = r.randrange(7)
        if kind == 0:
            first["Effect"] = "allow"
        elif kind == 1:
            first["Principal"] = {"AWS": f"arn:aws:iam::{r.choice(self.accounts)}:root"}
        elif kind == 2:
            first["Resource"] = f"arn:aws:s3:{self.name()}"  # too few parts
        elif kind == 3:
            statements.append({**first, "Sid": first.get("Sid", "Dup")})
            first["Sid"] = first.get("Sid", "Dup")  # duplicate Sid
        elif kind == 4:
            first["Sid"] = "push-images"  # not alphanumeric
        elif kind == 5:
            first["Action"] = ["ecrr:PutImage", "s3:GetObjects"]  # unknown service, unknown action
        else:
            first["NotAction"] = "iam:*"  # both Action and NotAction
        return statements

    def break_text(self, text: str) -> str:
        """A syntax mistake: a trailing comma, or a key written twice."""
        if self.rng.random() < 0.5 and "]" in text:
            at = text.rindex("]")
            return text[:at].rstrip() + ",\n" + text[at:]
        return text.replace('"Effect": ', '"Effect": "Allow", "Effect": ', 1)
