"""Platform sources in a run (SPEC §6.3, §6.6): the sniff picks out registry Secrets and
MLRun settings, named or not, and they are loaded with the project as PLATFORM
documents; nothing the sniff passes over is parsed for them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST, write_tree

from reglint.engine import load as engine_load
from reglint.engine.load import LoadRequest, load_project
from reglint.files.globs import GlobSet
from reglint.loading.document import DocumentKind, Limits
from reglint.platform.documents import platform_records

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: regcred
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"registry.example.com": {"username": "ci", "password": "${PASSWORD}"}}}'
"""
VALUES = """\
global:
  registry:
    url: registry.example.com/ml
    secretName: regcred
"""
OTHER_CHART = "global:\n  imagePullSecrets: []\nimage:\n  registry: docker.io\n  repository: bitnami/redis\n"
DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"


def _load(root: Path, *names: str) -> Any:
    return load_project(
        LoadRequest(
            paths=[root / name for name in names],
            root=root,
            cwd=root,
            limits=Limits(),
            include=GlobSet(()),
            exclude=GlobSet(()),
        )
    )


def test_a_named_secret_is_checked_with_the_project(run_cli: Any, root: Path) -> None:
    write_tree(root, {"secret.yaml": SECRET.replace("type:", "metadata:\n  name: again\ntype:")})
    result = run_cli("check", "secret.yaml", "--format", "json", cwd=root)
    report = json.loads(result.out)
    assert (report["summary"]["files"], report["summary"]["skipped"]) == (1, 0)
    # A platform source is linted: a key given twice is RL003, as in a manifest.
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("RL003", 5)]
    assert result.code == 1


def test_a_values_file_of_another_chart_is_skipped(run_cli: Any, root: Path) -> None:
    write_tree(root, {"values.yaml": OTHER_CHART})
    result = run_cli("check", "values.yaml", "--format", "json", cwd=root)
    report = json.loads(result.out)
    assert (report["summary"]["skipped"], report["findings"], result.code) == (1, [], 0)


def test_a_pre_commit_run_loads_every_platform_source_under_the_root(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        root,
        {
            "m.yaml": MANIFEST,
            "k8s/secret.yaml": SECRET,
            "k8s/values.yaml": VALUES,
            "k8s/other-chart.yaml": OTHER_CHART,
            "k8s/deployment.yaml": DEPLOYMENT,
        },
    )
    parsed: list[str] = []
    real = engine_load.load_bytes

    def recording(path: Path, *args: Any) -> Any:
        parsed.append(path.relative_to(root).as_posix())
        return real(path, *args)

    monkeypatch.setattr(engine_load, "load_bytes", recording)
    loaded = _load(root, "m.yaml")
    kinds = {
        s.path.relative_to(root).as_posix(): [d.kind for d in s.documents]
        for s in loaded.project.sources
    }
    assert kinds == {
        "m.yaml": [DocumentKind.MANIFEST],
        "k8s/secret.yaml": [DocumentKind.PLATFORM],
        "k8s/values.yaml": [DocumentKind.PLATFORM],
    }
    # Context files are never reported; a file without markers is never parsed.
    assert [s.reported for s in loaded.project.sources] == [True, False, False]
    assert "k8s/deployment.yaml" not in parsed
    secret = loaded.project.sources[1].documents[0]
    assert platform_records(secret).secrets[0].declaration.name == "regcred"
    values = loaded.project.sources[2].documents[0]
    assert [s.key for s in platform_records(values).settings.settings] == [
        "global.registry.url",
        "global.registry.secretName",
        "global.registry.secretName",
    ]


def test_named_platform_sources_are_never_checked_on_their_own(root: Path) -> None:
    write_tree(root, {"secret.yaml": SECRET, "values.yaml": VALUES, "deployment.yaml": DEPLOYMENT})
    loaded = _load(root, "secret.yaml", "values.yaml", "deployment.yaml")
    assert [job.path.name for job in loaded.independent] == ["deployment.yaml"]
    assert sorted(s.path.name for s in loaded.project.sources) == ["secret.yaml", "values.yaml"]


def test_named_standard_input_is_read_as_a_platform_source(run_cli: Any, root: Path) -> None:
    duplicated = SECRET.replace("type:", "metadata:\n  name: again\ntype:")
    result = run_cli(
        "check", "-", "--stdin-filename", "secret.yaml", "--format", "json",
        cwd=root, stdin=duplicated.encode(),
    )  # fmt: skip
    assert [(f["rule"], f["path"], f["line"]) for f in json.loads(result.out)["findings"]] == [
        ("RL003", "secret.yaml", 5)
    ]


CHILD = """
import sys
from reglint.cli import main
try:
    main(["check", *sys.argv[1:]])
except SystemExit:
    pass
import json
print(json.dumps(sorted(m for m in sys.modules if m.startswith("reglint.platform"))))
"""


@pytest.mark.parametrize(
    ("files", "loaded"),
    [
        ({"m.yaml": MANIFEST, "k8s/deployment.yaml": DEPLOYMENT}, ["reglint.platform", "reglint.platform.sniff", "reglint.platform.systems"]),
        ({"m.yaml": MANIFEST, "k8s/secret.yaml": SECRET}, ["reglint.platform.documents", "reglint.platform.secrets"]),
    ],
)  # fmt: skip
def test_the_platform_readers_are_imported_only_for_a_platform_source(
    root: Path, files: dict[str, str], loaded: list[str]
) -> None:
    """A pre-commit run in a repository without platform sources pays for the sniff only."""
    import subprocess
    import sys

    write_tree(root, files)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "m.yaml"], cwd=root, capture_output=True, text=True, check=True, timeout=120
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    if "k8s/secret.yaml" in files:
        assert set(loaded) <= set(modules), modules
    else:
        assert modules == loaded
