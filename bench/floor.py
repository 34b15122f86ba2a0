"""The floor: a process that only parses the files reglint would read, and nothing else.

    python bench/floor.py PATH [PATH ...] [--compose] [--context ROOT]

Walks folders the way reglint does (`*.yaml`, `*.yml`, `*.json`, `*.tf`; hidden folders,
`node_modules` and virtualenvs skipped — `.gitignore` and config globs are not
applied), parses JSON with `json.loads`, YAML with PyYAML's `CSafeLoader` and
Terraform's HCL with python-hcl2's `hcl2.loads` (reglint's own HCL dependency)
(`--compose`: build the node tree instead, which keeps line and column, as a linter
needs). Errors are counted, never raised. No checks, no report: whatever reglint
spends above this process is the price of linting.

`--context ROOT` adds the least a one-file run must do for the project context (SPEC
§1.3, §5): read every YAML/JSON file under ROOT and parse only those that mention
`RegistryService`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from typing import Any

SUFFIXES = (".yaml", ".yml", ".json", ".tf")
SKIPPED = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


def files(paths: list[str]) -> Iterator[str]:
    for path in paths:
        if not os.path.isdir(path):
            yield path
            continue
        for directory, subdirectories, names in os.walk(path):
            subdirectories[:] = sorted(
                d
                for d in subdirectories
                if not d.startswith(".")
                and d not in SKIPPED
                and not os.path.isfile(os.path.join(directory, d, "pyvenv.cfg"))
            )
            yield from (os.path.join(directory, n) for n in sorted(names) if n.endswith(SUFFIXES))


class Parser:
    def __init__(self, compose: bool) -> None:
        self.compose = compose
        self.documents = self.errors = 0
        self._yaml: Any = None

    def parse(self, path: str, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8-sig")
            if path.endswith(".json"):
                json.loads(text)
                self.documents += 1
                return
            if path.endswith(".tf"):
                import hcl2

                hcl2.loads(text)
                self.documents += 1
                return
            if self._yaml is None:
                import yaml

                self._yaml = yaml
            parse = self._yaml.compose_all if self.compose else self._yaml.load_all
            self.documents += sum(1 for _ in parse(text, Loader=self._yaml.CSafeLoader))
        except Exception:  # noqa: BLE001 - the floor only counts what does not parse
            self.errors += 1


def read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def main(argv: list[str]) -> int:
    context = argv[argv.index("--context") + 1] if "--context" in argv else None
    if context is not None:
        at = argv.index("--context")
        argv = argv[:at] + argv[at + 2 :]
    parser = Parser("--compose" in argv)
    paths = [a for a in argv if a != "--compose"] or ["."]
    named = set()
    for path in files(paths):
        named.add(os.path.normpath(path))
        raw = read(path)
        if raw is None:
            parser.errors += 1
        else:
            parser.parse(path, raw)
    sniffed = 0
    for path in files([context] if context else []):
        if os.path.normpath(path) in named:
            continue
        sniffed += 1
        raw = read(path)
        if raw is not None and b"RegistryService" in raw:
            parser.parse(path, raw)
    print(
        f"floor: {len(named)} named, {sniffed} sniffed, {parser.documents} documents, "
        f"{parser.errors} not parsed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
