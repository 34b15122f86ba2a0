"""The suite's own rules: a test whose resource is missing skips on a user's machine and
fails under CI (tests/resources.py), every skip in the suite is either that or a
platform skip, and every test has a time limit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from resources import under_ci

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("value", [None, "", "0", "false", "False", " FALSE ", "no", "off"])
def test_ci_unset_empty_or_false_is_not_ci(value: str | None) -> None:
    assert not under_ci({} if value is None else {"CI": value})


@pytest.mark.parametrize("value", ["true", "True", "1", "yes", "on", "gitlab"])
def test_any_other_ci_value_is_ci(value: str) -> None:
    assert under_ci({"CI": value})


def _pytest(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """pytest, in a child process, over `folder`, with CI=`ci` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci else {})
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", str(folder)],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


USES_EVERY_HELPER = """
from resources import require, require_module, require_program

def test_condition():
    require(False, "the frobnicator is not plugged in")

def test_module():
    require_module("no_such_module_x9", "no_such_module_x9 is not installed")

def test_program():
    require_program("no-such-program-x9")

def test_present():
    require(True, "never said")
    assert require_module("json", "json").dumps(1) == "1"
    assert require_program("python3") or require_program("python")
"""
REASONS = [
    "the frobnicator is not plugged in",
    "no_such_module_x9 is not installed",
    "no-such-program-x9 is not installed",
]


@pytest.mark.parametrize("ci", [None, "false", "0"])
def test_a_missing_resource_skips_outside_ci_with_its_reason(
    ci: str | None, tmp_path: Path
) -> None:
    (tmp_path / "test_uses.py").write_text(USES_EVERY_HELPER, encoding="utf-8")
    done = _pytest(tmp_path, ci)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 3 skipped" in done.stdout, done.stdout
    for reason in REASONS:
        assert re.search(rf"SKIPPED \[1\] \S+:\d+: {re.escape(reason)}", done.stdout), reason


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_resource_fails_under_ci_with_its_reason(ci: str, tmp_path: Path) -> None:
    (tmp_path / "test_uses.py").write_text(USES_EVERY_HELPER, encoding="utf-8")
    done = _pytest(tmp_path, ci)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "3 failed, 1 passed" in done.stdout, done.stdout
    for reason in REASONS:
        line = (
            rf"FAILED test_uses.py::\w+ - Failed: {re.escape(reason)}.*\(a missing resource fails"
        )
        assert re.search(line, done.stdout), reason


def test_the_corpus_tests_fail_under_ci_without_the_shared_corpus(tmp_path: Path) -> None:
    """CI keeps ../shared/ beside the checkout: without it the corpus tests must fail,
    not pass with every test skipped. A copy of them, two folders below a folder
    without `shared/`, stands for a checkout without its neighbour."""
    copy = tmp_path / "checkout" / "tests" / "iam"
    copy.mkdir(parents=True)
    for name in ("test_iam_corpus.py", "conftest.py"):
        shutil.copy(TESTS / "iam" / name, copy / name)
    failed = _pytest(copy, "true")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "the shared corpus is not at " in failed.stdout
    assert " passed" not in failed.stdout and " skipped" not in failed.stdout, failed.stdout
    skipped = _pytest(copy, None)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert re.search(r"SKIPPED \[\d+\] .*the shared corpus is not at ", skipped.stdout)


# Every skip of the suite that is not a missing resource, by the words of its reason:
# the test cannot mean anything on this platform or in this checkout.
PLATFORM_SKIPS = (
    "root reads any folder",  # permissions deny nothing to root
    "cannot create a device node here",  # mknod needs privileges
    "tmp_path too long for a UNIX socket",  # AF_UNIX paths are short
    "workers are forked",  # Linux only
    "worker tests fork the test process",  # Linux only
    "the release tag cannot be checked here",  # a tag-less clone says nothing of releases
    "the manifest alone is larger than this limit",  # a parametrization guard
    "a shallow clone lacks the history",  # like a tag-less clone: it says nothing of history
    "needs FIFOs",  # os.mkfifo is POSIX only
    "no file owners here",  # os.getuid is POSIX only
)
_SKIP_CALL = re.compile(r"pytest\.skip\(|importorskip\(|mark\.skipif\(|mark\.skip\(")


def test_every_skip_is_a_platform_skip_or_goes_through_resources() -> None:
    unclassified = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name in ("resources.py", Path(__file__).name):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if _SKIP_CALL.search(line):
                around = " ".join(lines[max(0, number - 2) : number + 2])
                if not any(words in around for words in PLATFORM_SKIPS):
                    unclassified.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    assert unclassified == [], (
        "a missing resource must go through tests/resources.py (fails under CI); "
        "a platform skip must be listed in PLATFORM_SKIPS:\n" + "\n".join(unclassified)
    )


def test_ci_script_sets_ci_before_the_tests() -> None:
    script = (TESTS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nexport CI=true\n" in script
    assert script.index("\nexport CI=true\n") < script.index("python -m pytest")


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    """pytest-timeout (the test extra) stops a hanging test: it fails, the suite goes on."""
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    assert 0 < float(pytestconfig.getini("timeout")) <= 600
    assert pytestconfig.getini("timeout_method") == "signal"


def test_a_hanging_test_fails_and_the_suite_goes_on(tmp_path: Path) -> None:
    (tmp_path / "test_hang.py").write_text(
        "import time\n\ndef test_hangs():\n    time.sleep(600)\n\ndef test_after():\n    pass\n",
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\ntimeout = 2\ntimeout_method = signal\n")
    done = _pytest(tmp_path, None)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout and "Timeout" in done.stdout, done.stdout
