"""Is a file a CloudFormation template? (SPEC §6.2: `AWSTemplateFormatVersion`, or a
`Resources` map whose entries have `Type: AWS::…`.)

Two tests, both cheap: `looks_like_template` on a file's bytes, before it is parsed,
decides whether YAML short forms (`!Ref`) are read as data (it runs on every file of a
pre-commit run: substring searches first, a regular expression only on files that
mention `AWS::` and `Resources`); `is_template` on the parsed data decides that the
document is a template. `cdk.out/*.template.json` and SAM templates are templates.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["is_template", "looks_like_template"]

_VERSION = b"AWSTemplateFormatVersion"
# `Type: AWS::…`, `"Type": "AWS::…"`, `'Type': 'AWS::…'` (a key, then a value). It starts
# with a literal, which the regex engine finds fast; `\b` first would make it 12x slower.
_AWS_TYPE = re.compile(rb"""Type["']?[ \t]*:[ \t]*["']?AWS::""")


def looks_like_template(raw: bytes) -> bool:
    """Whether a file's bytes may hold a CloudFormation template (UTF-8 text)."""
    if b"AWS" not in raw:  # one pass over most files: both markers start with it
        return False
    if _VERSION in raw:
        return True
    if b"AWS::" not in raw or b"Resources" not in raw:
        return False
    # `Type` as a word: not the end of `ResourceType`.
    return any(not raw[m.start() - 1 : m.start()].isalnum() for m in _AWS_TYPE.finditer(raw))


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
