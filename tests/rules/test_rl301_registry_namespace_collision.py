"""RL301 registry-namespace-collision over multi-file projects (SPEC §1.3, §2), and the
project a run that names one file still sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree
from rules.project_cases import ECR, findings, manifest


@pytest.mark.parametrize("second", [f"{ECR}/ml", f"{ECR}/ml/", f"{ECR.upper()}/ml", f"{ECR}:443/ml"])
def test_two_systems_on_one_ecr_namespace_collide(run_cli: Any, root: Path, second: str) -> None:
    write_tree(root, {"a/r.yaml": manifest("alpha", f"{ECR}/ml"), "b/r.yaml": manifest("beta", second)})
    assert findings(run_cli, root, rules="RL301") == [
        ("RL301", "a/r.yaml", 9, "error"),
        ("RL301", "b/r.yaml", 9, "error"),
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("docker.io/acme/ml", "index.docker.io/acme/ml"),
        ("registry-1.docker.io/acme/ml", "acme/ml"),
        ("Docker.IO/acme/ml", "docker.io/acme/ml/"),
    ],
)
def test_docker_hub_aliases_are_one_registry(run_cli: Any, root: Path, first: str, second: str) -> None:
    write_tree(root, {"a.yaml": manifest("alpha", first), "b.yaml": manifest("beta", second)})
    assert [f[1] for f in findings(run_cli, root, rules="RL301")] == ["a.yaml", "b.yaml"]


def test_message_names_the_other_service_and_related_location(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": manifest("alpha", f"{ECR}/ml"), "b.yaml": manifest("beta", f"{ECR}/ml/")})
    result = run_cli("check", "a.yaml", "--select", "RL301", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    assert f"namespace '{ECR}/ml/' is also the namespace of service 'registry' of system 'beta' (b.yaml:9)" in finding["message"]
    assert finding["related"] == [
        {"path": "b.yaml", "line": 9, "column": 8, "message": f"service 'registry' of system 'beta' (b.yaml:9) pushes to '{ECR}/ml/'"}
    ]


def test_collision_across_tenants_names_the_tenants(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"a.yaml": manifest("gamma", f"{ECR}/ml", tenant="a"),
         "b.yaml": manifest("gamma", f"{ECR}/ml", tenant="b")},
    )  # fmt: skip
    result = run_cli("check", ".", "--select", "RL301", "--format", "json", cwd=root)
    found = [(f["path"], f["line"], f["message"]) for f in json.loads(result.out)["findings"]]
    tail = (
        ": their images overwrite each other; give each a different URL path or imagePrefix "
        "(for example '<registry>/<unique-name>')"
    )
    assert found == [
        ("a.yaml", 10, (f"namespace '{ECR}/ml/' of system 'gamma' of tenant 'a' is also the "
         f"namespace of service 'registry' of system 'gamma' of tenant 'b' (b.yaml:10){tail}")),
        ("b.yaml", 10, (f"namespace '{ECR}/ml/' of system 'gamma' of tenant 'b' is also the "
         f"namespace of service 'registry' of system 'gamma' of tenant 'a' (a.yaml:10){tail}")),
    ]  # fmt: skip


def test_overlap_across_tenants_names_the_tenants(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"a.yaml": manifest("gamma", "reg.example.com/ml", prefix="ml-", tenant="a"),
         "b.yaml": manifest("gamma", "reg.example.com/ml", prefix="ml-prod-", tenant="b")},
    )  # fmt: skip
    result = run_cli("check", "a.yaml", "--select", "RL301", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    assert finding["message"].startswith(
        "namespaces overlap: 'reg.example.com/ml/ml-' (system 'gamma' of tenant 'a') is a "
        "prefix of 'reg.example.com/ml/ml-prod-' (service 'registry' of system 'gamma' of "
        "tenant 'b', b.yaml:10): "
    )


def test_paths_in_messages_are_relative_to_the_current_folder(run_cli: Any, root: Path) -> None:
    """Like the finding's own path and its related locations; the fingerprint does not
    move with the current folder."""
    write_tree(root, {"a/r.yaml": manifest("alpha", f"{ECR}/ml"), "b/r.yaml": manifest("beta", f"{ECR}/ml")})
    runs = {
        "a": run_cli("check", "r.yaml", "--select", "RL301", "--format", "json", cwd=root / "a"),
        ".": run_cli("check", "a/r.yaml", "--select", "RL301", "--format", "json", cwd=root),
    }
    (inside,) = json.loads(runs["a"].out)["findings"]
    (top,) = json.loads(runs["."].out)["findings"]
    assert (inside["path"], inside["line"]) == ("r.yaml", 9)
    assert "of service 'registry' of system 'beta' (../b/r.yaml:9)" in inside["message"]
    assert [(r["path"], r["line"]) for r in inside["related"]] == [("../b/r.yaml", 9)]
    assert (top["path"], top["line"]) == ("a/r.yaml", 9)
    assert "of service 'registry' of system 'beta' (b/r.yaml:9)" in top["message"]
    assert [(r["path"], r["line"]) for r in top["related"]] == [("b/r.yaml", 9)]
    assert inside["fingerprint"] == top["fingerprint"]


def test_user_and_system_registry_of_one_system_collide(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            "user.yaml": manifest("ml", f"{ECR}/ml", name="user"),
            "system.yaml": manifest("ml", f"{ECR}/ml", name="system", role="system"),
        },
    )
    assert findings(run_cli, root, rules="RL301") == [
        ("RL301", "system.yaml", 9, "error"),
        ("RL301", "user.yaml", 9, "error"),
    ]


def test_two_user_registries_of_one_system_do_not_collide(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": manifest("ml", f"{ECR}/ml", name="a"), "b.yaml": manifest("ml", f"{ECR}/ml", name="b")})
    assert findings(run_cli, root, rules="RL301") == []


def test_iguazio_suffix_pair_is_not_a_collision(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            "user.yaml": manifest("igz", f"{ECR}/my-igz-system-runtime", name="user"),
            "system.yaml": manifest("igz", f"{ECR}/my-igz-system", name="system", role="system"),
        },
    )
    assert findings(run_cli, root, rules="RL301") == []


def test_string_prefix_overlap_is_a_warning(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"a.yaml": manifest("alpha", "reg.example.com/ml", prefix="ml-"), "b.yaml": manifest("beta", "reg.example.com/ml", prefix="ml-prod-")},
    )
    assert findings(run_cli, root, rules="RL301") == [
        ("RL301", "a.yaml", 9, "warning"),
        ("RL301", "b.yaml", 9, "warning"),
    ]
    message = json.loads(run_cli("check", "a.yaml", "--select", "RL301", "--format", "json", cwd=root).out)["findings"][0]["message"]
    assert "'reg.example.com/ml/ml-' is a prefix of 'reg.example.com/ml/ml-prod-'" in message


def test_equal_and_overlapping_namespaces_of_one_service_are_one_finding(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"a.yaml": manifest("alpha", "reg.example.com/ml", prefix="ml-"),
         "b.yaml": manifest("beta", "reg.example.com/ml", prefix="ml-"),
         "c.yaml": manifest("gamma", "reg.example.com/ml", prefix="ml-prod-")},
    )  # fmt: skip
    assert findings(run_cli, root, rules="RL301") == [
        ("RL301", "a.yaml", 9, "error"),
        ("RL301", "b.yaml", 9, "error"),
        ("RL301", "c.yaml", 9, "warning"),
    ]
    result = run_cli("check", "a.yaml", "--select", "RL301", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    assert finding["message"].startswith(
        "namespace 'reg.example.com/ml/ml-' is also the namespace of service 'registry' of "
        "system 'beta' (b.yaml:9): their images overwrite each other; "
    )
    assert "; and namespaces overlap: 'reg.example.com/ml/ml-' is a prefix of " in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("b.yaml", 9), ("c.yaml", 9)]


def test_path_plus_prefix_equals_a_longer_path(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": manifest("alpha", "h.example.com/ml", prefix="team/"), "b.yaml": manifest("beta", "h.example.com/ml/team")})
    assert [f[3] for f in findings(run_cli, root, rules="RL301")] == ["error", "error"]


def test_named_file_run_finds_collision_with_an_unnamed_file(run_cli: Any, root: Path) -> None:
    write_tree(root, {"new.yaml": manifest("alpha", f"{ECR}/ml"), "old/r.yaml": manifest("beta", f"{ECR}/ml")})
    assert findings(run_cli, root, "new.yaml", rules="RL301") == [("RL301", "new.yaml", 9, "error")]


def test_named_policies_are_read_once_in_a_named_file_run(
    run_cli: Any, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reglint.engine import load

    write_tree(root, {"new.yaml": manifest("alpha", f"{ECR}/ml"), "iam/p.json": '{"Statement": []}'})
    reads: list[str] = []
    real = load.read_regular_file

    def counting(path: Path, limit: int) -> bytes | str:
        reads.append(path.name)
        return real(path, limit)

    monkeypatch.setattr(load, "read_regular_file", counting)
    run_cli("check", "new.yaml", "iam/p.json", cwd=root)
    assert sorted(reads) == ["new.yaml", "p.json"]  # the context walk skips what was named


def test_named_file_run_from_a_subfolder_uses_the_project_root(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": "{}\n", "sys/new.yaml": manifest("alpha", f"{ECR}/ml"), "old/r.yaml": manifest("beta", f"{ECR}/ml")})
    assert findings(run_cli, root / "sys", "new.yaml", rules="RL301") == [("RL301", "new.yaml", 9, "error")]
