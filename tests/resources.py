"""What a test needs from outside the repository, and the one rule for when it is missing.

Some tests need a resource the checkout does not hold: the shared corpus in
`../shared/corpus`, git, pre-commit, Microsoft's SARIF validator (Node.js, from
`.ci/install-sarif-validator`), a wheel build backend. On a user's machine a missing
resource skips the test, with its reason (`pytest -ra` lists it). Under CI the same
test fails with the same reason: CI is set up with every resource (`.ci/run`), so a
missing one means the set-up broke, and a skip would let the suite pass without the
test ever running.

"Under CI" has one definition, reglint's own `under_ci()` (reglint/engine/progress.py,
which also keeps the progress line off in CI): the environment variable `CI` holds a true
value. Unset, empty, `0`, `false`, `no` and `off` (any case, surrounding blanks
ignored) read as not CI, so `CI=false pytest` on a laptop behaves like a plain run;
every other value (`true`, `1`, `yes`, GitLab's and GitHub's `true`) reads as CI.

Not every skip is about a resource. A platform skip says the test cannot mean anything
here, and stays a skip everywhere: root reads every folder (a permission test has
nothing to deny), no permission to create a device node, a temporary path too long for
a UNIX socket, not Linux. So does a checkout without release tags (a tag-less or
shallow clone says nothing about releases; see tests/test_release.py).
"""

from __future__ import annotations

import importlib
import shutil
from types import ModuleType
from typing import NoReturn

import pytest

from reglint.engine.progress import under_ci

__all__ = ["missing", "require", "require_module", "require_program", "under_ci"]


def missing(reason: str) -> NoReturn:
    """A resource is missing: fail under CI, else skip; both with `reason`."""
    if under_ci():
        pytest.fail(f"{reason} (a missing resource fails the test under CI)", pytrace=False)
    pytest.skip(reason)


def require(condition: object, reason: str) -> None:
    """Go on when `condition` holds; else the resource is `missing(reason)`."""
    if not condition:
        missing(reason)


def require_module(name: str, reason: str) -> ModuleType:
    """The module `name`, imported; `missing(reason)` when it cannot be imported."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        missing(f"{reason} ({error})")


def require_program(name: str) -> str:
    """The path of the program `name` on PATH; `missing` when it is not there."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (not on PATH)")
    return path
