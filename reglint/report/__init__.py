"""Reporters: each turns a RunResult into the text of one output format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reglint.report import github, json_report, junit, sarif, text

if TYPE_CHECKING:
    from reglint.catalogue import Catalogue
    from reglint.engine import RunResult


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What a reporter may need besides the findings."""

    catalogue: Catalogue
    fail_on: str
    color: bool = False
    statistics: bool = False


Reporter = Callable[["RunResult", ReportContext], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}
