"""README's sample output of `reglint check examples` is what reglint prints there: each
line shown is a line of the run (a line cut short with `…` is the start of one), in the
run's order, and the summary line is the run's own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"


def _sample() -> list[str]:
    """The lines of the fenced block after "Text output is one line per finding"."""
    text = README.read_text(encoding="utf-8")
    start = text.index("Text output is one line per finding")
    block = re.search(r"```\n(.*?)```", text[start:], re.DOTALL)
    assert block, "README: no sample output after 'Text output is one line per finding'"
    return block.group(1).splitlines()


def _matches(shown: str, printed: str) -> bool:
    return printed.startswith(shown[:-1]) if shown.endswith("…") else printed == shown


def test_readme_sample_output_is_what_check_examples_prints(run_cli: Any) -> None:
    result = run_cli("check", "examples", "--no-color", cwd=REPO)
    assert result.code == 1, result
    printed = result.out.splitlines()
    *findings, summary = _sample()
    assert summary == printed[-1], "README's summary line is not the run's"
    assert findings, "README shows no finding line"
    position = 0
    for shown in findings:
        found = next(
            (i for i in range(position, len(printed) - 1) if _matches(shown, printed[i])), None
        )
        assert found is not None, (
            f"README shows a line reglint does not print (in this order): {shown}"
        )
        position = found + 1


def test_readme_sample_output_shows_the_infrastructure_code_examples() -> None:
    sample = "\n".join(_sample())
    assert "examples/infra/terraform/main.tf:" in sample
    assert "AmazonEC2ContainerRegistryPowerUser (AWS managed) does not allow it" in sample
