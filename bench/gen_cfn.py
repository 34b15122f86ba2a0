"""The generated policies as CloudFormation templates, for cfn-lint (it checks IAM
policy documents inside `AWS::IAM::ManagedPolicy` resources)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any


def unwrap_policy(raw: bytes) -> Any | None:
    """The policy document of a generated file (unwrapped as reglint does), or None
    when the file is not valid JSON or holds no policy."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    inner = (
        data.get("PolicyVersion", {}).get("Document")
        if "PolicyVersion" in data
        else data.get("PolicyDocument", data)
    )
    if isinstance(inner, str):
        try:
            inner = json.loads(urllib.parse.unquote(inner))
        except ValueError:
            return None
    return inner if isinstance(inner, dict) and "Statement" in inner else None


# CloudFormation's quotas (AWS CloudFormation User Guide, "Understand CloudFormation
# quotas"): a template body of at most 1 MB (uploaded through S3) and at most 500
# resources. A template over them is refused by CloudFormation, so linting one would
# measure something no user runs; cfn-lint gets templates within both.
MAX_RESOURCES = 500
MAX_BYTES = 1_000_000  # 1 MB (the quota is 1,048,576 bytes; this leaves room)
_RESOURCE_INDENT = 4  # a resource's lines sit two levels deep in the template


def _template(resources: dict[str, Any], part: int, parts: int) -> str:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"The benchmark's generated IAM policies, one managed policy each ({part}/{parts})",
        "Resources": resources,
    }
    return json.dumps(template, indent=2) + "\n"


def _resource(document: Any) -> dict[str, Any]:
    return {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": document}}


def cloudformation_templates(documents: list[Any]) -> list[str]:
    """The documents as `AWS::IAM::ManagedPolicy` resources, in order, packed into as few
    templates as CloudFormation accepts (at most MAX_RESOURCES and MAX_BYTES each)."""
    budget = MAX_BYTES - len(_template({}, 99, 99)) - 100  # the frame, and room for commas
    groups: list[dict[str, Any]] = [{}]
    used = 0
    for index, document in enumerate(documents):
        name, resource = f"Policy{index:04d}", _resource(document)
        text = json.dumps({name: resource}, indent=2)
        size = len(text) + _RESOURCE_INDENT * (text.count("\n") + 1)
        if groups[-1] and (len(groups[-1]) == MAX_RESOURCES or used + size > budget):
            groups.append({})
            used = 0
        groups[-1][name] = resource
        used += size
    templates = [_template(group, n, len(groups)) for n, group in enumerate(groups, 1)]
    for template in templates:
        assert len(template.encode()) <= MAX_BYTES, len(template.encode())
    return templates
