"""The GitHub Action (`action.yml`): its metadata, and its shell steps run here exactly as
a runner runs them.

`run_action` reads the steps from the parsed action.yml (nothing is copied into this
file), substitutes the `${{ … }}` expressions of their `env:` the way GitHub does, from
the inputs (their defaults filled in) and the `github`, `runner` and `steps` contexts,
and runs each script with `bash --noprofile --norc -eo pipefail`, GitHub's command for
`shell: bash`. The install step runs offline: pip reads a wheelhouse of this checkout
and its dependencies, built once per session (`PIP_NO_INDEX`, `PIP_FIND_LINKS`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from resources import missing

import reglint

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")
HOSTILE = '"; rm -rf ~; echo "'
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TIMEOUT = 600  # seconds for one step: pip installs a dozen wheels into a fresh venv


# --- metadata ---


def test_the_action_is_a_composite_action_with_the_documented_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert set(inputs) == {"paths", "config", "fail-on", "sarif-file", "version"}
    assert {name: spec.get("default") for name, spec in inputs.items()} == {
        "paths": ".",
        "config": "",
        "fail-on": "",
        "sarif-file": "reglint.sarif",
        "version": "",
    }
    for name, spec in inputs.items():
        assert spec["description"].strip(), name
        assert spec.get("required", False) is False, name
    assert ACTION["name"] and ACTION["description"] and ACTION["branding"]


def test_no_input_or_context_is_pasted_into_a_script() -> None:
    """Expressions are expanded before bash reads a script: one in a `run:` would let an
    input's quotes end the script's own. They belong in `env:`, quoted in the script."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]
        assert step["shell"] == "bash", step["name"]
        assert set(step) <= {"name", "id", "shell", "env", "run"}, step["name"]  # nothing run_action ignores


def test_every_input_reaches_a_step() -> None:
    used = {
        match.removeprefix("inputs.")
        for step in ACTION["runs"]["steps"]
        for value in step.get("env", {}).values()
        for match in _EXPRESSION.findall(str(value))
        if match.startswith("inputs.")
    }
    assert used == set(ACTION["inputs"])


# --- running the steps ---


@dataclass
class StepRun:
    code: int
    out: str
    err: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    steps: dict[str, StepRun]

    @property
    def last(self) -> StepRun:
        return list(self.steps.values())[-1]


def _evaluate(expression: str, contexts: Mapping[str, Mapping[str, Any]]) -> str:
    """One `${{ … }}` expression of the forms action.yml may use: a property path into
    `inputs`, `github`, `runner` or `steps.<id>.outputs` (a missing output is '')."""
    parts = expression.split(".")
    assert re.fullmatch(r"[a-z]+(\.[A-Za-z0-9_-]+)+", expression), f"unsupported expression: {expression}"
    value: Any = contexts[parts[0]]
    for part in parts[1:]:
        assert isinstance(value, Mapping), expression
        value = value.get(part, "")
    assert isinstance(value, str), expression
    return value


def _outputs(path: Path) -> dict[str, str]:
    """A step's GITHUB_OUTPUT file: `name=value` lines, or `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def run_action(
    workspace: Path,
    temp: Path,
    inputs: Mapping[str, str],
    env: Mapping[str, str],
    *,
    only: tuple[str, ...] | None = None,
    steps: Mapping[str, StepRun] | None = None,
) -> ActionRun:
    """Run the action's steps (or those named in `only`, with the outputs of earlier runs
    in `steps`) as a runner does; stop at the first that fails."""
    for name in inputs:
        assert name in ACTION["inputs"], f"no input {name!r} in action.yml"
    given = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | dict(inputs)
    contexts: dict[str, Any] = {
        "inputs": given,
        "github": {
            "action_path": str(REPO),
            "action_repository": "reglint/reglint",
            "action_ref": "v" + reglint.__version__,
            "workspace": str(workspace),
        },
        "runner": {"temp": str(temp), "os": "Linux"},
        "steps": {step_id: {"outputs": run.outputs} for step_id, run in (steps or {}).items()},
    }
    done: dict[str, StepRun] = dict(steps or {})
    for step in ACTION["runs"]["steps"]:
        if only is not None and step["id"] not in only:
            continue
        script = temp / f"{step['id']}.sh"
        script.write_text(step["run"], encoding="utf-8")
        output_file = temp / f"{step['id']}.output"
        output_file.write_text("")
        step_env = {
            **env,
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": contexts["github"]["action_path"],
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(temp),
        }
        for name, value in step.get("env", {}).items():
            step_env[name] = _EXPRESSION.sub(lambda m: _evaluate(m.group(1), contexts), str(value))
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace, env=step_env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )
        run = StepRun(result.returncode, result.stdout, result.stderr, _outputs(output_file))
        done[step["id"]] = run
        contexts["steps"][step["id"]] = {"outputs": run.outputs}
        if run.code != 0:
            break
    return ActionRun(done)


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of this checkout, its dependencies and its build backend: what the install
    step needs, so that it runs with no package index."""
    if shutil.which("bash") is None:
        missing("bash is not installed")
    folder = tmp_path_factory.mktemp("wheelhouse")
    backend = re.search(r'requires = \["([^"]+)"\]', (REPO / "pyproject.toml").read_text()).group(1)  # type: ignore[union-attr]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "-w", str(folder), str(REPO), backend],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    if done.returncode != 0:
        missing(f"cannot build a wheelhouse of reglint and its dependencies (no package index?): {done.stderr[-1000:]}")
    return folder


