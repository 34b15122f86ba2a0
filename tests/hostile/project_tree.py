"""The small project every hostile case is planted into: one manifest with one known
finding, the policy it links, and a `.git` folder that makes the folder the project root.

A case adds its hostile file beside them and asserts that the good manifest's finding is
still reported, at its line, in every format.
"""

from __future__ import annotations

from pathlib import Path

from helpers import MANIFEST, POLICY, write_tree
from hostile.cli_formats import Seen

# MANIFEST with one deliberate mistake: an upper-case image prefix (RL104) on line 11.
GOOD_MANIFEST = MANIFEST.replace("  auth:\n", "  imagePrefix: Runtime\n  auth:\n")
GOOD_LINE = 11
GOOD_WORDS = "image prefix 'Runtime' cannot start a repository name"


def good_finding(path: str = "good.yaml") -> Seen:
    """The RL104 finding of GOOD_MANIFEST at `path`."""
    return Seen("RL104", path, GOOD_LINE)


def make_project(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """The base project under `root`, plus `files`; returns `root`."""
    assert GOOD_MANIFEST.splitlines()[GOOD_LINE - 1] == "  imagePrefix: Runtime"
    tree: dict[str, str | bytes] = {
        ".git/HEAD": "ref: refs/heads/main\n",
        "good.yaml": GOOD_MANIFEST,
        "iam/push.json": POLICY,
    }
    return write_tree(root, tree | (files or {}))
