"""The IaC cases' files: the same 1,000 IAM policies as CloudFormation templates, as a
Terraform module and as that module's plan (`terraform show -json`), and a small
repository with a Terraform module for the pre-commit case.

The policies are those of the policy generator (gen_iam.py) that parse as JSON,
unwrapped as reglint unwraps them, drawn until there are 1,000: every tool reads the
same 1,000 documents.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gen_cfn import unwrap_policy
from gen_iam import PolicyFactory

POLICIES_PER_TF_FILE = 100
ROLES = 10  # the module's roles; every third policy is an inline policy of one of them
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def policy_documents(factory: PolicyFactory, count: int) -> list[Any]:
    """`count` generated policy documents that parse (the broken ones are drawn again)."""
    documents: list[Any] = []
    while len(documents) < count:
        document = unwrap_policy(factory.policy().text.encode())
        if document is not None:
            documents.append(document)
    return documents


# --- Terraform ---------------------------------------------------------------------


def _hcl_string(text: str) -> str:
    """A JSON string as an HCL quoted string: `${` and `%{` start templates in HCL."""
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def hcl(value: Any, indent: int = 1) -> str:
    """A JSON value as the HCL expression `jsonencode` turns back into it."""
    pad, inner = "  " * (indent - 1), "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{key if _IDENTIFIER.match(key) else _hcl_string(key)} = {hcl(item, indent + 1)}"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item, indent) for item in value) + "]"
    if isinstance(value, str):
        return _hcl_string(value)
    return json.dumps(value)  # numbers, true, false, null


def _heredoc(document: Any) -> str:
    text = json.dumps(document, indent=2).replace("${", "$${").replace("%{", "%%{")
    body = "\n".join("    " + line for line in text.splitlines())
    return f"<<-EOT\n{body}\n  EOT"


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _kind(index: int) -> str:
    return "aws_iam_role_policy" if index % 3 == 2 else "aws_iam_policy"


def terraform_module(documents: list[Any], per_file: int = POLICIES_PER_TF_FILE) -> dict[str, str]:
    """The documents as `aws_iam_policy` resources (`jsonencode`) and, every third one,
    `aws_iam_role_policy` resources (heredoc JSON) of the module's roles: file name ->
    text, `per_file` policies a file."""
    files = {
        "roles.tf": "".join(
            f'resource "aws_iam_role" "app_{r:02d}" {{\n  name               = "app-{r:02d}"\n'
            f"  assume_role_policy = jsonencode({hcl(TRUST, 2)})\n}}\n\n"
            for r in range(ROLES)
        )
    }
    for start in range(0, len(documents), per_file):
        blocks = []
        for index in range(start, min(start + per_file, len(documents))):
            document = documents[index]
            if _kind(index) == "aws_iam_role_policy":
                blocks.append(
                    f'resource "aws_iam_role_policy" "p{index:04d}" {{\n  name   = "policy-{index:04d}"\n'
                    f"  role   = aws_iam_role.app_{index % ROLES:02d}.name\n"
                    f"  policy = {_heredoc(document)}\n}}\n"
                )
            else:
                blocks.append(
                    f'resource "aws_iam_policy" "p{index:04d}" {{\n  name   = "policy-{index:04d}"\n'
                    f"  policy = jsonencode({hcl(document, 2)})\n}}\n"
                )
        files[f"policies-{start // per_file:02d}.tf"] = "\n".join(blocks)
    return files


def _resource(address: str, kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": address, "mode": "managed", "type": kind, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": values, "sensitive_values": {},
    }  # fmt: skip


def _compact(document: Any) -> str:
    """As jsonencode writes it: no whitespace, keys sorted."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


def terraform_plan(documents: list[Any]) -> str:
    """The module's plan as `terraform show -json` prints it (HashiCorp's "JSON Output
    Format"): every policy known before the apply, ARNs and IDs known after it."""
    resources = [
        _resource(f"aws_iam_role.app_{r:02d}", "aws_iam_role", f"app_{r:02d}",
                  {"assume_role_policy": _compact(TRUST), "name": f"app-{r:02d}", "path": "/",
                   "permissions_boundary": None, "max_session_duration": 3600, "tags": None})
        for r in range(ROLES)
    ]  # fmt: skip
    for index, document in enumerate(documents):
        name, kind = f"p{index:04d}", _kind(index)
        values: dict[str, Any] = {"name": f"policy-{index:04d}", "policy": _compact(document)}
        if kind == "aws_iam_role_policy":
            values["role"] = f"app-{index % ROLES:02d}"
        else:
            values |= {"path": "/", "description": None, "tags": None}
        resources.append(_resource(f"{kind}.{name}", kind, name, values))
    changes = [
        {
            "address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
            "provider_name": r["provider_name"],
            "change": {"actions": ["create"], "before": None, "after": r["values"],
                       "after_unknown": {"arn": True, "id": True}, "before_sensitive": False,
                       "after_sensitive": {}},
        }
        for r in resources
    ]  # fmt: skip
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
    }
    return json.dumps(plan, indent=2) + "\n"


def precommit_module(factory: PolicyFactory) -> dict[str, str]:
    """A small Terraform module of an application: its roles and 12 policies in 3 files."""
    return terraform_module(policy_documents(factory, 12), per_file=4)
