"""Fixtures of the platform-source tests, loaded the way reglint loads files, so that a
record's data path can be checked against the line it must point at."""

from __future__ import annotations

from pathlib import Path

from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.json_loader import load_json
from reglint.loading.yaml_loader import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"


def load_text(text: str, *, json: bool = False) -> list[ParsedDocument]:
    return load_json(text, Limits()) if json else load_yaml(text, Limits())


def load_fixture(name: str) -> list[ParsedDocument]:
    path = FIXTURES / name
    return load_text(path.read_text(encoding="utf-8"), json=path.suffix == ".json")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")
