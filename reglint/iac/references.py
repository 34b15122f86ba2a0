"""References to other resources of the same template or module, resolved (SPEC §6.2).

Within one template or module, a policy names its repositories and identities by
reference: `!GetAtt Repo.Arn` / `aws_ecr_repository.x.arn` is that repository's ARN,
`!Ref Repo` / `.name` its name. `resolver(resources, dialect)` answers such references
with what the source says, as a string or a `Template` whose unknown parts (the
account, region and partition it is deployed to, a generated name) are placeholders:

| CloudFormation                         | Terraform                                  | value                                   |
|----------------------------------------|--------------------------------------------|-----------------------------------------|
| `!Ref Repo`                            | `aws_ecr_repository.x.name` (`.id`)        | `RepositoryName` / `name`               |
| `!GetAtt Repo.Arn`                     | `aws_ecr_repository.x.arn`                 | `arn:P:ecr:R:A:repository/NAME`         |
| `!GetAtt Repo.RepositoryUri`           | `aws_ecr_repository.x.repository_url`      | `A.dkr.ecr.R.SUFFIX/NAME`               |
| `!Ref Role`, `!Ref User`, `!Ref Group` | `aws_iam_role.x.name` (`.id`), …           | `RoleName` / `name`                     |
| `!GetAtt Role.Arn`                     | `aws_iam_role.x.arn`                       | `arn:P:iam::A:role/PATH/NAME`           |
| `!Ref ManagedPolicy`                   | `aws_iam_policy.x.arn` (`.id`)             | `arn:P:iam::A:policy/PATH/NAME`         |

A name the source leaves to the deployment (no `RepositoryName`, a `name_prefix`) is a
placeholder; so is any other attribute. Terraform's data sources are left to the caller
(`data.aws_iam_policy_document.x.json` is a document, not a value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reglint.iac.model import Choice, IacResource, Placeholder, Reference, Template
from reglint.iac.policy_data import Resolver

__all__ = ["CFN", "TERRAFORM", "identity_arn", "resolver"]

CFN = "cloudformation"
TERRAFORM = "terraform"

_CFN_PLACES = {
    "partition": Placeholder("${AWS::Partition}"),
    "region": Placeholder("${AWS::Region}"),
    "account": Placeholder("${AWS::AccountId}"),
    "suffix": Placeholder("${AWS::URLSuffix}"),
}
_TF_PLACES = {
    "partition": Placeholder("${the provider's partition}"),
    "region": Placeholder("${the provider's region}"),
    "account": Placeholder("${the provider's account}"),
    "suffix": Placeholder("${the provider's DNS suffix}"),
}
# type -> (name property, ARN kind, path property); CloudFormation then Terraform.
_CFN_NAMED = {
    "AWS::ECR::Repository": ("RepositoryName", "repository", None),
    "AWS::IAM::Role": ("RoleName", "role", "Path"),
    "AWS::IAM::User": ("UserName", "user", "Path"),
    "AWS::IAM::Group": ("GroupName", "group", "Path"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "policy", "Path"),
}
_TF_NAMED = {
    "aws_ecr_repository": ("name", "repository", None),
    "aws_iam_role": ("name", "role", "path"),
    "aws_iam_user": ("name", "user", "path"),
    "aws_iam_group": ("name", "group", "path"),
    "aws_iam_policy": ("name", "policy", "path"),
}


def resolver(resources: Mapping[str, IacResource], dialect: str) -> Resolver:
    """The resolver of one template's or module's references."""

    def resolve(reference: Reference) -> Any:
        resource = resources.get(reference.target)
        if resource is None:
            return None
        return resolved_attribute(resource, reference.attribute, dialect)

    return resolve


def resolved_attribute(resource: IacResource, attribute: str, dialect: str) -> Any:
    """The value of one attribute of a resource, or None when the source does not say it."""
    named = (_CFN_NAMED if dialect == CFN else _TF_NAMED).get(resource.type)
    if named is None:
        return None
    name_key, kind, _ = named
    name = _name(resource, name_key)
    places = _CFN_PLACES if dialect == CFN else _TF_PLACES
    if dialect == CFN:
        wants_name = attribute == "" and kind != "policy"
        wants_arn = attribute == "Arn" or (attribute == "" and kind == "policy")
        wants_uri = attribute == "RepositoryUri"
    else:
        wants_name = attribute in ("name", "id") and kind != "policy"
        wants_arn = attribute == "arn" or (attribute == "id" and kind == "policy")
        wants_uri = attribute == "repository_url"
    if wants_name:
        return name
    if wants_arn:
        return identity_arn(resource, dialect)
    if wants_uri and kind == "repository":
        return _template(places["account"], ".dkr.ecr.", places["region"], ".",
                         places["suffix"], "/", name)  # fmt: skip
    if attribute == "registry_id" and kind == "repository":
        return places["account"]
    return None


def identity_arn(resource: IacResource, dialect: str) -> Any:
    """The ARN of a repository, role, user, group or customer managed policy that the
    source declares: literal where the source says it, placeholders elsewhere."""
    named = (_CFN_NAMED if dialect == CFN else _TF_NAMED).get(resource.type)
    if named is None:
        return None
    name_key, kind, path_key = named
    places = _CFN_PLACES if dialect == CFN else _TF_PLACES
    name = _name(resource, name_key)
    if kind == "repository":
        return _template("arn:", places["partition"], ":ecr:", places["region"], ":",
                         places["account"], ":repository/", name)  # fmt: skip
    path = resource.properties.get(path_key, "/") if path_key else "/"
    if not isinstance(path, str) or not path.startswith("/") or not path.endswith("/"):
        path = "/" if path in (None, "") else Placeholder("${path}")
    return _template("arn:", places["partition"], ":iam::", places["account"], f":{kind}",
                     path, name)  # fmt: skip


def _name(resource: IacResource, key: str) -> Any:
    value = resource.properties.get(key)
    if isinstance(value, str) and value:
        return value
    if isinstance(value, Template | Placeholder):
        return value
    # Left to the deployment (a generated name, a prefix), or a Choice: unknown.
    text = getattr(value, "text", None) if isinstance(value, Choice) else None
    return Placeholder(text or "${" + resource.address + "'s generated name}")


def _template(*pieces: Any) -> Any:
    """A string of literal pieces and placeholders (a Template unless all are literal)."""
    parts: list[Any] = []
    for piece in pieces:
        items = piece.parts if isinstance(piece, Template) else (piece,)
        for item in items:
            if isinstance(item, str) and parts and isinstance(parts[-1], str):
                parts[-1] += item
            else:
                parts.append(item)
    if len(parts) == 1 and isinstance(parts[0], str):
        return parts[0]
    text = "".join(part if isinstance(part, str) else part.text for part in parts)
    return Template(tuple(parts), text)
