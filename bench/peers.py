"""The peer tools, each in its own virtualenv under bench/.venvs/ (created on demand).

Versions are pinned so that two RESULTS.md files compare like with like; raise a pin
here (and say so in the commit) to measure a newer release. Each venv is made from the
interpreter that runs the benchmark, so reglint and its peers share one Python.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from layout import VENVS


@dataclass(frozen=True, slots=True)
class Peer:
    name: str  # venv folder and distribution name
    requirement: str  # what pip installs


PEERS = {
    peer.name: peer
    for peer in (
        Peer("parliament", "parliament==1.6.4"),
        Peer("check-jsonschema", "check-jsonschema==0.39.0"),
        Peer("cfn-lint", "cfn-lint==1.58.0"),
        Peer("checkov", "checkov==3.3.30"),  # its cloudformation and terraform frameworks
    )
}


def venv_python(peer: Peer) -> Path:
    return VENVS / peer.name / "bin" / "python"


def ensure(peer: Peer) -> None:
    """Create the peer's venv and install it, unless that was done for this pin already."""
    folder = VENVS / peer.name
    stamp = folder / ".bench-installed"
    if stamp.exists() and stamp.read_text().strip() == peer.requirement:
        return
    print(f"run: installing {peer.requirement} into {folder} (once)", flush=True)
    if not venv_python(peer).exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run(
        [
            str(venv_python(peer)),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            peer.requirement,
        ],
        check=True,
    )
    stamp.write_text(peer.requirement + "\n")


def version(python: Path, distribution: str) -> str:
    """The installed version of `distribution` in the environment of `python`."""
    code = (
        "import importlib.metadata as m, sys\n"
        "try: print(m.version(sys.argv[1]))\n"
        "except m.PackageNotFoundError: print('not installed')\n"
    )
    done = subprocess.run(
        [str(python), "-c", code, distribution], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"
