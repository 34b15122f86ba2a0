"""The benchmark harness (bench/): its printed commands run as printed, its figures say
where they come from, and cfn-lint gets templates CloudFormation accepts.

bench/README.md and bench/ANALYSIS.md print `bench/*.py` commands: each script exists,
and `--help` knows each option and case they name. bench/RESULTS.md prints one command
per contender, to be run from the checkout root: each program and file it names is found
from the folder it changes to. RESULTS.md names the commit it measured, and
ANALYSIS.md quotes only figures found in the committed RESULTS.md of the run it tags.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from resources import require, require_program

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"


@functools.cache
def _bench_names() -> tuple[frozenset[str], frozenset[str]]:
    """The case names and peer names the harness knows (it runs from bench/, importing
    its modules by their bare names, so it is asked in a child process)."""
    code = "import cases, json, peers; print(json.dumps([cases.CASE_NAMES, list(peers.PEERS)]))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=True
    )
    names, peer_names = json.loads(done.stdout)
    return frozenset(names), frozenset(peer_names)


@functools.cache
def _help(script: str) -> str:
    done = subprocess.run(
        [sys.executable, script, "--help"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{script} --help: {done.stderr}"
    return done.stdout


def _sh_commands(document: Path) -> list[str]:
    """The `.venv/bin/python bench/…` lines of the document's sh blocks, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", document.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(".venv/bin/python bench/")]


@pytest.mark.parametrize("document", ["README.md", "ANALYSIS.md"])
def test_printed_bench_commands_name_real_scripts_options_and_cases(document: str) -> None:
    commands = _sh_commands(BENCH / document)
    assert commands, f"no command found in bench/{document}"
    cases, _ = _bench_names()
    for command in commands:
        _, script, *words = shlex.split(command)
        assert (REPO / script).is_file(), command
        usage = _help(script)
        options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", usage))
        for index, word in enumerate(words):
            if word.startswith("--"):
                assert word in options, f"{command}: {script} has no {word}"
            elif index and words[index - 1] == "--cases":
                assert set(word.split(",")) <= cases, command
            elif index and words[index - 1] in ("--rounds", "--top", "--output"):
                continue  # the option's value
            else:
                assert word in cases or word == "<case>", f"{command}: no case {word!r}"


def _results_commands(text: str) -> list[tuple[str, list[str]]]:
    """(folder, words) of each `(cd FOLDER && COMMAND)` line of a RESULTS.md."""
    found = []
    for line in text.splitlines():
        match = re.fullmatch(r"\(cd (\S+) && (.*)\)", line)
        if match:
            words = match[2].split(" ")
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                words.pop(0)  # the environment the command runs with (XDG_CACHE_HOME=…)
            found.append((match[1], words))
    return found


def _program_ok(path: Path, peers: frozenset[str]) -> bool:
    """A program the harness runs, in a checkout beside or at REPO (a run made in
    another checkout names its own folder when it leaves the checkout)."""
    try:
        _checkout, *rest = path.relative_to(REPO.parent).parts
    except ValueError:
        return False
    inside = "/".join(rest)
    if inside in (".venv/bin/reglint", ".venv/bin/python"):
        return True
    match = re.fullmatch(r"bench/\.venvs/([a-z-]+)/bin/([a-z-]+)", inside)
    return bool(match) and match[1] == match[2] and match[1] in peers


def test_results_commands_run_from_the_checkout_root() -> None:
    _, peers = _bench_names()
    commands = _results_commands((BENCH / "RESULTS.md").read_text(encoding="utf-8"))
    assert len(commands) >= 18
    for folder_text, words in commands:
        line = f"(cd {folder_text} && {' '.join(words)})"
        folder = Path(os.path.normpath(REPO / folder_text))
        inside = folder.is_relative_to(BENCH / "out")
        assert inside or folder == REPO.parent / "shared/corpus/aws-managed-policies", line
        program = Path(os.path.normpath(folder / words[0]))
        assert _program_ok(program, peers), f"{line}: no program at {program}"
        if inside:  # named through this checkout: it is here
            assert program.is_relative_to(REPO), line
        for before, word in itertools.pairwise(words):
            if word.endswith(".py") or before == "--schemafile":
                named = Path(os.path.normpath(folder / word))
                checkout = REPO if inside else program.parents[2]
                expected = {
                    checkout / "bench/floor.py",
                    checkout / "schemas/registry-service.schema.json",
                }
                assert named in expected, f"{line}: {word} is not found from {folder_text}"
                assert not inside or named.is_file(), line


def _measured(results_text: str) -> str:
    match = re.search(
        r"^\*\*Measured at commit ([0-9a-f]{40})\*\* \(git ([0-9a-f]{7,}) ",
        results_text,
        re.MULTILINE,
    )
    assert match, "RESULTS.md does not say at which commit it was measured"
    assert match[1].startswith(match[2])
    row = re.search(r"^\| source \| git ([0-9a-f]{7,}) ", results_text, re.MULTILINE)
    assert row and match[1].startswith(row[1]), "the source row names another commit"
    return match[1]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)


def _history() -> None:
    """git and this checkout's history (a shallow clone lacks the commits measured)."""
    require_program("git")
    require(_git("rev-parse", "--git-dir").returncode == 0, f"{REPO} is not a git checkout")
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        pytest.skip("a shallow clone lacks the history the benchmark figures point into")


