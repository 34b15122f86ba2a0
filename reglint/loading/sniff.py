"""The sniffs: what a file's raw bytes can be, before it is parsed — cheap tests that
never miss (a false "maybe" only costs a parse).

- `mentions_reglint_content`: could it be a manifest or a policy? A file that cannot be
  loaded is reported (RL001) when it could; otherwise it is skipped with a note.
- `may_hold_manifest`: could it hold a manifest? A file that cannot is checked on its own,
  outside the project the cross-file rules read (engine/load.py).
- `looks_like_template`: could it be a CloudFormation template (SPEC §6.2)? Decides
  before the parse whether YAML short forms (`!Ref`) are read as data.
- `may_hold_infrastructure`: could it be a template or a Terraform plan (by its bytes;
  a Terraform file by its name)? Cross-file rules read such files of the project.
- `mentions_infrastructure`: could it be a template or a plan with IAM or ECR resources?
  Such a file that cannot be loaded is reported (RL001), as a Terraform file is.
"""

from __future__ import annotations

import re

SNIFF_WORDS = ("RegistryService", "Statement")
# The encodings decode() recognises (it reports UTF-16/32 files as RL001): a sniff looks
# for a word in each, so such a file is still recognised as meant for reglint.
_SNIFF_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def encoded_marks(*words: str) -> tuple[bytes, ...]:
    """`words` as bytes in every encoding a sniff looks for."""
    return tuple(word.encode(encoding) for word in words for encoding in _SNIFF_ENCODINGS)


_SNIFF_BYTES = encoded_marks(*SNIFF_WORDS)


def mentions_reglint_content(raw: bytes) -> bool:
    """Cheap sniff: could this file be a manifest or a policy?"""
    return any(word in raw for word in _SNIFF_BYTES)


_MANIFEST_MARKS = encoded_marks("RegistryService")


def may_hold_manifest(raw: bytes) -> bool:
    """False only when no document of the file can be a manifest: `RegistryService` is
    nowhere in it (in any encoding reglint reads), and there is no backslash, so no escape
    sequence (`"Registry\\x53ervice"`) can spell it either."""
    return b"\\" in raw or any(mark in raw for mark in _MANIFEST_MARKS)


_VERSION = b"AWSTemplateFormatVersion"
# `Type: AWS::…`, `"Type": "AWS::…"`, `'Type': 'AWS::…'` (a key, then a value). It starts
# with a literal, which the regex engine finds fast; `\b` first would make it 12x slower.
_AWS_TYPE = re.compile(rb"""Type["']?[ \t]*:[ \t]*["']?AWS::""")


def looks_like_template(raw: bytes) -> bool:
    """Whether a file's bytes may hold a CloudFormation template (UTF-8 text): a cheap
    test on every file of a run, substring searches first, a regular expression only on
    files that mention `AWS::` and `Resources`."""
    if b"AWS" not in raw:  # one pass over most files: both markers start with it
        return False
    if _VERSION in raw:
        return True
    if b"AWS::" not in raw or b"Resources" not in raw:
        return False
    # `Type` as a word: not the end of `ResourceType`.
    return any(not raw[m.start() - 1 : m.start()].isalnum() for m in _AWS_TYPE.finditer(raw))


TERRAFORM_SUFFIXES = (".tf", ".tf.json")


def looks_like_plan(raw: bytes) -> bool:
    """Whether a file's bytes may hold a Terraform plan (`terraform show -json`)."""
    return b'"planned_values"' in raw and b'"format_version"' in raw


def may_hold_infrastructure(raw: bytes) -> bool:
    """Whether a file's bytes may hold a CloudFormation template or a Terraform plan."""
    return looks_like_template(raw) or looks_like_plan(raw)


_IAM_OR_ECR = (b"AWS::IAM::", b"AWS::ECR::", b"aws_iam_", b"aws_ecr_")


def mentions_infrastructure(raw: bytes) -> bool:
    """Whether a file's bytes may hold a template or a plan with IAM or ECR resources."""
    return any(mark in raw for mark in _IAM_OR_ECR) and may_hold_infrastructure(raw)
