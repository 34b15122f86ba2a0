"""Where reglint's configuration is, and reading it into a table (SPEC §3.2, §6.6).

A discovered config is part of the scanned repository, so it is attacker input: it is
read like a manifest (at most `MAX_CONFIG_SIZE` bytes, regular files only, the YAML
loader's nesting and alias limits), and a discovered config that is a symlink to a file
outside the folder it was found in is not read at all (`refusal`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reglint.loading.document import Limits

CONFIG_NAMES = (".reglint.yaml", ".reglint.yml", "pyproject.toml")
# A config is a few hundred bytes; a pyproject.toml rarely reaches 20 KiB. Anything near
# this size is a mistake or an attack, and is refused before it is parsed.
MAX_CONFIG_SIZE = 1024 * 1024
_CONFIG_LIMITS = Limits(max_file_size=MAX_CONFIG_SIZE)
_PYPROJECT_TABLE = b"[tool.reglint]"


class ConfigError(Exception):
    """A configuration that cannot be used: a one-line message naming the file and key."""


def has_config(directory: Path) -> Path | None:
    """The config file in `directory`, if it holds one (a pyproject needs `[tool.reglint]`)."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file() and (name != "pyproject.toml" or _pyproject_has_section(candidate)):
            return candidate
    return None


def nearest_config(start: Path) -> Path | None:
    """The nearest config file from `start` upward."""
    for directory in (start, *start.parents):
        found = has_config(directory)
        if found is not None:
            return found
    return None


def discover_config(root: Path, cwd: Path) -> Path | None:
    """SPEC §6.6: the nearest config at or above the project root, else at or above the
    current folder (so `reglint check examples` uses `examples/.reglint.yaml`)."""
    return nearest_config(root) or nearest_config(cwd)


def refusal(config: Path) -> str | None:
    """Why a discovered config is not read, or None: a symlink whose target lies outside
    the folder it was found in (the project root) would let a repository make reglint
    read — and quote in its errors — any file of the machine."""
    if not config.is_symlink():
        return None
    try:
        target = config.resolve(strict=True)
        folder = config.parent.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop, or a target gone since it was found
        return "not read: it is a symlink that cannot be followed"
    if folder in target.parents:
        return None
    return "not read: it is a symlink to a file outside the project root (name it with --config to use it)"


def shown_path(path: Path) -> str:
    """A config path as messages show it: relative to the current folder when inside it."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _pyproject_has_section(path: Path) -> bool:
    from reglint.files.read import read_regular_file, too_large

    raw = read_regular_file(path, MAX_CONFIG_SIZE)
    # Too large to read: say yes, so that loading it reports the size (exit 2).
    return _PYPROJECT_TABLE in raw if isinstance(raw, bytes) else raw == too_large(MAX_CONFIG_SIZE)


def read_table(path: Path, shown: str) -> dict[str, Any]:
    """The config file's table of settings (not yet validated); `shown` names it in errors."""
    from reglint.files.read import read_regular_file, too_large
    from reglint.loading.decode import decode
    from reglint.loading.errors import LoadError

    raw = read_regular_file(path, MAX_CONFIG_SIZE)
    if isinstance(raw, str):
        if raw == too_large(MAX_CONFIG_SIZE):
            raise ConfigError(f"{shown}: the config file is larger than 1 MiB; reglint does not read it")
        raise ConfigError(f"{shown}: {raw}")
    try:
        text = decode(raw)
        if path.suffix == ".toml":
            table = _toml_table(text, shown)
        else:
            table = _yaml_table(text, shown)
    except LoadError as exc:
        where = f"line {exc.span.line}: " if exc.span.line > 1 or exc.span.column > 1 else ""
        raise ConfigError(f"{shown}: {where}{exc.message}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: the configuration must be a mapping of keys")
    return table


def _yaml_table(text: str, shown: str) -> Any:
    from reglint.loading.yaml_loader import load_yaml

    documents = load_yaml(text, _CONFIG_LIMITS)
    if not documents:
        return {}
    if len(documents) > 1:
        raise ConfigError(f"{shown}: the configuration must be one YAML document, not {len(documents)}")
    document = documents[0]
    if document.duplicates:
        duplicate = document.duplicates[0]
        raise ConfigError(
            f"{shown}: line {duplicate.span.line}: duplicate key {str(duplicate.key)!r} "
            f"(first at line {duplicate.first.line}); give each key once"
        )
    return {} if document.data is None else document.data


def _toml_table(text: str, shown: str) -> Any:
    from reglint.config.toml_table import TomlError, load_toml_table

    try:
        return load_toml_table(text, _CONFIG_LIMITS.max_depth)
    except TomlError as exc:
        raise ConfigError(f"{shown}: {exc}") from None
