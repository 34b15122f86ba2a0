"""Property tests of loading: random bytes and YAML-like text never raise (a load failure
is always a `LoadError`, reported as RL001); dumped values load back to what PyYAML's
safe loader or `json` reads; JSON positions point at the values they name."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz.strategies import JSON_VALUES, YAML_TEXT, YAML_VALUES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reglint.findings import Span
from reglint.loading.decode import decode
from reglint.loading.document import Limits, SourceFile
from reglint.loading.errors import LoadError
from reglint.loading.json_loader import load_json
from reglint.loading.reader import Skipped, load_bytes
from reglint.loading.yaml_loader import load_yaml

LIMITS = Limits()
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _load(name: str, raw: bytes, named: bool) -> SourceFile | Skipped:
    return load_bytes(Path("/project") / name, raw, named, LIMITS)


def _check_outcome(outcome: SourceFile | Skipped) -> None:
    if isinstance(outcome, Skipped):
        assert outcome.reason
        return
    for comment in outcome.comments:  # read from the decoded text, with 1-based positions
        assert comment.span.line >= 1 and comment.span.column >= 1
    for problem in outcome.problems:
        assert problem.rule in ("RL001", "RL003"), problem
        span = problem.span or problem.document and problem.document.span
        assert isinstance(span, Span) and span.line >= 1 and span.column >= 1


@FUZZ
@given(
    raw=st.binary(max_size=3000),
    name=st.sampled_from(["a.yaml", "a.json", "a"]),
    named=st.booleans(),
)
def test_random_bytes_never_raise(raw: bytes, name: str, named: bool) -> None:
    _check_outcome(_load(name, raw, named))


@FUZZ
@given(text=YAML_TEXT, named=st.booleans())
def test_yaml_like_text_never_raises(text: str, named: bool) -> None:
    _check_outcome(_load("a.yaml", text.encode("utf-8"), named))


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_decode_is_strict_utf8_with_normalised_line_breaks(raw: bytes) -> None:
    try:
        text = decode(raw)
    except LoadError as error:
        assert error.message and "reglint reads UTF-8" in error.message or "NUL" in error.message
        return
    assert "\r" not in text
    expected = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    assert text == expected.replace("\r\n", "\n").replace("\r", "\n")


def _normal(value: Any) -> Any:
    """A comparable form: NaN equal to NaN, sets as sorted reprs."""
    if isinstance(value, float) and math.isnan(value):
        return "<nan>"
    if isinstance(value, dict):
        return {_normal_key(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(v) for v in value)
    return value


def _normal_key(key: Any) -> Any:
    return "<nan>" if isinstance(key, float) and math.isnan(key) else key


def _dumpable(value: Any) -> bool:
    """PyYAML's safe dumper has no representation for tuples (omap/pairs are loaded as them)."""
    if isinstance(value, tuple):
        return False
    if isinstance(value, dict):
        return all(_dumpable(k) and _dumpable(v) for k, v in value.items())
    if isinstance(value, (list, set)):
        return all(_dumpable(v) for v in value)
    return True


@FUZZ
@given(value=YAML_VALUES, shared=st.booleans(), flow=st.none() | st.booleans())
def test_dumped_yaml_loads_like_pyyaml_safe_load(
    value: Any, shared: bool, flow: bool | None
) -> None:
    """The loader types data exactly as `yaml.safe_load` does (SPEC §1.1), anchors included."""
    assume(_dumpable(value))
    document = [value, value] if shared else value  # a shared node is dumped as &id001/*id001
    text = yaml.dump(document, Dumper=SafeDumper, default_flow_style=flow, allow_unicode=True)
    expected = yaml.load(text, Loader=SafeLoader)
    try:
        (loaded,) = load_yaml(text, LIMITS)
    except LoadError as error:
        pytest.fail(f"{error.message} at {error.span} for:\n{text}")
    assert _normal(loaded.data) == _normal(expected)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))
    else:
        yield path, value


def _char_at(text: str, span: Span) -> str:
    return text.split("\n")[span.line - 1][span.column - 1]


@FUZZ
@given(value=JSON_VALUES, indent=st.none() | st.integers(0, 4), ascii_only=st.booleans())
def test_json_round_trips_and_positions_point_at_their_values(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    (loaded,) = load_json(text, LIMITS)
    assert loaded.data == value
    for path, leaf in _leaves(value):
        first = json.dumps(leaf, ensure_ascii=ascii_only)[0]
        assert _char_at(text, loaded.positions.span(path)) == first, (path, text)
        if path and isinstance(path[-1], str):
            assert _char_at(text, loaded.positions.span(path, on_key=True)) == '"'


@FUZZ
@given(value=JSON_VALUES, bad=st.sampled_from(["NaN", "Infinity", "-Infinity", "[1,]", "// c"]))
def test_json_rejects_what_aws_rejects(value: Any, bad: str) -> None:
    text = json.dumps([value, "PLACEHOLDER"]).replace('"PLACEHOLDER"', bad)
    with pytest.raises(LoadError) as raised:
        load_json(text, LIMITS)
    assert raised.value.span.line >= 1 and raised.value.message
