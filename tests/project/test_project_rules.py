"""Cross-file rules over multi-file projects: RL101, RL301, RL302, RL303 (SPEC §1.3, §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def manifest(
    system: str,
    url: str | None = None,
    *,
    name: str = "registry",
    env: str = "production",
    role: str = "user",
    prefix: str | None = None,
    tenant: str | None = None,
    policies: list[str] | None = None,
) -> str:
    lines = [
        "apiVersion: reglint/v1",
        "kind: RegistryService",
        "metadata:",
        f"  name: {name}",
        f"  system: {system}",
        f"  environment: {env}",
    ]
    if tenant:
        lines.append(f"  tenant: {tenant}")
    lines.append("spec:")
    if url is None:
        lines.append("  type: on-cluster")
    else:
        lines += [f"  role: {role}", f"  url: {url}"]
        if prefix is not None:
            lines.append(f"  imagePrefix: {prefix}")
    if policies:
        lines.append("  iamPolicies:")
        lines += [f"    - {p}" for p in policies]
    return "\n".join(lines) + "\n"


def findings(run_cli: Any, root: Path, *args: str, rules: str = "RL1,RL3") -> list[tuple[str, str, int, str]]:
    result = run_cli("check", *(args or (".",)), "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return [
        (f["rule"], f["path"], f["line"], f["severity"])
        for f in json.loads(result.out)["findings"]
        if f["rule"] in ("RL101", "RL301", "RL302", "RL303")
    ]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


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
        ("a.yaml", 10, f"namespace '{ECR}/ml/' of system 'gamma' of tenant 'a' is also the "
         f"namespace of service 'registry' of system 'gamma' of tenant 'b' (b.yaml:10){tail}"),
        ("b.yaml", 10, f"namespace '{ECR}/ml/' of system 'gamma' of tenant 'b' is also the "
         f"namespace of service 'registry' of system 'gamma' of tenant 'a' (a.yaml:10){tail}"),
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


def test_rl303_paths_are_relative_to_the_current_folder(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a/r.yaml": manifest("ml", f"{ECR}/a"), "b/r.yaml": manifest("ml", f"{ECR}/b")})
    result = run_cli("check", "r.yaml", "--select", "RL303", "--format", "json", cwd=root / "a")
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["path"], finding["line"]) == ("r.yaml", 4)
    assert "is defined again at ../b/r.yaml:4:" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("../b/r.yaml", 4)]


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


@pytest.mark.parametrize(("env", "severity"), [("production", "error"), ("staging", "warning"), ("development", "warning")])
def test_operational_system_with_only_on_cluster_registry(run_cli: Any, root: Path, env: str, severity: str) -> None:
    write_tree(root, {"docker-registry.yaml": manifest("ml", env=env, name="docker-registry")})
    assert findings(run_cli, root, rules="RL101") == [("RL101", "docker-registry.yaml", 8, severity)]


def test_playground_needs_no_external_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {"r.yaml": manifest("ml", env="playground")})
    assert findings(run_cli, root, rules="RL101") == []


def test_production_with_on_cluster_and_external_user_registry_is_fine(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry"), "ecr.yaml": manifest("ml", f"{ECR}/ml", name="ecr")})
    assert findings(run_cli, root, rules="RL101") == []


def test_only_a_system_role_registry_is_not_enough(run_cli: Any, root: Path) -> None:
    write_tree(root, {"sys.yaml": manifest("ml", f"{ECR}/ml", role="system")})
    assert findings(run_cli, root, rules="RL101") == [("RL101", "sys.yaml", 5, "error")]


def rl101_message(run_cli: Any, root: Path) -> str:
    result = run_cli("check", ".", "--select", "RL101", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    return str(finding["message"])


def test_rl101_with_a_system_registry_says_so(run_cli: Any, root: Path) -> None:
    write_tree(root, {"sys.yaml": manifest("ml", f"{ECR}/ml-system", role="system")})
    assert rl101_message(run_cli, root) == (
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only one with role 'system' (the System Docker Registry, "
        "for the platform's own images): add an external registry service with role 'user' "
        "for the images the platform builds and pushes (it may be the same registry with "
        "another path, such as '<registry>/ml-runtime')"
    )


def test_rl101_with_on_cluster_and_system_registries_names_both(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {"dr.yaml": manifest("ml", name="docker-registry"),
         "sys.yaml": manifest("ml", f"{ECR}/ml-system", name="system", role="system")},
    )  # fmt: skip
    message = rl101_message(run_cli, root)
    assert message.startswith(
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only the on-cluster registry (for playground only: it "
        "loses its images when its pod restarts) and one with role 'system' (the System "
        "Docker Registry, for the platform's own images): add an external registry service "
        "with role 'user'"
    )
    assert "only the on-cluster registry:" not in message


def test_rl101_with_only_the_on_cluster_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry")})
    assert rl101_message(run_cli, root) == (
        "system 'ml' (tenant 'default', production) is operational but has no external "
        "registry with role 'user', only the on-cluster registry (for playground only: it "
        "loses its images when its pod restarts): add an external registry service with "
        "role 'user' for the images the platform builds and pushes (for example ECR)"
    )


def test_system_is_grouped_by_tenant_and_operational_if_any_service_is(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            "a.yaml": manifest("ml", name="docker-registry", env="playground"),
            "b.yaml": manifest("ml", name="cache", env="production"),
            "c.yaml": manifest("ml", f"{ECR}/ml", tenant="other"),
        },
    )
    assert findings(run_cli, root, rules="RL101") == [("RL101", "a.yaml", 8, "error")]


def test_rl101_is_reported_on_a_named_file_of_the_system(run_cli: Any, root: Path) -> None:
    write_tree(root, {"dr.yaml": manifest("ml", name="docker-registry"), "cache.yaml": manifest("ml", name="cache")})
    assert findings(run_cli, root, "cache.yaml", rules="RL101") == [("RL101", "cache.yaml", 8, "error")]


def test_duplicate_service(run_cli: Any, root: Path) -> None:
    write_tree(root, {"a.yaml": manifest("ml", f"{ECR}/a"), "b/a.yaml": manifest("ml", f"{ECR}/b"), "c.yaml": manifest("ml", f"{ECR}/c", tenant="t2")})
    assert findings(run_cli, root, rules="RL303") == [("RL303", "a.yaml", 4, "error"), ("RL303", "b/a.yaml", 4, "error")]


POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}'


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, "does not exist"),
        ({"iam/p.json": '{"Statement": [}'}, "cannot be loaded"),
        ({"iam/p.json": '{"Name": "not a policy"}'}, "is not an IAM policy"),
        ({"iam/p.json/x": ""}, "is a folder"),
    ],
)
def test_broken_policy_reference(run_cli: Any, root: Path, files: dict[str, str], words: str) -> None:
    write_tree(root, {"svc/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../iam/p.json"]), **files})
    result = run_cli("check", "svc/r.yaml", "--select", "RL302", "--format", "json", cwd=root)
    (finding,) = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("RL302", 11, 7)
    assert f"iamPolicies entry '../iam/p.json' {words}" in finding["message"]


def test_policy_reference_may_not_escape_the_root(run_cli: Any, root: Path) -> None:
    write_tree(root, {"project/.reglint.yaml": "{}\n", "project/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../p.json"]), "p.json": POLICY})
    result = run_cli("check", "r.yaml", "--select", "RL302", cwd=root / "project")
    assert "iamPolicies entry '../p.json' points outside the project root" in result.out


def test_good_policy_reference_is_clean(run_cli: Any, root: Path) -> None:
    write_tree(root, {"svc/r.yaml": manifest("ml", f"{ECR}/ml", policies=["../iam/p.json"]), "iam/p.json": POLICY})
    assert findings(run_cli, root, "svc/r.yaml", rules="RL302") == []
