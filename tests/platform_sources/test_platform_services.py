"""An MLRun system's `mlrun-builder` service in the cross-file rules (SPEC §6.3): RL101,
RL301 and RL303 across sources, conflicting settings (RL303), the Secrets its settings
name (RL302 note, RL105), and the notification for settings of no system."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import write_tree
from rules.project_cases import ECR, manifest

CONFIG = """\
platform-systems:
  "clusters/prod/*": {system: ml-prod, environment: production}
  "clusters/lab/*": {system: lab, environment: playground}
  "clusters/stage/*": {system: ml-stage, environment: staging}
"""


def values(url: str | None = None, *, secret: str | None = None, template: str | None = None) -> str:
    lines = ["# mlrun-ce values", "global:", "  registry:"]
    if url is not None:
        lines.append(f"    url: {url}")
    if secret is not None:
        lines.append(f"    secretName: {secret}")
    if template is not None:
        lines += ["mlrun:", "  api:", "    extraEnvKeyValue:",
                  f"      MLRUN_HTTPDB__BUILDER__FUNCTION_TARGET_IMAGE_NAME_PREFIX_TEMPLATE: '{template}'"]  # fmt: skip
    return "\n".join(lines) + "\n"


def docker_secret(name: str, host: str, *, password: str = "${PASSWORD}") -> str:
    payload = json.dumps({"auths": {host: {"username": "ci", "password": password}}})
    return (
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n"
        f"type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{payload}'\n"
    )


def aws_secret(name: str) -> str:
    return (
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: Opaque\nstringData:\n"
        "  credentials: |\n    [default]\n    aws_access_key_id = ${ID}\n    aws_secret_access_key = ${KEY}\n"
    )


def run(run_cli: Any, root: Path, *args: str, rules: str = "RL1,RL3") -> tuple[list[tuple[Any, ...]], Any]:
    result = run_cli("check", *(args or (".",)), "--select", rules, "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    report = json.loads(result.out)
    found = [(f["rule"], f["path"], f["line"], f["severity"], f["message"]) for f in report["findings"]]
    return found, report


def brief(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [f[:4] for f in found]


# -- RL101 ---------------------------------------------------------------------------------


def test_an_unset_mlrun_url_is_the_on_cluster_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": CONFIG, "clusters/prod/values.yaml": values("mustprovide")})
    found, _ = run(run_cli, root)
    assert brief(found) == [("RL101", "clusters/prod/values.yaml", 4, "error")]
    message = found[0][4]
    assert "system 'ml-prod' (tenant 'default', production) is operational" in message
    assert "only the on-cluster registry" in message
    assert "global.registry.url is not set, so MLRun builds its images into the on-cluster registry" in message


def test_an_in_cluster_host_is_the_on_cluster_registry(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": CONFIG, "clusters/stage/values.yaml": values("docker-registry.mlrun.svc:5000")})
    found, _ = run(run_cli, root)
    assert brief(found) == [("RL101", "clusters/stage/values.yaml", 4, "warning")]
    assert "MLRun builds its images into 'docker-registry.mlrun.svc:5000', inside the cluster: set global.registry.url" in found[0][4]


def test_no_url_at_all_sits_at_the_first_setting(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": CONFIG, "clusters/prod/values.yaml": values(secret="regcred")})
    found, _ = run(run_cli, root, rules="RL101")
    assert brief(found) == [("RL101", "clusters/prod/values.yaml", 4, "error")]
    assert "no registry URL is set in the system's MLRun settings" in found[0][4]


def test_external_unknown_and_playground_registries_are_fine(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(f"{ECR}/ml-prod"),
            "clusters/stage/values.yaml": values("'{{ .Values.registry }}'"),
            "clusters/lab/values.yaml": values("mustprovide"),
        },
    )
    assert run(run_cli, root, rules="RL101")[0] == []


def test_a_manifest_gives_the_mlrun_system_its_external_registry(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values("mustprovide"),
            "systems/ml-prod.yaml": manifest("ml-prod", f"{ECR}/ml-prod"),
        },
    )
    assert run(run_cli, root, rules="RL101")[0] == []


# -- RL301 ---------------------------------------------------------------------------------


def test_a_values_file_and_a_manifest_pushing_into_one_namespace_collide(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(f"{ECR}/ml", template="prod-{project}-{name}"),
            "systems/search.yaml": manifest("search", f"{ECR}/ml", prefix="prod-"),
        },
    )
    found, report = run(run_cli, root, rules="RL301")
    assert brief(found) == [
        ("RL301", "clusters/prod/values.yaml", 4, "error"),
        ("RL301", "systems/search.yaml", 9, "error"),
    ]
    assert (
        f"namespace '{ECR}/ml/prod-' is also the namespace of service 'registry' of system 'search' "
        "(systems/search.yaml:9)"
    ) in found[0][4]
    assert "service 'mlrun-builder' of system 'ml-prod' (clusters/prod/values.yaml:4)" in found[1][4]
    assert report["findings"][1]["related"][0] | {"message": ""} == {
        "path": "clusters/prod/values.yaml", "line": 4, "column": 10, "message": ""
    }


def test_mlrun_default_repository_and_prefix_make_the_namespace(run_cli: Any, root: Path) -> None:
    # A URL with no path pushes to `<host>/mlrun/`, with MLRun's default prefix `func-`.
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(ECR),
            "systems/search.yaml": manifest("search", f"{ECR}/mlrun"),
        },
    )
    found, _ = run(run_cli, root, rules="RL301")
    assert brief(found) == [
        ("RL301", "clusters/prod/values.yaml", 4, "warning"),
        ("RL301", "systems/search.yaml", 9, "warning"),
    ]
    assert f"'{ECR}/mlrun/' (service 'registry' of system 'search', systems/search.yaml:9) is a prefix of '{ECR}/mlrun/func-'" in found[0][4]


def test_a_run_naming_only_the_template_file_reports_there(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(f"{ECR}/ml"),
            "clusters/prod/values-prefix.yaml": values(template="prod-{project}"),
            "systems/search.yaml": manifest("search", f"{ECR}/ml", prefix="prod-"),
        },
    )
    found, _ = run(run_cli, root, "clusters/prod/values-prefix.yaml", rules="RL301")
    assert brief(found) == [("RL301", "clusters/prod/values-prefix.yaml", 7, "error")]
    assert "(systems/search.yaml:9)" in found[0][4]


def test_in_cluster_registries_of_two_systems_do_not_collide(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/lab/values.yaml": values("docker-registry.mlrun.svc:5000"),
            "clusters/stage/values.yaml": values("docker-registry.mlrun.svc:5000"),
        },
    )
    assert run(run_cli, root, rules="RL301")[0] == []


# -- RL303 ---------------------------------------------------------------------------------


def test_a_manifest_of_the_mlrun_builder_is_a_duplicate(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(f"{ECR}/ml-prod"),
            "systems/ml-prod.yaml": manifest("ml-prod", f"{ECR}/ml-prod", name="mlrun-builder"),
        },
    )
    found, _ = run(run_cli, root, rules="RL303")
    assert brief(found) == [
        ("RL303", "clusters/prod/values.yaml", 4, "error"),
        ("RL303", "systems/ml-prod.yaml", 4, "error"),
    ]
    assert found[0][4] == (
        "the MLRun settings of system 'ml-prod' (tenant 'default') make the registry service "
        "'mlrun-builder', which is defined again at systems/ml-prod.yaml:4: delete that manifest, "
        "or rename it if it describes another registry"
    )
    assert "is the service that the system's MLRun settings make (at clusters/prod/values.yaml:4)" in found[1][4]


def test_two_files_of_one_system_with_different_urls_conflict(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/a.yaml": values(f"{ECR}/ml-prod"),
            "clusters/prod/b.yaml": values(f"{ECR}/ml-prod/"),  # the same namespace: agrees
            "clusters/prod/c.yaml": values(f"{ECR}/ml-other"),
        },
    )
    found, report = run(run_cli, root, rules="RL303")
    assert brief(found) == [
        ("RL303", "clusters/prod/a.yaml", 4, "error"),
        ("RL303", "clusters/prod/c.yaml", 4, "error"),
    ]
    assert found[0][4] == (
        f"system 'ml-prod' (tenant 'default') sets global.registry.url to '{ECR}/ml-prod' here and "
        f"to '{ECR}/ml-other' at clusters/prod/c.yaml:4: which value MLRun uses depends on the "
        "order the files are applied in (helm -f, kubectl apply); set it in one place"
    )
    assert [r["path"] for r in report["findings"][0]["related"]] == ["clusters/prod/c.yaml"]


# -- The Secrets a system names ------------------------------------------------------------


def test_a_secret_name_with_no_secret_is_a_note(run_cli: Any, root: Path) -> None:
    write_tree(root, {".reglint.yaml": CONFIG, "clusters/prod/values.yaml": values("registry.example.com/ml", secret="regcred")})
    found, _ = run(run_cli, root, rules="RL302")
    assert brief(found) == [("RL302", "clusters/prod/values.yaml", 5, "note")]
    assert "no Secret named 'regcred' in the project (global.registry.secretName)" in found[0][4]


def test_a_secret_for_another_host_is_a_mismatch(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values("registry.example.com/ml", secret="regcred"),
            "k8s/regcred.yaml": docker_secret("regcred", "https://index.docker.io/v1/"),
        },
    )
    found, report = run(run_cli, root, rules="RL105,RL302")
    assert brief(found) == [("RL105", "clusters/prod/values.yaml", 5, "error")]
    assert "Secret 'regcred' holds no credentials for registry 'registry.example.com'" in found[0][4]
    assert [(r["path"], r["line"]) for r in report["findings"][0]["related"]] == [("k8s/regcred.yaml", 4)]


def test_an_ecr_builder_secret_must_be_an_aws_credentials_file(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values(f"{ECR}/ml", secret="regcred"),
            "k8s/regcred.yaml": docker_secret("regcred", ECR),
            "k8s/aws.yaml": aws_secret("aws-credentials"),
        },
    )
    found, _ = run(run_cli, root, rules="RL105")
    assert brief(found) == [("RL105", "clusters/prod/values.yaml", 5, "error")]
    assert "MLRun mounts Secret 'regcred' as an AWS credentials file, but it has no 'credentials' key" in found[0][4]
    write_tree(root, {"clusters/prod/values.yaml": values(f"{ECR}/ml", secret="aws-credentials")})
    assert run(run_cli, root, rules="RL105")[0] == []


def test_a_pre_commit_run_on_the_values_file_sees_the_secrets(run_cli: Any, root: Path) -> None:
    write_tree(
        root,
        {
            ".reglint.yaml": CONFIG,
            "clusters/prod/values.yaml": values("registry.example.com/ml", secret="regcred"),
            "k8s/regcred.yaml": docker_secret("regcred", "registry.example.com"),
        },
    )
    assert run(run_cli, root, "clusters/prod/values.yaml", rules="RL105,RL302")[0] == []


# -- Settings of no system -----------------------------------------------------------------


def test_settings_of_no_system_are_a_notification(run_cli: Any, root: Path) -> None:
    write_tree(root, {"values.yaml": values("mustprovide", secret="regcred")})
    text = run_cli("check", ".", cwd=root)
    assert text.code == 0
    assert text.err == (
        "reglint: values.yaml: MLRun settings that belong to no platform system: add a "
        "`platform-systems` glob for this file to the config, so that its system's registry is "
        "checked (RL101, RL301, RL303, and the Secrets it names)\n"
    )
    assert text.out == "0 errors, 0 warnings in 1 file (0 skipped)\n"
    sarif = json.loads(run_cli("check", ".", "--format", "sarif", cwd=root).out)
    [note] = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and "belong to no platform system" in note["message"]["text"]
    junit = run_cli("check", ".", "--format", "junit", cwd=root).out
    assert "<skipped" not in junit and "belong to no platform system" in junit
