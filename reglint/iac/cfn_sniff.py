"""Is a file a CloudFormation template? (SPEC §6.2: `AWSTemplateFormatVersion`, or a
`Resources` map whose entries have `Type: AWS::…`.)

Two tests, both cheap: `looks_like_template` on a file's bytes, before it is parsed,
decides whether YAML short forms (`!Ref`) are read as data (it runs on every file of a
pre-commit run, so it lives with the other sniffs in loading/sniff.py); `is_template` on
the parsed data decides that the document is a template. `cdk.out/*.template.json`
and SAM templates are templates.
"""

from __future__ import annotations

from typing import Any

from reglint.loading.sniff import looks_like_template

__all__ = ["is_template", "looks_like_template"]


def is_template(data: Any) -> bool:
    """Whether a parsed document is a CloudFormation template."""
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(body, dict)
        and isinstance(body.get("Type"), str)
        and body["Type"].startswith("AWS::")
        for body in resources.values()
    )
