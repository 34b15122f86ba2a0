"""Hostile platform sources (SPEC §4, §6.3): a secret planted in a registry Secret —
base64-encoded in `data`, in `stringData`, inside an `auth` field, in an AWS
credentials file, in a payload that does not parse, in a host key, in a registry URL —
never comes out, decoded or encoded, in any of the five formats, on stderr, in
`--debug` output or in a baseline; and hostile sizes stay bounded through the CLI, in a
child process.

The secrets are not shaped like AWS secret access keys, so the redaction of
secret-shaped text (decisions/caps.py) cannot hide a leak: nothing may quote them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hostile.cli_formats import FORMATS, Seen, assert_no_traceback, check_every_format, run_measured
from hostile.project_tree import good_finding, make_project

from reglint.checks.all import DOCUMENT_CHECKS
from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.engine import run as engine_run
from reglint.loading.document import Document, DocumentKind

WINDOW = 10
DATA_SECRET = "Pl4nt3d-data-t0ken-Qw9x"
STRING_SECRET = "Pl4nt3d-string-p4ss-Zr7k"
AUTH_SECRET = "Pl4nt3d-auth-p4ss-Mv2c"
AWS_SECRET = "Pl4nt3d-aws-s3cret-Hn5t"
BROKEN_SECRET = "Pl4nt3d-broken-p4ss-Jd8e"
KEY_SECRET = "Pl4nt3d-key-p4ss-Tb3u"
URL_SECRET = "Pl4nt3d-url-p4ss-Ws6y"
ENV_SECRET = "Pl4nt3d-dsn-p4ss-Kc1o"
ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


AUTH_FIELD = b64(f"AWS:{AUTH_SECRET}")
SECRETS = (DATA_SECRET, STRING_SECRET, AUTH_SECRET, AWS_SECRET, BROKEN_SECRET, KEY_SECRET, URL_SECRET, ENV_SECRET)
ENCODED = (AUTH_FIELD, *(b64(s) for s in SECRETS))


def secret(name: str, section: str, key: str, value: str, kind: str = "kubernetes.io/dockerconfigjson") -> str:
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: {kind}\n{section}:\n  {key}: {value}\n"


def config(hosts: dict[str, Any]) -> str:
    return json.dumps({"auths": hosts})


CONFIG = 'platform-systems:\n  "clusters/*": {system: ml-prod, environment: production}\n'
PLANTED: dict[str, str | bytes] = {
    ".reglint.yaml": CONFIG,
    "k8s/data.yaml": secret("data", "data", ".dockerconfigjson", b64(config({"registry.example.com": {"username": "ci", "password": DATA_SECRET}}))),
    "k8s/string.yaml": secret("string", "stringData", ".dockerconfigjson", json.dumps(config({"ghcr.io": {"username": "ci", "password": STRING_SECRET}}))),
    "k8s/auth.yaml": secret("auth", "stringData", ".dockerconfigjson", json.dumps(config({ECR: {"auth": AUTH_FIELD}}))),
    "k8s/aws.yaml": secret("aws", "data", "credentials", b64(f"[default]\naws_access_key_id = AKIAQ3EGRTHS5EXAMPLE\naws_secret_access_key = {AWS_SECRET}\n"), "Opaque"),
    "k8s/broken.yaml": secret("broken", "stringData", ".dockerconfigjson", json.dumps('{"auths": {"h": {"password": "' + BROKEN_SECRET + '"')),
    "k8s/key.yaml": secret("key", "data", ".dockerconfigjson", b64(config({f"https://bob:{KEY_SECRET}@Reg.example.com/v2/": {}}))),
    "clusters/values.yaml": f"global:\n  registry:\n    url: https://bob:{URL_SECRET}@registry.example.com/ml\n    secretName: data\n",
    "clusters/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mlrun-api\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          env:\n"
        f"            - {{name: MLRUN_HTTPDB__DSN, value: 'mysql+pymysql://root:{ENV_SECRET}@db:3306/mlrun'}}\n"
        "            - {name: MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY_SECRET, value: 7}\n"
    ),
}  # fmt: skip


def assert_no_secret(*texts: str) -> None:
    """No planted secret, decoded or base64-encoded, nor any `WINDOW`-character piece of one."""
    for secret in (*SECRETS, *ENCODED):
        pieces = {secret[i : i + WINDOW] for i in range(len(secret) - WINDOW + 1)}
        for text in texts:
            leaked = sorted(piece for piece in pieces if piece in text)
            assert not leaked, f"{secret!r} leaked as {leaked} in:\n{text[:3000]}"


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", dict(PLANTED))


def test_the_planted_secrets_are_found_where_they_are(run_cli: Any, planted: Path) -> None:
    """The leak tests are only worth something if reglint read every planted secret."""
    runs = check_every_format(run_cli, planted, ".")
    found = set(runs["json"].seen)
    for seen in [
        good_finding(),
        Seen("RL106", "k8s/data.yaml", 7),
        Seen("RL106", "k8s/string.yaml", 7),
        Seen("RL106", "k8s/auth.yaml", 7),
        Seen("RL110", "k8s/auth.yaml", 7),
        Seen("RL106", "k8s/aws.yaml", 7),
        Seen("RL002", "k8s/broken.yaml", 7),
        Seen("RL102", "k8s/key.yaml", 7),
        Seen("RL102", "clusters/values.yaml", 3),
        Seen("RL002", "clusters/deployment.yaml", 12),
    ]:
        assert seen in found, (seen, sorted(found))
    for run in runs.values():
        assert_no_secret(run.out, run.err)


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_secret_in_any_report_file_baseline_or_debug_output(
    output_format: str, run_cli: Any, planted: Path
) -> None:
    report, baseline = planted.parent / "out" / "report", planted.parent / "baseline.json"
    args = ("check", "--debug", "--format", output_format, ".")
    shown = run_cli(*args, cwd=planted)
    written = run_cli(*args, "--output", str(report), "--write-baseline", str(baseline), cwd=planted)
    assert shown.code == 1 and written.code == 0
    assert_no_traceback(shown.out, shown.err, written.err)
    assert_no_secret(shown.out, shown.err, written.out, written.err)
    assert_no_secret(report.read_text(encoding="utf-8"), baseline.read_text(encoding="utf-8"))


def _leaking(document: Document, settings: CheckSettings) -> Any:
    """A check that fails with a decoded payload in its exception text."""
    payload = document.data.get("data", {}).get(".dockerconfigjson") if isinstance(document.data, dict) else None
    if isinstance(payload, str):
        raise RuntimeError(f"cannot read {base64.b64decode(payload).decode()}")  # noqa: TRY004 - on purpose
    yield from ()


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_internal_error_never_prints_a_decoded_payload(
    output_format: str, run_cli: Any, planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaking = DocumentCheck("leaking", frozenset({"RL106"}), frozenset({DocumentKind.PLATFORM}), _leaking)
    monkeypatch.setattr(engine_run, "DOCUMENT_CHECKS", (*DOCUMENT_CHECKS, leaking))
    result = run_cli("check", "--debug", "--format", output_format, ".", cwd=planted)
    assert result.code == 2
    assert "RL000" in result.out and "RuntimeError in check 'leaking'" in result.err
    assert_no_secret(result.out, result.err)


# -- Hostile sizes, through the CLI in a child process --------------------------------------

TIMEOUT_S = 120  # the whole run takes a few seconds on a loaded machine
# Measured: about 3 s and 225 MiB peak on 2 loaded cores (most of it PyYAML's nodes for
# the 60,000-entry env list and the 30,000-item List).
RSS_BOUND_MIB = 450
MIB = 1024 * 1024
ENV = "MLRUN_HTTPDB__BUILDER__DOCKER_REGISTRY"


def _hostile_files() -> dict[str, str | bytes]:
    many_hosts = config({f"r{i}.example.com": {"password": DATA_SECRET} for i in range(15_000)})  # 0.9 MiB
    env = "".join(f"            - {{name: {ENV}, value: 'r{i}.example.com/ml'}}\n" for i in range(60_000))
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          env:\n" + env
    )
    items = "".join(
        f"  - {{apiVersion: v1, kind: Secret, metadata: {{name: s{i}}}, type: kubernetes.io/dockerconfigjson, "
        f"data: {{.dockerconfigjson: '%%'}}}}\n"
        for i in range(30_000)
    )
    return {
        ".reglint.yaml": CONFIG,
        "k8s/large.yaml": secret("large", "data", ".dockerconfigjson", "A" * (4 * MIB)),
        "k8s/hosts.yaml": secret("hosts", "data", ".dockerconfigjson", b64(many_hosts)),
        "k8s/deep.yaml": secret("deep", "stringData", ".dockerconfigjson", json.dumps("[" * 400_000 + "]" * 400_000)),
        "k8s/deep-b64.yaml": secret("deepb", "data", ".dockerconfigjson", b64('{"a":' * 150_000 + "1" + "}" * 150_000)),
        "k8s/credentials.yaml": secret("creds", "stringData", "credentials", json.dumps("[" * 500_000 + "aws_secret_access_key" * 20_000), "Opaque"),
        "k8s/list.yaml": "apiVersion: v1\nkind: List\nitems:\n" + items,
        "clusters/deployment.yaml": deployment,
        "clusters/values.yaml": f"global:\n  registry:\n    url: '{'a' * (4 * MIB)}'\n",
    }  # fmt: skip


@pytest.mark.slow
def test_hostile_sizes_are_bounded_through_the_cli(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", _hostile_files())
    measured = run_measured(project, "check", "--format", "json", ".", timeout=TIMEOUT_S)
    assert measured.code == 1, measured.err
    assert measured.peak_rss_mib < RSS_BOUND_MIB, measured.peak_rss_mib
    report = json.loads(measured.out)
    found = {(f["rule"], f["path"], f["line"]): f["message"] for f in report["findings"]}
    assert ("RL104", "good.yaml", 11) in found
    expected = {
        ("RL002", "k8s/large.yaml", 7): "larger than Kubernetes' Secret size limit (1 MiB)",
        ("RL002", "k8s/hosts.yaml", 7): "has more than 1000 registry hosts; the rest are not checked",
        ("RL002", "k8s/deep.yaml", 7): "nested too deeply",
        ("RL002", "k8s/deep-b64.yaml", 7): "nested too deeply",
        ("RL106", "k8s/hosts.yaml", 7): "and 997 more",
    }
    for where, words in expected.items():
        assert words in found.get(where, ""), (where, found.get(where))
    # 30,000 Secrets whose payload is not base64: capped at 100 findings a rule and file.
    assert sum(1 for f in report["findings"] if f["path"] == "k8s/list.yaml") == 101
    # The reader takes the first 10,000 items of a List (platform/secrets.py).
    assert report["summary"]["errors"] >= 10_000
    assert_no_secret(measured.out, measured.err)
