"""The fixes a check proposes with its problem (SPEC §6.5), in data terms: the Decider
renders them into text edits where a run needs them (reglint/fixes/).

A proposal is made only when it removes its whole finding (a URL with a query as well
as a scheme gets none: dropping the scheme would leave an RL102). Safe fixes keep what a
file means; unsafe ones change it (`--unsafe-fixes`): a renamed action or added
statements grant something new, an environment variable must be set for the password.

Decisions where the SPEC is silent:

- RL102 drops a scheme only when what remains starts with a host (`https://registry/ml`
  would become the Docker Hub path `registry/ml`: the user meant a host). The path is
  lower-cased; the host keeps its case (hosts compare without it).
- RL106 proposes `{fromEnv: REGLINT_<SYSTEM>_<SERVICE>_PASSWORD}` only for
  `spec.auth.password` of a manifest with a `metadata.system` and `metadata.name`; a
  secret-shaped literal elsewhere has no fix (what should replace it is not known).
- RL203 replaces an action only when exactly one catalogue action is close to it
  (`similar_actions` with room for two finds one) and the two are alike as a typo is
  (`TYPO_LIKENESS`: `ecr:PutImages` for `ecr:PutImage`). An action newer than the IAM
  catalogue is often close to an old one (`cloud9:ValidateEnvironmentName` to
  `cloud9:UpdateEnvironment`): renaming it would grant something else entirely.
- RL002 renames an unknown key only when the schema offers exactly one close spelling
  (`unique_suggestion`), which the mapping does not have yet.
"""

from __future__ import annotations

import re

from reglint.loading.document import DataEdit, DataPath, EditAction, FixProposal
from reglint.model.iam.policy import CURRENT_VERSION
from reglint.model.reference import FailureKind, RegistryReference, parse_reference
from reglint.model.service import RegistryService

# How alike (difflib's ratio, case ignored) a misspelt action and the one it is renamed
# to must be: one or two characters apart in a name of ordinary length.
TYPO_LIKENESS = 0.9

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NOT_VARIABLE = re.compile(r"[^A-Z0-9_]")


def _replace(path: DataPath, value: object, description: str, *, unsafe: bool = False) -> FixProposal:
    return FixProposal(unsafe, description, (DataEdit(EditAction.REPLACE, path, value),))


def url_fix(url: str, path: DataPath, host_left_to_rl103: bool) -> FixProposal | None:
    """RL102: the URL without its scheme and with its path lower-cased, when that is all
    that is wrong with it (host failures RL103 reports aside)."""
    candidate = _SCHEME.sub("", url, count=1)
    head, slash, rest = candidate.partition("/")
    has_host = "." in head or ":" in head or head == "localhost"
    if candidate != url and not has_host:
        return None  # the scheme named a host that would read as a Docker Hub path
    candidate = f"{head}/{rest.lower()}" if slash and has_host else (head if has_host else candidate.lower())
    if candidate == url:
        return None
    parsed = parse_reference(candidate)
    if not isinstance(parsed, RegistryReference):
        remaining = [f for f in parsed.failures if not (f.kind is FailureKind.HOST and host_left_to_rl103)]
        if remaining:
            return None
    return _replace(path, candidate, f"write the URL as '{candidate}'")


def prefix_fix(prefix: str, path: DataPath) -> FixProposal:
    """RL104: the prefix lower-cased (the caller knows that this fixes it)."""
    return _replace(path, prefix.lower(), f"write the image prefix as '{prefix.lower()}'")


def password_variable(service: RegistryService) -> str | None:
    """`REGLINT_<SYSTEM>_<SERVICE>_PASSWORD`, upper-cased, other characters as `_`."""
    if not service.system or not service.name:
        return None
    return _NOT_VARIABLE.sub("_", f"REGLINT_{service.system}_{service.name}_PASSWORD".upper())


def password_fix(service: RegistryService, path: DataPath) -> FixProposal | None:
    """RL106 (unsafe): the literal password replaced by `{fromEnv: VARIABLE}`."""
    variable = password_variable(service)
    if variable is None:
        return None
    description = (
        f"replace the literal password with {{fromEnv: {variable}}}: set {variable} where "
        "the platform runs, and rotate the leaked secret"
    )
    return FixProposal(True, description, (DataEdit(EditAction.REPLACE, path, {"fromEnv": variable}),), secret=True)


def version_fix(present: bool) -> FixProposal:
    """RL205: `"Version": "2012-10-17"`, first in the policy or in place of 2008-10-17."""
    if present:
        return _replace(("Version",), CURRENT_VERSION, f'write "Version": "{CURRENT_VERSION}"')
    edit = DataEdit(EditAction.INSERT_FIRST, (), ("Version", CURRENT_VERSION))
    return FixProposal(False, f'add "Version": "{CURRENT_VERSION}"', (edit,))


def is_typo(text: str, suggestion: str) -> bool:
    """True when action `text` is `suggestion` with a typo in its name (the part after
    the service prefix, which they share; see `TYPO_LIKENESS`)."""
    import difflib  # only for a misspelt action

    name, wanted = text.partition(":")[2].lower(), suggestion.partition(":")[2].lower()
    return difflib.SequenceMatcher(None, name, wanted).ratio() >= TYPO_LIKENESS


def action_fix(path: DataPath, suggestion: str) -> FixProposal:
    """RL203 (unsafe: the statement then grants or denies that action)."""
    return _replace(path, suggestion, f"replace the action with `{suggestion}`", unsafe=True)


def key_fix(path: DataPath, suggestion: str) -> FixProposal:
    """RL002: rename an unknown key to the one it misspells."""
    edit = DataEdit(EditAction.RENAME_KEY, path, suggestion)
    return FixProposal(False, f"rename the key to '{suggestion}'", (edit,))