def _environment(home: Path, wheelhouse: Path) -> dict[str, str]:
    # The interpreter running the tests is 3.11 or later: it is the runner's `python3`.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "/usr/bin:/bin")])
    return {
        "PATH": path,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,  # this machine's pip config plays no part
        "PIP_NO_CACHE_DIR": "1",
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> tuple[Path, Path, dict[str, str], StepRun]:
    """The install step, run once with the default inputs: reglint from the action's own
    files (this checkout), into a venv under RUNNER_TEMP."""
    temp = tmp_path_factory.mktemp("runner-temp")
    home = tmp_path_factory.mktemp("home")
    env = _environment(home, wheelhouse)
    workspace = tmp_path_factory.mktemp("workspace")
    result = run_action(workspace, temp, {}, env, only=("install",))
    install = result.steps["install"]
    assert install.code == 0, install.err[-3000:]
    return temp, home, env, install


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checked-out repository: a copy of examples/ (findings at error level)."""
    target = tmp_path / "workspace"
    shutil.copytree(REPO / "examples", target)
    return target


def _check(installed: tuple[Path, Path, dict[str, str], StepRun], workspace: Path, **inputs: str) -> StepRun:
    temp, _home, env, install = installed
    result = run_action(workspace, temp, inputs, env, only=("check",), steps={"install": install})
    return result.steps["check"]


@pytest.mark.slow
def test_install_puts_reglint_in_a_venv_outside_the_workspace(
    installed: tuple[Path, Path, dict[str, str], StepRun],
) -> None:
    temp, _home, _env, install = installed
    executable = Path(install.outputs["reglint"])
    assert executable == temp / "reglint-venv" / "bin" / "reglint"
    assert install.out.startswith(f"reglint {reglint.__version__} (IAM catalogue")


@pytest.mark.slow
def test_one_run_prints_the_text_report_and_writes_sarif(
    installed: tuple[Path, Path, dict[str, str], StepRun], workspace: Path
) -> None:
    check = _check(installed, workspace)
    assert check.code == 1 and check.outputs == {"exit-code": "1"}
    lines = check.out.splitlines()
    assert "systems/analytics/registries.yaml:11:3: RL002 error schema-violation: unknown key 'imagePrefx'" in check.out
    direct = subprocess.run(
        [sys.executable, "-m", "reglint", "check", "."], cwd=workspace, capture_output=True, text=True, check=False
    )
    assert re.fullmatch(r"\d+ errors, .* in \d+ files \(\d+ skipped\)(; \d+ fixable with --fix.*)?", lines[-1]), lines[-1]
    assert lines[-1] == direct.stdout.splitlines()[-1]  # the same run as reglint check on the checkout
    sarif = json.loads((workspace / "reglint.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == len(lines) - 1  # one SARIF result per text line
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} >= {
        "systems/analytics/registries.yaml"
    }


@pytest.mark.slow
def test_fail_on_decides_the_exit_and_sarif_is_written_either_way(
    installed: tuple[Path, Path, dict[str, str], StepRun], workspace: Path
) -> None:
    check = _check(installed, workspace, **{"fail-on": "never", "sarif-file": "out/reglint.sarif"})
    assert (check.code, check.outputs) == (0, {"exit-code": "0"})
    assert json.loads((workspace / "out" / "reglint.sarif").read_text())["runs"][0]["results"]
    assert not (workspace / "reglint.sarif").exists()
    no_sarif = _check(installed, workspace, **{"sarif-file": "", "fail-on": "error"})
    assert no_sarif.code == 1 and not (workspace / "reglint.sarif").exists()


@pytest.mark.slow
def test_paths_one_per_line_with_spaces_and_config(
    installed: tuple[Path, Path, dict[str, str], StepRun], workspace: Path
) -> None:
    (workspace / "iam").rename(workspace / "iam policies")
    (workspace / "strict.yaml").write_text("select: [RL205]\n")
    check = _check(installed, workspace, paths="iam policies\r\n\nsystems/search\n", config="strict.yaml")
    assert check.code == 0, check.err  # one RL205 warning, below the config's fail-on
    assert check.out == (
        "iam policies/analytics-push.json:1:1: RL205 warning policy-version: the policy has no Version, so IAM "
        'reads it as 2008-10-17, where policy variables are not substituted; add "Version": "2012-10-17"\n'
        "0 errors, 1 warning in 4 files (0 skipped); 1 fixable with --fix\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["paths", "config", "fail-on", "sarif-file"])
def test_a_hostile_input_is_one_argument_and_runs_nothing(
    installed: tuple[Path, Path, dict[str, str], StepRun], workspace: Path, name: str
) -> None:
    _temp, home, _env, _install = installed
    canary = home / "canary"
    canary.write_text("still here\n")
    for value in (HOSTILE, "$(touch pwned)", "`touch pwned`", "--version", "-x"):
        check = _check(installed, workspace, **{name: value})
        assert canary.read_text() == "still here\n" and not (workspace / "pwned").exists(), (name, value)
        assert check.code in (1, 2), (name, value, check.err)
        assert "reglint " + reglint.__version__ not in check.out  # `--version` stayed a value
        if name == "paths":
            assert check.err == f"reglint: error: path does not exist: {value}\n"
        elif name == "config":
            assert check.err == f"reglint: error: config file does not exist: {value}\n"
        elif name == "fail-on":
            assert check.err.startswith(f"reglint: error: Invalid value for '--fail-on': {value!r} is not one of")
        else:  # a file of that exact name, inside the workspace
            assert check.code == 1 and (workspace / value).is_file(), (value, check.err)
            (workspace / value).unlink()


@pytest.mark.slow
def test_the_version_input_installs_that_release_and_refuses_anything_else(
    tmp_path: Path, wheelhouse: Path, workspace: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _environment(home, wheelhouse)
    for bad in (HOSTILE, "latest", "0.1.0\n::error ::forged", "--index-url=http://evil/"):
        temp = tmp_path / f"temp-{len(bad)}"
        temp.mkdir()
        install = run_action(workspace, temp, {"version": bad}, env, only=("install",)).steps["install"]
        assert install.code == 1
        assert install.out == "::error title=reglint::the version input must be a release number such as 0.2.0\n"
        assert not (temp / "reglint-venv").exists()
    temp = tmp_path / "temp"
    temp.mkdir()
    # From the wheelhouse, which stands for PyPI: `pip install reglint==VERSION`.
    result = run_action(workspace, temp, {"version": "v" + reglint.__version__, "fail-on": "never"}, env)
    assert [run.code for run in result.steps.values()] == [0, 0], result.steps
    assert result.steps["install"].out.startswith(f"reglint {reglint.__version__} ")
    assert (workspace / "reglint.sarif").is_file()


# --- the README's workflow ---


def _readme_workflow() -> dict[str, Any]:
    (block,) = re.findall(r"```yaml\n(# \.github/workflows/reglint\.yml\n.*?)```", README, re.DOTALL)
    workflow = yaml.safe_load(block)
    assert isinstance(workflow, dict)
    return workflow


def test_the_readme_workflow_is_complete() -> None:
    workflow = _readme_workflow()
    assert workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "read", "security-events": "write"}
    (job,) = workflow["jobs"].values()
    uses = [step.get("uses", "") for step in job["steps"]]
    assert uses[0].startswith("actions/checkout@")
    action = next(step for step in job["steps"] if step.get("uses", "").startswith("reglint/reglint@"))
    # The same release the README pins for pre-commit (tests/test_release.py checks it).
    assert action["uses"] == f"reglint/reglint@v{reglint.__version__}"
    assert set(action.get("with", {})) <= set(ACTION["inputs"])
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["if"] == "always()"  # the SARIF of a failing step is uploaded too
    assert upload["with"]["sarif_file"] == action.get("with", {}).get("sarif-file", ACTION["inputs"]["sarif-file"]["default"])
