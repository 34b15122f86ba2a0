"""What `--fix`, `--diff` and `--add-ignore` make of their changed contents: the files
rewritten (atomically, mode kept, never through a link out of the project root, and
only when the file still holds what reglint read), or a diff of them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reglint.files.paths import display_path
from reglint.files.read import read_regular_file
from reglint.loading.document import Limits


def write_changes(
    changed: Mapping[Path, bytes], original: Mapping[Path, bytes], root: Path, cwd: Path, limits: Limits,
    skip: Path | None = None,
) -> list[str]:
    """Rewrite each changed file (but `skip`, standard input's name); one error line per
    file that could not be."""
    from reglint.report.write import rewrite_atomically

    errors = []
    for path in sorted(changed):
        if path == skip:
            continue
        shown = display_path(path, cwd)
        if read_regular_file(path, limits.max_file_size) != original.get(path):
            errors.append(f"not fixed: {shown} changed since reglint read it")
            continue
        try:
            rewrite_atomically(path, changed[path], root)
        except OSError as exc:
            errors.append(f"cannot fix {shown}: {exc.strerror or exc.__class__.__name__}")
    return errors


def diff_text(
    changed: Mapping[Path, bytes],
    original: Mapping[Path, bytes],
    secret_lines: Mapping[Path, tuple[frozenset[int], frozenset[int]]],
    cwd: Path,
) -> str:
    """The unified diff of every changed file, in path order."""
    from reglint.report.diff import file_diff

    parts = []
    for path in sorted(changed, key=lambda p: display_path(p, cwd)):
        old_secrets, new_secrets = secret_lines.get(path, (frozenset(), frozenset()))
        parts.append(file_diff(display_path(path, cwd), original[path], changed[path], old_secrets, new_secrets))
    return "".join(parts)
