"""`--diff --unsafe-fixes` and `--fix --unsafe-fixes` over a copy of the AWS managed
policies (../shared/corpus/aws-managed-policies), some of them spoiled first — a
policy `Version` removed or made 2008-10-17, in the corpus's own layout (wrapped in
`PolicyVersion.Document`, `", "` separators with trailing blanks): no crash, the diff
shows exactly the files the fix changes, every fixed file is still JSON, and a spoiled
policy gets back exactly its data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from resources import require

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "aws-managed-policies"
TIMEOUT = 600  # seconds: generous for a loaded machine; a run takes several
_VERSION_LINE = re.compile(r'^[ \t]*"Version": "2012-10-17",[ \t]*\r?\n', re.MULTILINE)


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reglint", "check", "--isolated", ".", *args],
        cwd=root, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip


def _spoil(root: Path) -> dict[str, bytes]:
    """Spoil every third policy's Version (removed, or the old one); their originals."""
    spoiled = {}
    for number, path in enumerate(sorted(root.glob("*.json"))):
        text = path.read_text(encoding="utf-8")
        if number % 3 or not _VERSION_LINE.search(text):
            continue
        changed = _VERSION_LINE.sub("", text, count=1) if number % 2 else text.replace('"2012-10-17"', '"2008-10-17"', 1)
        spoiled[path.name] = path.read_bytes()
        path.write_text(changed, encoding="utf-8")
    return spoiled


@pytest.mark.slow
@pytest.mark.timeout(3 * TIMEOUT)
def test_the_corpus_is_fixed_without_a_crash_and_stays_json(tmp_path: Path) -> None:
    require(CORPUS.is_dir(), f"the shared corpus is missing: {CORPUS}")
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    spoiled = _spoil(root)
    assert len(spoiled) > 400
    before = {p.name: p.read_bytes() for p in root.glob("*.json")}
    diff = _run(root, "--diff", "--unsafe-fixes")
    assert diff.returncode == 1, diff.stderr
    assert "Traceback" not in diff.stderr and "internal error" not in diff.stderr
    shown = {line[len("--- a/") :] for line in diff.stdout.splitlines() if line.startswith("--- a/")}
    assert {p.name: p.read_bytes() for p in root.glob("*.json")} == before  # --diff writes nothing
    fixed = _run(root, "--fix", "--unsafe-fixes", "--format", "json")
    assert fixed.returncode in (0, 1), fixed.stderr
    assert json.loads(fixed.stdout)["summary"]["fixed"] >= len(spoiled)
    changed = {p.name for p in root.glob("*.json") if p.read_bytes() != before[p.name]}
    assert changed == shown
    for name in changed:
        data = json.loads((root / name).read_bytes())  # still JSON
        if name in spoiled:
            assert data == json.loads(spoiled[name]), f"{name}: the fix did not give its data back"
    assert set(spoiled) <= changed
    again = _run(root, "--diff", "--unsafe-fixes")
    assert (again.returncode, again.stdout) == (0, ""), "a second run would change more"
