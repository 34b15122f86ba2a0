"""Every report format, byte for byte, over one fixed fixture (golden_fixture.py)."""

from __future__ import annotations

import pytest
from report.golden_fixture import EXTENSIONS, golden_path, render_all

from reglint.report import REPORTERS

HINT = "if the change is intended: python tests/report/regenerate_golden.py, then review the diff"


def test_every_format_has_a_golden_file() -> None:
    assert set(EXTENSIONS) == set(REPORTERS)


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_report_matches_golden_file(name: str) -> None:
    expected = golden_path(name).read_bytes().decode("utf-8")
    assert render_all()[name] == expected, HINT


def test_rendering_is_deterministic() -> None:
    assert render_all() == render_all()
