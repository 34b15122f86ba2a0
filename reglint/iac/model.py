"""Infrastructure code as reglint reads it (SPEC §6.2): resources, their properties, and
the values reglint cannot know before a deployment.

CloudFormation templates and Terraform modules and plans are read into the same
records, so that what follows — finding IAM policies and ECR repositories, linking a
role to its rights, evaluating them — does not care which tool wrote them:

- `IacResource`: one resource (or Terraform data source) with its properties as plain
  data, where every value reglint could not compute is one of the records below.
- `Placeholder`: a value known only at deploy time (`${AWS::AccountId}`, `!Ref Param`,
  `var.account_id`, `data.aws_caller_identity.current.account_id`, a plan value
  "known after apply"). SPEC §6.2: in an Allow a placeholder matches anything, in a
  Deny nothing, so an unknown value never causes a finding.
- `Reference`: a value that names another resource of the same template or module
  (`!GetAtt Repo.Arn`, `!Ref Repo`, `aws_ecr_repository.x.arn`,
  `data.aws_iam_policy_document.x.json`); resolved later, when the whole template or
  module is known, else read as a placeholder.
- `Template`: a string built from literal text and placeholders or references
  (`!Sub "arn:aws:ecr:${AWS::Region}:…"`, `"arn:aws:ecr:${var.region}:…"`,
  `Fn::Join`).
- `Choice`: a value with several possible branches (`Fn::If`): each must pass.
- `Absent`: a `Choice` branch (or list item) that sets nothing
  (`!If [Cond, Value, !Ref AWS::NoValue]`); `ABSENT` is the one CloudFormation writes.
- `FileContent`: the text of a file the module reads (`file("x.json")`,
  `templatefile("x.json.tpl", {…})`), by its path relative to the module folder; read
  (confined to the module folder and the project root) when the policy is built.

Every property value keeps its place in the source: `IacResource.path` is the data path
of the resource's properties inside the parsed document, so `document.span_of(path +
(key, …))` finds the line and column of any value, as for any other document.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple

__all__ = [
    "ABSENT",
    "Absent",
    "Choice",
    "FileContent",
    "IacResource",
    "Placeholder",
    "Reference",
    "Template",
    "Unresolved",
]

DataPath = tuple[Hashable, ...]


class Placeholder(NamedTuple):
    """A value known only at deploy time, as the source writes it."""

    text: str  # `${AWS::AccountId}`, `!Ref Environment`, `var.account_id`, `(known after apply)`


class Reference(NamedTuple):
    """A value naming another resource of the same template or module."""

    target: str  # a CloudFormation logical ID, or a Terraform address (`aws_iam_role.nodes`)
    attribute: str  # `Arn`, `arn`, `name`, `json`; "" for CloudFormation's `Ref`
    text: str  # as written: `!GetAtt Repo.Arn`, `aws_ecr_repository.x.arn`


class Template(NamedTuple):
    """A string made of literal parts and values reglint cannot know yet."""

    parts: tuple[str | Placeholder | Reference, ...]
    text: str  # as written, for messages


class Choice(NamedTuple):
    """A value with several possible branches (`Fn::If`): a verdict must hold for each."""

    branches: tuple[Any, ...]
    text: str  # as written: `Fn::If [IsProd, …, …]`


class Absent(NamedTuple):
    """A `Choice` branch in which the property or list item is not set
    (`!If [Cond, Value, !Ref AWS::NoValue]`)."""

    text: str


ABSENT = Absent("${AWS::NoValue}")


class FileContent(NamedTuple):
    """The text of a file of the module (`file()`, `templatefile()`), not read yet."""

    path: str  # relative to the module folder, `/`-separated, normalised, never `..`
    template: bool  # `templatefile`: its `${…}` are placeholders (the variables are unknown)
    text: str  # as written: `file("${path.module}/policies/push.json")`


# Any value the readers could not turn into plain data.
Unresolved = Placeholder | Reference | Template | Choice | FileContent


class IacResource(NamedTuple):
    """One resource (or Terraform data source) of a template, module or plan."""

    address: str  # CloudFormation logical ID; Terraform address (`module.eks.aws_iam_role.nodes`)
    type: str  # `AWS::IAM::Role`, `aws_iam_role`, `aws_iam_policy_document` (a data source)
    properties: Mapping[str, Any]  # plain data, with `Unresolved` values where unknown
    path: DataPath  # where `properties` sits in the parsed document (for positions)
