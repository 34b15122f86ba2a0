"""The generated policies as one CloudFormation template, for cfn-lint (it checks IAM
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


def cloudformation_template(documents: list[Any]) -> str:
    resources = {
        f"Policy{i:04d}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {"PolicyDocument": document},
        }
        for i, document in enumerate(documents)
    }
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "The benchmark's 1k generated IAM policies, one managed policy each",
        "Resources": resources,
    }
    return json.dumps(template, indent=2) + "\n"
