"""No secret in any output (SPEC §4): planted passwords and secret-access-key-shaped
values never appear in the text, JSON, SARIF, GitHub or JUnit report, in the `--output`
file, in the `--write-baseline` file, or on stderr, also with `--debug`.

A secret is searched for whole and as every window of `WINDOW` characters, so a message
that quotes it truncated (`'Zq8vR2mLx7/Kp4Nw…'`) is caught too. The values are shaped
like real credentials, but none is AWS's documented example key, which the rule
documentation (and so SARIF's rule help) rightly prints.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MANIFEST
from hostile.cli_formats import FORMATS, Seen, assert_no_traceback, check_every_format
from hostile.project_tree import GOOD_MANIFEST, make_project

from reglint.checks.all import DOCUMENT_CHECKS
from reglint.checks.base import CheckSettings, DocumentCheck
from reglint.engine import run as engine_run
from reglint.loading.document import Document, DocumentKind

SECRET_KEY = "Zq8vR2mLx7/Kp4NwT9bYc1Hd5FjG3sUeA6oVi0Wr"  # 40 characters, two '/'
SECRET_KEY_PLAIN = "Hx3mQ9tLw2Vb7NcR5kZp8JdY4sGf6AeU1oTi0Kyq"  # no '/' or '+': alias-name safe
PASSWORD = "hunter2-Plant3d-Pa55w0rd"
NUMERIC_PASSWORD = "8374920193847561"
SECRETS = (SECRET_KEY, SECRET_KEY_PLAIN, PASSWORD, NUMERIC_PASSWORD)
WINDOW = 10

ECR_URL = "url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod"
AUTH = "    method: iam-role"


def _service(name: str, auth: str = AUTH, **replace: str) -> str:
    """MANIFEST as service `name` (one system: no cross-file findings), with `auth` lines."""
    text = MANIFEST.replace("name: docker-registry", f"name: {name}").replace(AUTH, auth)
    text = text.replace("- iam/push.json", "- ../iam/push.json")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def _basic(password: str) -> str:
    return f"    method: basic\n    username: bob\n    password: {password}"


OTHER_HOST = {ECR_URL: "url: registry.example.com/ml-prod"}
# file -> its text; every file holds one secret where a rule reads it.
PLANTED: dict[str, str | bytes] = {
    "m/access-key.yaml": _service(
        "access-key",
        f"    method: access-keys\n    username: AKIAQWERTYUIOPASDFGH\n    password: {SECRET_KEY}",
    ),
    "m/basic.yaml": _service("basic", _basic(f'"{PASSWORD}"'), **OTHER_HOST),
    "m/numeric.yaml": _service("numeric", _basic(NUMERIC_PASSWORD), **OTHER_HOST),
    "m/binary.yaml": _service(
        "binary", _basic("!!binary " + base64.b64encode(PASSWORD.encode()).decode()), **OTHER_HOST
    ),
    "m/url.yaml": _service(
        "url",
        "    method: basic",
        **{ECR_URL: f"url: https://bob:{PASSWORD}@Registry.example.com//ml?x=1"},
    ),
    "m/username.yaml": _service(
        "username",
        f"    method: access-keys\n    username: {SECRET_KEY}\n    password: {{fromEnv: K}}",
    ),
    "m/prefix.yaml": _service("prefix", **{"  auth:": f"  imagePrefix: {SECRET_KEY}\n  auth:"}),
    "m/enum.yaml": _service("enum", f"    method: {SECRET_KEY_PLAIN}"),
    "m/env-name.yaml": _service(
        "env-name", _basic(f"{{fromEnv: {SECRET_KEY_PLAIN}, extra: {PASSWORD}}}"), **OTHER_HOST
    ),
    "m/duplicate-value.yaml": _service(
        "duplicate-value", _basic(f"first\n    password: '{PASSWORD}'"), **OTHER_HOST
    ),
    # Parse errors right after, around and inside a secret.
    "m/error-after.yaml": _service("error-after", _basic(f"{PASSWORD}\n  broken: [")),
    "m/error-inside.yaml": _service("error-inside", _basic(f'"{PASSWORD}')),
    "m/error-mapping.yaml": _service("error-mapping", _basic(f"{SECRET_KEY}: {PASSWORD}: x")),
    "m/error-encoding.yaml": _service("error-encoding", _basic(PASSWORD)).encode() + b"\xff\n",
    "m/error-tab.yaml": _service("error-tab", _basic(f"{PASSWORD}\n\tx: 1")),
    "iam/condition.json": json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "ecr:PutImage",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalTag/key": SECRET_KEY}},
                }
            ],
        }
    ),
    "iam/broken.json": '{"Statement": [{"Condition": {"k": "' + SECRET_KEY + '"},}]}',
}


def assert_no_secret(*texts: str) -> None:
    """No secret, nor any `WINDOW`-character piece of one, in `texts`."""
    for secret in SECRETS:
        pieces = {secret[i : i + WINDOW] for i in range(len(secret) - WINDOW + 1)}
        for text in texts:
            leaked = sorted(piece for piece in pieces if piece in text)
            assert not leaked, f"{secret!r} leaked as {leaked} in:\n{text[:3000]}"


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    return make_project(project, dict(PLANTED))


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_secret_in_any_report_file_baseline_or_debug_output(
    output_format: str, run_cli: Any, planted: Path
) -> None:
    report, baseline = planted.parent / "out" / "report", planted.parent / "baseline.json"
    args = ("check", "--debug", "--format", output_format, ".")
    shown = run_cli(*args, cwd=planted)
    written = run_cli(
        *args, "--output", str(report), "--write-baseline", str(baseline), cwd=planted
    )
    assert shown.code == 1 and written.code == 0
    assert_no_traceback(shown.out, shown.err, written.err)
    assert_no_secret(shown.out, shown.err, written.out, written.err)
    assert_no_secret(report.read_text(encoding="utf-8"), baseline.read_text(encoding="utf-8"))
    assert report.read_text(encoding="utf-8") == shown.out


def test_the_planted_secrets_are_found_where_they_are(run_cli: Any, planted: Path) -> None:
    """The leak test above is only worth something if reglint read every secret."""
    out = run_cli("check", "--format", "json", ".", cwd=planted).out
    found = {(f["rule"], f["path"], f["line"]) for f in json.loads(out)["findings"]}
    for rule, path, line in [
        ("RL106", "m/access-key.yaml", 14),
        ("RL106", "m/basic.yaml", 14),
        ("RL106", "m/numeric.yaml", 14),
        ("RL002", "m/numeric.yaml", 14),
        ("RL002", "m/binary.yaml", 14),
        ("RL102", "m/url.yaml", 10),
        ("RL106", "m/username.yaml", 13),
        ("RL106", "m/prefix.yaml", 11),
        ("RL106", "m/enum.yaml", 12),
        ("RL106", "m/env-name.yaml", 14),
        ("RL003", "m/duplicate-value.yaml", 15),
        ("RL106", "m/duplicate-value.yaml", 15),
        ("RL001", "m/error-after.yaml", 17),
        ("RL001", "m/error-inside.yaml", 19),
        ("RL001", "m/error-mapping.yaml", 14),
        ("RL001", "m/error-encoding.yaml", 20),
        ("RL001", "m/error-tab.yaml", 15),
        ("RL001", "iam/broken.json", 1),
    ]:
        assert (rule, path, line) in found, (rule, path, line, sorted(found))


def _leaking(document: Document, settings: CheckSettings) -> Any:
    """A check that fails with the document's password in its exception text."""
    password = document.data.get("spec", {}).get("auth", {}).get("password")
    if isinstance(password, str):
        raise RuntimeError(f"cannot handle password {password}")  # noqa: TRY004 - on purpose
    yield from ()


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_internal_error_never_prints_the_exception_text(
    output_format: str, run_cli: Any, planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaking = DocumentCheck(
        "leaking", frozenset({"RL106"}), frozenset({DocumentKind.MANIFEST}), _leaking
    )
    monkeypatch.setattr(engine_run, "DOCUMENT_CHECKS", (*DOCUMENT_CHECKS, leaking))
    result = run_cli("check", "--debug", "--format", output_format, ".", cwd=planted)
    assert result.code == 2
    assert "RL000" in result.out and "RuntimeError in check 'leaking'" in result.err
    assert_no_secret(result.out, result.err)


# Leaks found by this suite, each in every format. SECRET_KEY_PLAIN has no '/', so it can
# be an alias name or a plain key; each case is one more manifest beside the good one.
KNOWN_LEAKS = {
    "unquoted-password-starting-with-star": (
        _service("star", _basic(f"*{SECRET_KEY_PLAIN}")),
        (
            "bug: RL001's message quotes the alias name (`found undefined alias '…'`), so an "
            "unquoted password that starts with `*` is printed (yaml_loader._load_document)"
        ),
    ),
    "secret-shaped-mapping-key": (
        _service("key", f"{AUTH}\n    {SECRET_KEY_PLAIN}: 1\n    {SECRET_KEY_PLAIN}: 2"),
        (
            "bug: RL002 (`unknown key '…'`) and RL003 (`duplicate key '…'`) quote a key that "
            "RL106 would call a secret access key if it were a value"
        ),
    ),
    "secret-shaped-iam-policies-entry": (
        _service("entry", **{"- ../iam/push.json": f"- {SECRET_KEY}"}),
        (
            "bug: RL302 quotes the iamPolicies entry (`iamPolicies entry '…' does not exist`) "
            "even when it looks like a secret access key"
        ),
    ),
}


@pytest.mark.parametrize(
    "text",
    # Once known leaks, each fixed since: the Decider redacts secret-shaped text from every
    # message, and the YAML loader no longer quotes an undefined alias's name.
    [pytest.param(text, id=key) for key, (text, _was) in KNOWN_LEAKS.items()],
)
def test_known_leaks(text: str, run_cli: Any, tmp_path: Path) -> None:
    make_project(tmp_path, {"m/leak.yaml": text, "good.yaml": GOOD_MANIFEST})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert any(seen.path == "m/leak.yaml" for seen in runs["json"].seen)
    assert Seen("RL104", "good.yaml", 11) in runs["json"].seen
    for run in runs.values():
        assert_no_secret(run.out, run.err)


# -- A secret access key embedded in a longer value (AWS's own example key) --------------

AWS_EXAMPLE_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS's documented example


def _policy(action: str = "ecr:PutImage", resource: str = "*") -> str:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


PREFIX = "  auth:"
EMBEDDED: dict[str, str] = {
    # RL104 used to quote it, and lower-case it in its "write '…'" hint.
    "m/prefix.yaml": _service("prefix", **{PREFIX: f"  imagePrefix: team/{AWS_EXAMPLE_KEY}\n{PREFIX}"}),
    # RL102 used to quote the path, and lower-case it in its hint.
    "m/url.yaml": _service("url", **{ECR_URL: f"url: registry.example.com/ml/{AWS_EXAMPLE_KEY}"}),
    # The reason of an inline suppression (printed in JSON and SARIF).
    "m/suppressed.yaml": _service(
        "suppressed",
        **{PREFIX: f"  # reglint: ignore[RL104] -- rotated {AWS_EXAMPLE_KEY} today\n"
                   f"  imagePrefix: Runtime\n{PREFIX}"},
    ),
    # RL206 quotes the ARN, RL203 the action.
    "iam/arn.json": _policy(resource=f"arn:aws:ecr:us-east-2:12345:repository/team/{AWS_EXAMPLE_KEY}"),
    "iam/action.json": _policy(action=f"ecr:{AWS_EXAMPLE_KEY}"),
    # A stray YAML file is skipped with a notification that named the duplicate anchor.
    "stray.yaml": f"a: &{SECRET_KEY_PLAIN} 1\nb: &{SECRET_KEY_PLAIN} 2\n",
}


def _assert_key_not_in(text: str) -> None:
    for key in (AWS_EXAMPLE_KEY, AWS_EXAMPLE_KEY.lower(), SECRET_KEY_PLAIN):
        pieces = {key[i : i + WINDOW] for i in range(len(key) - WINDOW + 1)}
        leaked = sorted(piece for piece in pieces if piece in text)
        assert not leaked, f"{key!r} leaked as {leaked} in:\n{text[:3000]}"


def _without_rule_help(output_format: str, out: str) -> str:
    """The report without SARIF's rule descriptors: RL106's help rightly shows AWS's
    example key as what not to write."""
    if output_format != "sarif":
        return out
    log = json.loads(out)
    del log["runs"][0]["tool"]["driver"]["rules"]
    return json.dumps(log, ensure_ascii=False)


def test_a_secret_access_key_inside_a_longer_value_is_never_printed(
    run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, dict(EMBEDDED))
    runs = check_every_format(run_cli, tmp_path, ".")
    prefix, url = EMBEDDED["m/prefix.yaml"], EMBEDDED["m/url.yaml"]
    arn, action = EMBEDDED["iam/arn.json"], EMBEDDED["iam/action.json"]
    expected = {
        Seen("RL104", "good.yaml", 11): "image prefix 'Runtime'",
        # RL106 reports the secret where RL104 and RL102 now stay silent.
        Seen("RL106", "m/prefix.yaml", _line_of(prefix, "imagePrefix")): "spec.imagePrefix holds",
        Seen("RL106", "m/url.yaml", _line_of(url, "url:")): "spec.url holds",
        Seen("RL206", "iam/arn.json", _line_of(arn, "Resource")): "arn:aws:ecr:us-east-2:12345:<redacted>",
        Seen("RL203", "iam/action.json", _line_of(action, "Action")): "ecr:<redacted>",
    }
    for run in runs.values():
        assert sorted(run.seen) == sorted(expected), (run.output_format, run.seen)
        assert run.code == 1
        assert "reglint: stray.yaml: skipped: found duplicate anchor" in run.err
        _assert_key_not_in(_without_rule_help(run.output_format, run.out))
        _assert_key_not_in(run.err)
    for seen, words in expected.items():
        assert words in runs["json"].messages[seen], (seen, runs["json"].messages[seen])
    suppressed = [f for f in json.loads(runs["json"].out)["findings"] if f["suppressed"]]
    assert [(f["rule"], f["path"], f["suppressed"]) for f in suppressed] == [
        ("RL104", "m/suppressed.yaml", {"kind": "inline", "justification": "rotated <redacted> today"})
    ]
    sarif = json.loads(runs["sarif"].out)["runs"][0]
    [result] = [r for r in sarif["results"] if r.get("suppressions")]
    assert result["suppressions"][0]["justification"] == "rotated <redacted> today"
