"""The file tally and its progress line: only in a terminal, never in CI or pre-commit,
never for short runs."""

from __future__ import annotations

import io

import pytest

from reglint.engine import progress
from reglint.engine.progress import FileTally, Progress
from reglint.findings import Notification, Severity


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_run_in_a_terminal_shows_and_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "PRE_COMMIT", "NO_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    clock = iter([0.0, 0.5, 1.5, 1.55, 2.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    stream = Terminal()
    bar = Progress.for_terminal(stream)
    for files in (10, 20, 30, 40):  # at 0.5 s (too early), 1.5 s, 1.55 s (too soon), 2.0 s
        bar.update(files)
    bar.close()
    assert stream.getvalue() == "\rreglint: 20 files read\rreglint: 40 files read\r\x1b[K"


@pytest.mark.parametrize("variable", ["CI", "PRE_COMMIT"])
def test_never_in_ci_or_pre_commit(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "1")
    monkeypatch.setattr(progress.time, "monotonic", iter([0.0, 5.0]).__next__)
    stream = Terminal()
    bar = Progress.for_terminal(stream)
    bar.update(100)
    bar.close()
    assert stream.getvalue() == ""


def test_never_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress.time, "monotonic", iter([0.0, 5.0]).__next__)
    stream = io.StringIO()
    bar = Progress.for_terminal(stream)
    bar.update(100)
    bar.close()
    assert stream.getvalue() == ""


def test_the_tally_counts_every_file_once_and_drives_the_progress_line(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "PRE_COMMIT", "NO_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    clock = iter([0.0, 2.0, 2.5])  # the line starts at 0 s; updates at 2 s and 2.5 s
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    stream = Terminal()
    tally = FileTally(Progress.for_terminal(stream))
    note = Notification("b.yaml", "skipped: permission denied", Severity.WARNING)
    tally.reading(5)  # loading: nothing counted yet, 5 files sniffed and set aside
    tally.count("a.yaml", False)
    tally.count("b.yaml", True, note)
    tally.checked("c.json", False)  # one set aside, now checked
    tally.close()
    assert stream.getvalue() == "\rreglint: 5 files read\rreglint: 3 files read\r\x1b[K"
    assert (tally.files, tally.skipped) == (3, 1)
    assert tally.files_checked == ["a.yaml", "b.yaml", "c.json"]
    assert tally.notifications == [note]


@pytest.mark.parametrize("value", ["false", "0", "", " No "])
def test_ci_set_to_a_false_value_is_not_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    # One definition of "in CI" for reglint and its tests (reglint.engine.progress.under_ci).
    for name in ("PRE_COMMIT", "NO_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CI", value)
    monkeypatch.setattr(progress.time, "monotonic", iter([0.0, 5.0, 5.0]).__next__)
    stream = Terminal()
    bar = Progress.for_terminal(stream)
    bar.update(100)
    assert stream.getvalue() == "\rreglint: 100 files read"