def test_results_say_at_which_commit_they_were_measured() -> None:
    commit = _measured((BENCH / "RESULTS.md").read_text(encoding="utf-8"))
    _history()
    assert _git("cat-file", "-e", f"{commit}^{{commit}}").returncode == 0, commit


def test_analysis_quotes_only_figures_of_committed_runs() -> None:
    text = (BENCH / "ANALYSIS.md").read_text(encoding="utf-8")
    runs = {
        tag: (committed, measured)
        for tag, committed, measured in re.findall(
            r"^\| ([A-Z]) \| ([0-9a-f]{7,}) \| ([0-9a-f]{7,}) \|", text, re.MULTILINE
        )
    }
    assert runs, "ANALYSIS.md lists no run"
    quoted = re.findall(r"(\d[\d.,]*)(×?)(?: s| MB)? \[([A-Z])\]", text)
    assert len(quoted) >= 20
    assert {tag for _, _, tag in quoted} == set(runs)
    _history()
    for tag, (committed, measured) in runs.items():
        shown = _git("show", f"{committed}:bench/RESULTS.md")
        assert shown.returncode == 0, shown.stderr
        results = shown.stdout
        assert re.search(
            rf"^\| source \| git {measured} .*reglint/ clean \|$", results, re.MULTILINE
        ), tag
        assert "| source at the end |" not in results, f"run {tag} changed while it ran"
        for number, times, _ in (q for q in quoted if q[2] == tag):
            assert number + times in results, f"{number}{times} [{tag}] is not in run {tag}"


def test_cfn_lint_templates_stay_within_cloudformation_limits() -> None:
    """At most 500 resources and 1 MB a template, every policy once, in order."""
    code = """if True:
        import json
        from gen_cfn import MAX_BYTES, cloudformation_templates
        small = [{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{i}/*"}]}
                 for i in range(1201)]
        big = [{"Statement": [{"Effect": "Allow", "Action": ["ecr:" + "x" * 60] * 150, "Resource": "*"}]}
               for _ in range(400)]
        for documents in (small, big):
            templates = cloudformation_templates(documents)
            loaded = [json.loads(t)["Resources"] for t in templates]
            print(len(templates), max(len(r) for r in loaded), max(len(t.encode()) for t in templates))
            assert [r["Properties"]["PolicyDocument"] for part in loaded for r in part.values()] == documents
            assert all(len(t.encode()) <= MAX_BYTES for t in templates)
    """
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    (small_count, small_most, _), (big_count, big_most, big_size) = (
        tuple(map(int, line.split())) for line in done.stdout.splitlines()
    )
    assert (small_count, small_most) == (3, 500)  # 1,201 small policies: 500 + 500 + 201
    assert big_count > 1 and big_most < 500 and 900_000 < big_size <= 1_000_000  # split by size


def test_iac_cases_hold_the_same_1000_policies_within_cloudformations_limits() -> None:
    """cfn-1k, terraform-1k and tfplan-1k: the same 1,000 documents; templates of at most
    500 resources and 1 MB; every `.tf` file parses; the plan is `terraform show -json`'s shape."""
    code = """if True:
        import json, re, hcl2
        from gen_cfn import MAX_BYTES, MAX_RESOURCES
        from generate import cloudformation_case, iac_documents, terraform_case, terraform_plan_case
        documents = iac_documents()
        assert len(documents) == 1000
        templates = [json.loads(t) for t in cloudformation_case().files.values()]
        assert all(len(t["Resources"]) <= MAX_RESOURCES for t in templates)
        assert all(len(b) <= MAX_BYTES for b in cloudformation_case().files.values())
        held = [r["Properties"]["PolicyDocument"] for t in templates for r in t["Resources"].values()]
        assert held == documents
        module = {name: data.decode() for name, data in terraform_case().files.items()}
        for text in module.values():
            hcl2.loads(text)
        blocks = sum(len(re.findall(r'^resource "aws_iam_(?:role_)?policy" ', t, re.M)) for t in module.values())
        assert blocks == 1000, blocks
        plan = json.loads(terraform_plan_case().files["plan.json"])
        assert plan["format_version"].startswith("1.")
        policies = [json.loads(r["values"]["policy"]) for r in plan["planned_values"]["root_module"]["resources"]
                    if r["type"] != "aws_iam_role"]
        assert policies == documents
        print(len(templates))
    """
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 2  # 1,000 policies do not fit one template's 1 MB


def test_a_command_with_an_environment_reads_as_runnable() -> None:
    """A contender's environment (the pre-commit IaC cases' XDG_CACHE_HOME) is printed
    before its program, and the RESULTS.md check reads the program after it."""
    code = """if True:
        from pathlib import Path
        from cases import Contender, reglint_executable
        from layout import OUT
        from outcome import Outcome
        from report import command
        contender = Contender("reglint", (str(reglint_executable()), "check", "a.tf"), OUT / "precommit-iac",
                              env=(("XDG_CACHE_HOME", str(OUT / "xdg-cache" / "cold")),))
        print(command(Outcome(contender)))
    """
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("(cd bench/out/precommit-iac && XDG_CACHE_HOME=../xdg-cache/cold "), line
    ((folder, words),) = _results_commands(line)
    assert folder == "bench/out/precommit-iac"
    assert words[0].endswith("/.venv/bin/reglint") and words[1:] == ["check", "a.tf"]
