"""python-hcl2's LALR parser, built once per user and version rather than once per run.

python-hcl2 builds its Lark parser from its grammar (`hcl2/hcl2.lark`) on first use:
1.5-4.4 s on a loaded 2-core machine, more than a whole pre-commit run. It caches the
result as a pickle next to its grammar (`hcl2/.lark_cache.bin`), which works only where
site-packages is writable; a system-wide or read-only installation, a container run as
another user, a CI image, would pay the build in every run. reglint builds the same
parser (the same grammar file, options and post-lexer as `hcl2.parser.parser()`) and
keeps it in the user's cache folder instead:

- **Where.** `$XDG_CACHE_HOME/reglint/` (an absolute `XDG_CACHE_HOME`), else
  `~/.cache/reglint/`; one file per version of python-hcl2, Lark and the grammar text
  (`hcl2-parser-<key>.json`). Never next to the files reglint checks: the cache is not
  used when its folder lies inside the project root (`keep_cache_out_of`), for example
  a CI job that sets `XDG_CACHE_HOME` to a folder of its checkout.
- **What.** The parse tables as Lark serializes them (`Lark.memo_serialize`), written
  as JSON with tuples and non-string keys tagged — never a pickle, so a cache file that
  someone else wrote can at worst make a wrong parser, never run code. It is read only
  when it is a regular file (not a link) owned by the user and writable by no one else,
  of at most `MAX_CACHE_BYTES`, in a folder of the same kind; a loaded parser must parse
  a canary before it is used. Anything else, and any error, builds the parser instead.
- **How.** Written to a new file of mode 0600 in a folder of mode 0700, then renamed
  over the old one, so concurrent runs never read half a file. A failure to write is
  silent: the run has its parser either way.

Measured on this machine (`bench/` style, a loaded 2-core VM; python-hcl2 8.1.4, Lark
1.3.1): building 1.4-1.6 s; loading the cache ~80 ms (json 45 ms, Lark's tables 35 ms),
against ~50 ms for python-hcl2's own pickle. The first Terraform run of a user pays the
build once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["MAX_CACHE_BYTES", "cache_file", "hcl_parser", "keep_cache_out_of"]

MAX_CACHE_BYTES = 16 * 1024 * 1024  # the tables are ~1 MB
_FORMAT = "1"  # the layout of the cache file; a new one makes a new key
_CANARY = 'a = "x${b}"\n'
_excluded: list[str] = []  # real paths of folders the cache must not be in


def keep_cache_out_of(folder: Path) -> None:
    """Never read or write the cache inside `folder` (the project root of the run)."""
    _excluded.append(os.path.realpath(folder))


@functools.cache
def hcl_parser() -> Any:
    """The parser (a `lark.Lark`), from the cache when it holds a usable one."""
    from hcl2.postlexer import PostLexer
    from lark import Lark

    grammar = _grammar_path()
    path = cache_file(grammar)
    if path is not None:
        loaded = _load(path, PostLexer)
        if loaded is not None:
            return loaded
    parser = Lark.open(str(grammar), parser="lalr", propagate_positions=True, postlex=PostLexer())
    if path is not None:
        _save(parser, path)
    return parser


def _grammar_path() -> Path:
    import hcl2.parser

    return Path(hcl2.parser.__file__).resolve().parent / "hcl2.lark"


def cache_file(grammar: Path | None = None) -> Path | None:
    """Where the parser is cached, or None when no usable cache folder is known."""
    from importlib import metadata

    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    folder = os.path.join(base, "reglint")
    real = os.path.realpath(folder)
    if any(real == excluded or real.startswith(excluded + os.sep) for excluded in _excluded):
        return None
    key = hashlib.sha256()
    for part in (_FORMAT, metadata.version("python-hcl2"), metadata.version("lark")):
        key.update(part.encode() + b"\0")
    key.update((grammar or _grammar_path()).read_bytes())
    return Path(folder) / f"hcl2-parser-{key.hexdigest()[:20]}.json"


def _owned_privately(info: os.stat_result) -> bool:
    """Ours, and writable by no one else (always true where there are no owners)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(path: Path, postlex: type) -> Any | None:
    from lark import Lark

    try:
        folder = os.lstat(path.parent)
        if not stat.S_ISDIR(folder.st_mode) or not _owned_privately(folder):
            return None
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _owned_privately(info):
                return None
            raw = handle.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return None
        tables = json.loads(raw, object_hook=_untagged)
        # Lark's own loader of serialized tables (what `Lark.load` and its standalone
        # parsers use), untyped.
        load: Any = Lark._load_from_dict
        parser = load(tables["data"], tables["memo"], postlex=postlex())
        if parser.parse(_CANARY).data != "start":
            return None
        return parser
    except Exception:  # noqa: BLE001 - a missing or damaged cache only means a build
        return None


def _save(parser: Any, path: Path) -> None:
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    try:
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        data = dict(data, options={k: v for k, v in data["options"].items() if k != "postlex"})
        text = json.dumps(_tagged({"data": data, "memo": memo}), separators=(",", ":"))
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".hcl2-", dir=path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:  # noqa: BLE001, S110 - a cache that cannot be written is no error
        pass


def _tagged(value: Any) -> Any:
    """Lark's tables as JSON: a tuple as `{"t": [...]}`, a mapping whose keys are not all
    strings (or that could be read as a tag) as `{"d": [[key, value], ...]}`."""
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not (
            len(value) == 1 and ("t" in value or "d" in value)
        ):
            return {key: _tagged(item) for key, item in value.items()}
        return {"d": [[_tagged(key), _tagged(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"t": [_tagged(item) for item in value]}
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    return value


def _untagged(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1:
        if "t" in mapping:
            return tuple(mapping["t"])
        if "d" in mapping:
            return {key: item for key, item in mapping["d"]}
    return mapping
