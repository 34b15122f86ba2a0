"""Reports: each format turns a RunResult (result.py) into text (`REPORTERS`). The
package also holds what else reglint prints or writes: `reglint rules`/`explain`
(rules.py), a schema's fields (schema_fields.py), the baseline file (baseline.py), and
writing a file atomically (write.py)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from reglint.report.result import RunResult
    from reglint.rule_catalogue import Catalogue


class ReportContext(NamedTuple):
    """What a reporter may need besides the findings."""

    catalogue: Catalogue
    fail_on: str
    color: bool = False
    statistics: bool = False


Reporter = Callable[["RunResult", ReportContext], str]



_MODULES = MappingProxyType(
    {
        "text": "reglint.report.text",
        "json": "reglint.report.json_report",
        "sarif": "reglint.report.sarif",
        "github": "reglint.report.github",
        "junit": "reglint.report.junit",
        "gitlab": "reglint.report.gitlab",
        "checkstyle": "reglint.report.checkstyle",
    }
)


class _Reporters(Mapping[str, Reporter]):
    """Format name -> reporter; each reporter module is imported when first asked for,
    so a text run never pays for SARIF's or JUnit's imports (SPEC §5)."""

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(_MODULES[name])
        render: Reporter = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Reporter] = _Reporters()
