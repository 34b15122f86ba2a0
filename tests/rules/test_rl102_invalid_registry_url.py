"""RL102 invalid-registry-url on manifest data: rule, data path, words of the message."""

from __future__ import annotations

import pytest
from rules.manifest_cases import (
    ECR,
    KEY_ID,
    URL,
    manifest,
    one,
    problems,
)

# fmt: off
RL102_BAD_CASES = [
    (f"https://{ECR}/ml-prod",
     ("invalid registry URL: a registry URL has no scheme: drop 'https://' and write "
      "host[:port][/path]"), "scheme:https://"),
    ("http://registry.example.com/ml", "drop 'http://'", "scheme:http://"),
    ("registry.example.com/ML-Prod",
     "the path 'ML-Prod' has upper case; repository paths are lower case: write 'ml-prod'",
     "uppercase-path:ML-Prod"),
    ("registry.example.com//ml", "the path has an empty segment ('//')", "empty-segment://"),
    ("registry.example.com/ml?x=1", "a registry URL has no query: drop '?'", "query:?"),
    ("registry.example.com/ml team", "the URL has whitespace inside it: remove it",
     "whitespace:"),
    ("registry.example.com:0/ml", "port '0' is outside 1-65535", "port:0"),
    ("registry.example.com:70000/ml", "port '70000' is outside 1-65535", "port:70000"),
    ("registry.example.com/ml:latest", "drop the tag ':latest'", "tag::latest"),
    ("myregistry.azurecr.io/Team", "write 'team'", "uppercase-path:Team"),
    ("ghcr.io/org//ml", "empty segment", "empty-segment://"),
    ("quay.io/org/ml-", "path component 'ml-' ends with '-'", "path-component:ml-"),
    ("europe-docker.pkg.dev/p/r?x", "no query", "query:?"),
    ("eu.gcr.io/Project", "write 'project'", "uppercase-path:Project"),
    ("public.ecr.aws/Alias", "write 'alias'", "uppercase-path:Alias"),
    ("docker.io/Team", "write 'team'", "uppercase-path:Team"),
    ("", "the URL is empty", "empty:"),
]
# fmt: on


@pytest.mark.parametrize(("url", "message", "identity"), RL102_BAD_CASES)
def test_rl102_bad(url: str, message: str, identity: str) -> None:
    found = problems("RL102", manifest(url))
    assert found, url
    matching = [p for p in found if message in p.message]
    assert matching, [p.message for p in found]
    assert matching[0].path == URL
    assert matching[0].identity == identity
    assert matching[0].severity is None  # the rule's default: error


@pytest.mark.parametrize(
    "url",
    [f"{ECR}/ml-prod", f"{ECR}/ml-prod/", ECR, "123456789012.dkr-ecr.us-east-2.on.aws/ml",
     "public.ecr.aws/my-alias/ml", "myregistry.azurecr.io/ml", "myregistry.azurecr.cn/ml",
     "europe-west4-docker.pkg.dev/project/repo", "gcr.io/project", "ghcr.io/org/ml",
     "quay.io/org", "docker.io/team", "index.docker.io/team", "team/ml",
     "localhost:5000/ml", "[::1]:5000/ml", "registry.example.com:8443/a__b/c--d"],
)  # fmt: skip
def test_rl102_good(url: str) -> None:
    assert problems("RL102", manifest(url)) == []


def test_rl102_reports_each_failure_in_one_problem() -> None:
    problem = one("RL102", manifest("https://registry.example.com/ML?x"))
    assert problem.path == URL
    assert problem.message == (
        "invalid registry URL: a registry URL has no scheme: drop 'https://' and write "
        "host[:port][/path]; a registry URL has no query: drop '?' and what follows it; the "
        "path 'ML' has upper case; repository paths are lower case: write 'ml'"
    )
    assert problem.identity == "scheme:https://+query:?+uppercase-path:ML"


def test_rl102_leaves_broken_ecr_hosts_to_rl103() -> None:
    assert problems("RL102", manifest("123456789012.dkr.ecr..amazonaws.com/ml")) == []
    found = problems("RL102", manifest("https://123456789012.dkr.ecr..amazonaws.com/ml"))
    assert [p.identity for p in found] == ["scheme:https://"]


def test_rl102_never_repeats_credentials() -> None:
    [problem] = problems("RL102", manifest(f"{KEY_ID}:hunter2-password@{ECR}/ml"))
    assert "credentials before '@' (not repeated here)" in problem.message
    assert "hunter2" not in problem.message + problem.identity
    assert KEY_ID not in problem.message + problem.identity
