"""Template placeholders (SPEC §6.6): a templated value is not a literal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reglint.model.placeholder import is_placeholder

# fmt: off
PLACEHOLDERS = [
    "${REGISTRY_PASSWORD}",                  # shell, envsubst, Docker Compose
    "${var.registry_password}",              # Terraform interpolation
    "${{ secrets.REGISTRY_PASSWORD }}",      # GitHub Actions
    "{{ .Values.registry.password }}",       # Helm, Go templates
    "{{- .Values.registry.password | quote -}}",
    "{{ registry_password }}",               # Jinja, Ansible
    "<your-password>",                       # documentation
    "<REGISTRY_PASSWORD>",
    "  ${REGISTRY_PASSWORD}\n",              # whitespace around is no literal
    "${USER_PART}${PASSWORD_PART}",          # only placeholders
    "{{ .Values.a }} {{ .Values.b }}",
    "${REGISTRY_PASSWORD:?set REGISTRY_PASSWORD}",  # an error message, not a value
    "${REGISTRY_PASSWORD:-}",                # an empty default
]
# A literal part is still a literal secret: what is not a placeholder ends up in the
# password as written (a shell default is used whenever the variable is unset).
LITERALS = [
    "hunter2",
    "hunter2${X}",
    "${X}hunter2",
    "${USER}:${PASSWORD}",                   # ':' is a literal part (decision: strict)
    "${REGISTRY_PASSWORD:-hunter2}",
    "${REGISTRY_PASSWORD-hunter2}",
    "${REGISTRY_PASSWORD:=hunter2}",
    "${REGISTRY_PASSWORD:+hunter2}",
    "p<a>ss",
    "",
    "   ",
    "${}",
    "<>",
    "{{}}",
    "{{ .Values.unclosed",
    "${UNCLOSED",
    "$REGISTRY_PASSWORD",                    # not one of the SPEC's three forms
    "{REGISTRY_PASSWORD}",
]
# fmt: on


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", LITERALS)
def test_literals(text: str) -> None:
    assert not is_placeholder(text)


@given(st.text(alphabet="${}<>:-= ab", max_size=40))
def test_never_raises(text: str) -> None:
    assert is_placeholder(text) in (True, False)


@pytest.mark.parametrize("unit", ["{{", "${", "<", "${{", "{{ a }}x"])
def test_hostile_values_stay_linear(unit: str) -> None:
    """A megabyte of openers without closers is read in well under a second (in a
    subprocess, with a bound generous for a loaded machine)."""
    code = (
        "import time\n"
        "from reglint.model.placeholder import is_placeholder\n"
        f"text = {unit!r} * (1_000_000 // {len(unit)})\n"
        "start = time.perf_counter()\n"
        "assert not is_placeholder(text)\n"
        "print(time.perf_counter() - start)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 5.0
