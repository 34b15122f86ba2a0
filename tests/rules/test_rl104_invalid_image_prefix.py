"""RL104 invalid-image-prefix on manifest data: rule, data path, words of the message."""

from __future__ import annotations

import pytest
from rules.manifest_cases import (
    ECR,
    PREFIX,
    manifest,
    one,
    problems,
)

# fmt: off
RL104_BAD_CASES = [
    ("Runtime-", ("image prefix 'Runtime-' cannot start a repository name (component "
                  "'Runtime-' has upper case; repository names are lower case): write "
                 "'runtime-'")),
    ("-ml", ("(component '-ml' starts with '-'; it must start with a letter or digit): "
             "start with a lower-case letter or digit")),
    ("_ml", "component '_ml' starts with '_'"),
    (".ml", "component '.ml' starts with '.'"),
    ("/ml", "(starts with '/')"),
    ("ml//", "(has an empty segment ('//'))"),
    ("ml team", "component 'ml team' has whitespace"),
    ("ml@", "component 'ml@' has '@'"),
    ("ml:", "component 'ml:' has ':'"),
    ("ml___", "has '___', which is not a separator"),
]
# fmt: on


@pytest.mark.parametrize(("prefix", "message"), RL104_BAD_CASES)
def test_rl104_bad(prefix: str, message: str) -> None:
    problem = one("RL104", manifest(imagePrefix=prefix))
    assert message in problem.message
    assert problem.path == PREFIX


@pytest.mark.parametrize(
    "prefix", ["runtime-", "ml-", "ml_", "ml.", "ml__", "team/", "ml-prod/runtime-", "", None]
)
def test_rl104_good(prefix: str | None) -> None:
    data = manifest() if prefix is None else manifest(imagePrefix=prefix)
    assert problems("RL104", data) == []


def test_rl104_names_every_failure_in_one_problem() -> None:
    problem = one("RL104", manifest("public.ecr.aws/alias", imagePrefix="/M" + "l" * 200))
    assert problem.path == PREFIX
    assert problem.message.startswith(
        f"image prefix '/M{'l' * 200}' cannot start a repository name (starts with '/'; and "
        f"component 'M{'l' * 200}' has upper case; repository names are lower case): "
    )
    assert problem.message.endswith(
        "; the URL path and image prefix take 208 of the 205 characters a repository name "
        "may have, leaving no room for image names: shorten them"
    )
    assert problem.identity.count("+") == 2


def test_rl104_counts_the_url_path_in_the_length_limit() -> None:
    path = "a" * 200
    problem = one("RL104", manifest(f"{ECR}/{path}", imagePrefix="b" * 54 + "-"))
    assert problem.message == (
        "the URL path and image prefix take 256 of the 255 characters a repository name "
        "may have, leaving no room for image names: shorten them"
    )
    assert problem.path == PREFIX
    assert problems("RL104", manifest(f"{ECR}/{path}", imagePrefix="b" * 52 + "-")) == []


def test_rl104_ecr_public_has_a_shorter_limit() -> None:
    problem = one("RL104", manifest("public.ecr.aws/alias", imagePrefix="p" * 199))
    assert "take 205 of the 205 characters" in problem.message
