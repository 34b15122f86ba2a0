"""examples/README.md tells the truth about `reglint check examples`: how many systems
the manifests and the MLRun settings (`platform-systems` in examples/.reglint.yaml)
declare, and, file by file, which rules fire — nothing more, nothing less.

When a rule change makes reglint report something else on examples/, update the table
in examples/README.md (run `reglint check examples` from the repository root).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from reglint.files.globs import GlobSet

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXAMPLES_README = EXAMPLES / "README.md"
_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _readme_rows() -> dict[str, list[str]]:
    """The table's rows by file (relative to examples/): the cells after the first."""
    rows = {}
    for line in EXAMPLES_README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3:
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def _declared_systems() -> dict[str, set[str]]:
    """Each example file's systems, as `tenant/system`: a manifest's, or the system that
    `platform-systems` assigns to a file of MLRun settings or registry Secrets."""
    config = yaml.safe_load((EXAMPLES / ".reglint.yaml").read_text(encoding="utf-8"))
    assigned = (config or {}).get("platform-systems") or {}
    systems: dict[str, set[str]] = defaultdict(set)
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        name = path.relative_to(EXAMPLES).as_posix()
        for glob, system in assigned.items():
            if GlobSet([glob]).matches(path, EXAMPLES):
                systems[name] = {f"{system.get('tenant', 'default')}/{system['system']}"}
        text = path.read_text(encoding="utf-8")
        if "RegistryService" not in text:
            continue  # a CloudFormation template's `!Sub` is no tag for yaml.safe_load
        for document in yaml.safe_load_all(text):
            if isinstance(document, dict) and document.get("kind") == "RegistryService":
                metadata = document.get("metadata") or {}
                systems[name].add(f"{metadata.get('tenant', 'default')}/{metadata.get('system')}")
    return systems


def test_examples_readme_counts_the_systems() -> None:
    count = len(set().union(*_declared_systems().values()))
    stated = re.search(r"configuration of (\w+) platform systems", EXAMPLES_README.read_text(encoding="utf-8"))
    assert stated, "examples/README.md should say 'the registry configuration of N platform systems'"
    assert stated.group(1) == _NUMBERS[count], f"examples/ declares {count} systems"


def test_examples_readme_names_each_files_systems() -> None:
    rows = _readme_rows()
    for path, systems in _declared_systems().items():
        for system in systems:
            assert system.split("/", 1)[1] in rows[path][0], f"{path}: system {system} not named"


def test_examples_readme_lists_the_rules_reglint_reports_on_each_file(run_cli: Any) -> None:
    result = run_cli("check", "examples", "--format", "json", cwd=REPO)
    assert result.code == 1, result
    report = json.loads(result.out)
    reported: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        reported[finding["path"].removeprefix("examples/")].add(finding["rule"])
    rows = _readme_rows()
    assert len(rows) == report["summary"]["files"], "examples/README.md should list every file reglint checks"
    for path, (_systems, mistakes) in rows.items():
        assert (EXAMPLES / path).is_file(), f"examples/README.md lists {path}, which does not exist"
        assert set(re.findall(r"RL\d{3}", mistakes)) == reported[path], f"examples/README.md, {path}"
