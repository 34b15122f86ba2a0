"""load_yaml(): safe, iterative YAML loading with exact positions (SPEC §1, §4)."""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reglint.findings import Span
from reglint.loading import yaml_loader
from reglint.loading.decode import decode
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import DuplicateKey, LoadError
from reglint.loading.yaml_loader import load_yaml

LIMITS = Limits()


def load_one(text: str) -> ParsedDocument:
    documents = load_yaml(text, LIMITS)
    assert len(documents) == 1
    return documents[0]


def load_error(text: str, limits: Limits = LIMITS) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_yaml(text, limits)
    return caught.value


def at(doc: ParsedDocument, *path: Any, key: bool = False) -> Span:
    return doc.positions.span(path, on_key=key)


BLOCK = """\
apiVersion: reglint/v1
kind: RegistryService
metadata:
  name: docker-registry
spec:
  url: 123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod
  iamPolicies:
    - ../iam/ecr-push.json
    - second.json

# a trailing comment does not stretch the last node
"""


def test_block_style_keys_and_values() -> None:
    doc = load_one(BLOCK)
    assert doc.data["spec"]["iamPolicies"] == ["../iam/ecr-push.json", "second.json"]
    assert at(doc, "kind") == Span(2, 7, 2, 22)
    assert at(doc, "kind", key=True) == Span(2, 1, 2, 5)
    assert at(doc, "metadata", "name") == Span(4, 9, 4, 24)
    assert at(doc, "metadata", "name", key=True) == Span(4, 3, 4, 7)
    assert at(doc, "metadata") == Span(4, 3, 4, 24)  # the block mapping, not its key
    assert at(doc, "spec", "iamPolicies", 1) == Span(9, 7, 9, 18)
    assert at(doc, "spec", "iamPolicies") == Span(8, 5, 9, 18)
    assert doc.span == Span(1, 1, 9, 18)
    assert doc.duplicates == []
    # A path that does not exist resolves to its nearest ancestor.
    assert at(doc, "spec", "auth", "method") == Span(6, 3, 9, 18)
    assert at(doc, "spec", "iamPolicies", 7) == Span(8, 5, 9, 18)


FLOW = 'resources: {requests: {cpu: 250m, memory: 256Mi}, limits: [1, "2"]}\n'


def test_flow_style_keys_and_values() -> None:
    doc = load_one(FLOW)
    assert doc.data == {"resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                                      "limits": [1, "2"]}}  # fmt: skip
    assert at(doc, "resources") == Span(1, 12, 1, 68)
    assert at(doc, "resources", "requests") == Span(1, 23, 1, 49)
    assert at(doc, "resources", "requests", key=True) == Span(1, 13, 1, 21)
    assert at(doc, "resources", "requests", "cpu") == Span(1, 29, 1, 33)
    assert at(doc, "resources", "requests", "memory", key=True) == Span(1, 35, 1, 41)
    assert at(doc, "resources", "limits") == Span(1, 59, 1, 67)
    assert at(doc, "resources", "limits", 0) == Span(1, 60, 1, 61)
    assert at(doc, "resources", "limits", 1) == Span(1, 63, 1, 66)  # quotes included


def test_nested_lists_of_maps() -> None:
    doc = load_one("items:\n  - name: a\n    port: 1\n  - name: b\n    tags: [x, y]\n")
    assert doc.data == {"items": [{"name": "a", "port": 1}, {"name": "b", "tags": ["x", "y"]}]}
    assert at(doc, "items", 0) == Span(2, 5, 3, 12)
    assert at(doc, "items", 0, "port") == Span(3, 11, 3, 12)
    assert at(doc, "items", 1, "name", key=True) == Span(4, 5, 4, 9)
    assert at(doc, "items", 1, "tags", 1) == Span(5, 15, 5, 16)


def test_scalar_styles_and_their_spans() -> None:
    text = (
        "plain: hello world\nsingle: 'it''s'\ndouble: \"a\\tb\"\n"
        "literal: |\n  line one\n  line two\nfolded: >-\n  one\n  two\nafter: end\n"
    )
    doc = load_one(text)
    assert doc.data == {"plain": "hello world", "single": "it's", "double": "a\tb",
                        "literal": "line one\nline two\n", "folded": "one two",
                        "after": "end"}  # fmt: skip
    assert at(doc, "plain") == Span(1, 8, 1, 19)
    assert at(doc, "single") == Span(2, 9, 2, 16)
    assert at(doc, "double") == Span(3, 9, 3, 15)
    assert at(doc, "literal") == Span(4, 10, 7, 1)  # a block scalar ends after its line break
    assert at(doc, "folded") == Span(7, 9, 10, 1)
    assert at(doc, "after") == Span(10, 8, 10, 11)


def test_multi_document_stream() -> None:
    docs = load_yaml("---\na: 1\n---\n- x\n...\n---\nb: 2\n", LIMITS)
    assert [doc.data for doc in docs] == [{"a": 1}, ["x"], {"b": 2}]
    assert [doc.span for doc in docs] == [Span(2, 1, 2, 5), Span(4, 1, 4, 4), Span(7, 1, 7, 5)]
    assert at(docs[2], "b") == Span(7, 4, 7, 5)
    docs = load_yaml("---\n# nothing here\n---\na: 1\n", LIMITS)
    assert [doc.data for doc in docs] == [None, {"a": 1}]  # an empty document is None


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "# one\n# two"])
def test_empty_streams_have_no_documents(text: str) -> None:
    assert load_yaml(text, LIMITS) == []


def test_crlf_and_cr_files_keep_their_line_numbers() -> None:
    for raw in (b"a: 1\r\nb:\r\n  - x\r\n", b"a: 1\rb:\r  - x\r"):
        doc = load_one(decode(raw))
        assert doc.data == {"a": 1, "b": ["x"]}
        assert at(doc, "b", 0) == Span(3, 5, 3, 6)
        assert at(doc, "b", key=True) == Span(2, 1, 2, 2)
    assert at(load_one(decode(b"\xef\xbb\xbfa: 1\n")), "a") == Span(1, 4, 1, 5)  # BOM


def test_unicode_line_breaks_count_as_yaml_does_not_in_reglint_lines() -> None:
    # YAML 1.1 ends a line at NEL; reglint's lines end only at "\n": no line 2 here.
    doc = load_one("a: 1\x85b: 2\nc: 3")
    assert doc.data == {"a": 1, "b": 2, "c": 3}
    assert at(doc, "b") == Span(1, 9, 1, 10)
    assert at(doc, "c") == Span(2, 4, 2, 5)


def test_columns_count_characters_not_bytes() -> None:
    doc = load_one("é☕: 😀x\n")
    assert at(doc, "é☕") == Span(1, 5, 1, 7)


MERGE = """\
base: &base
  cpu: 1
  memory: 2Gi
other: &other {cpu: 9, extra: yes}
svc:
  <<: [*base, *other]
  memory: 4Gi
"""


def test_merge_keys_follow_the_yaml_merge_spec() -> None:
    doc = load_one(MERGE)
    # The earlier mapping of the list wins (`cpu: 1`), explicit keys win over all.
    assert list(doc.data["svc"].items()) == [("cpu", 1), ("memory", "4Gi"), ("extra", True)]
    assert doc.duplicates == []  # an explicit key over a merged one is no duplicate
    assert at(doc, "svc", "memory") == Span(7, 11, 7, 14)
    assert at(doc, "svc", "cpu") == Span(2, 8, 2, 9)  # where the merged value is written
    assert at(doc, "svc", "cpu", key=True) == Span(2, 3, 2, 6)
    assert at(doc, "svc", "extra") == Span(4, 31, 4, 34)


@pytest.mark.parametrize("merge", ["  <<: *a\n  <<: *b\n", "  <<: [*a, *b]\n"])
def test_merges_agree_with_pyyaml_where_it_is_consistent(merge: str) -> None:
    # Single-character keys are interned, so PyYAML 6.0.4's identity check works here.
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, w: 5}\nc:\n" + merge + "  z: 3\n  x: 0\n"
    doc = load_one(text)
    assert list(doc.data["c"].items()) == [("x", 0), ("y", 1), ("w", 5), ("z", 3)]
    assert doc.data == yaml.load(text, Loader=yaml.CSafeLoader)
    assert doc.duplicates == []


def test_merging_a_scalar_is_an_error() -> None:
    error = load_error("a:\n  <<: 5\n")
    assert error.message == "a merge key `<<` needs a mapping or a list of mappings"
    assert error.span == Span(2, 7, 2, 8)
    assert load_one("'<<': {a: 1}\n").data == {"<<": {"a": 1}}  # quoted: a plain key


def test_aliases_share_objects_and_point_at_the_alias() -> None:
    doc = load_one("a: &x {k: v}\nb: *x\n")
    assert doc.data["b"] is doc.data["a"]
    assert at(doc, "b") == Span(2, 4, 2, 6)
    assert at(doc, "b", "k") == Span(1, 11, 1, 12)


def test_foreign_tags_are_ignored_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
        f"b: !!python/object/new:os.system [touch {marker}]\n"
        "c: !Ref bucket\nd: !Custom 12\ne: !!python/name:os.system\n"
        "f: !GetAtt {x: 1}\n"
    )
    doc = load_one(text)
    assert not marker.exists()
    assert doc.data == {"a": [f"touch {marker}"], "b": [f"touch {marker}"], "c": "bucket",
                        "d": 12, "e": None, "f": {"x": 1}}  # fmt: skip


TYPED = """\
no: no
on: on
float: 1.5e+3
exp: 1e3
octal: 0o7
old_octal: 017
hex: 0x1f
sexagesimal: 190:20:30
underscore: 1_000
inf: .inf
tilde: ~
date: 2002-12-14
stamp: 2001-12-14t21:59:43.10-05:00
quoted: 'yes'
bang: ! yes
bang_quoted: ! 'no'
str: !!str 123
int: !!int "12"
float2: !!float 1
binary: !!binary aGk=
set: !!set {a, b}
omap: !!omap [x: 1, y: 2]
pairs: !!pairs [x: 1, x: 2]
"""


def test_scalars_are_typed_as_pyyaml_types_them() -> None:
    data = load_one(TYPED).data
    assert data == yaml.load(TYPED, Loader=yaml.CSafeLoader)
    assert data[False] is False and data[True] is True  # `no: no` and `on: on` (YAML 1.1)
    assert data["float"] == 1500.0 and data["exp"] == "1e3" and data["octal"] == "0o7"
    assert data["old_octal"] == 15 and data["hex"] == 31 and data["sexagesimal"] == 685230
    assert data["underscore"] == 1000 and math.isinf(data["inf"]) and data["tilde"] is None
    assert data["date"] == datetime.date(2002, 12, 14)
    assert data["stamp"].utcoffset() == datetime.timedelta(hours=-5)
    assert data["quoted"] == "yes" and data["str"] == "123"
    assert data["bang"] is True and data["bang_quoted"] is False  # PyYAML's reading of `!`
    assert data["int"] == 12 and data["float2"] == 1.0 and data["binary"] == b"hi"
    assert data["set"] == {"a", "b"}
    assert data["omap"] == [("x", 1), ("y", 2)] and data["pairs"] == [("x", 1), ("x", 2)]


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ("a: !!int abc\n", "value is not a valid !!int", Span(1, 4, 1, 13)),
        ("t: 2023-02-30\n", "value is not a valid !!timestamp", Span(1, 4, 1, 14)),
        ("b: !!binary aGk\n", "value is not a valid !!binary", Span(1, 4, 1, 16)),
        ("o: !!omap [a, b]\n", "!!omap needs one-key mappings as items", Span(1, 12, 1, 13)),
    ],
)
def test_bad_standard_tag_values(text: str, message: str, span: Span) -> None:
    error = load_error(text)
    assert (error.message, error.span) == (message, span)


def test_duplicate_keys_record_the_second_occurrence() -> None:
    doc = load_one("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert doc.data == {"a": 4, "b": {"c": 3}}
    assert doc.duplicates == [
        DuplicateKey("c", Span(4, 3, 4, 4), Span(3, 3, 3, 4)),
        DuplicateKey("a", Span(5, 1, 5, 2), Span(1, 1, 1, 2)),
    ]
    assert at(doc, "a") == Span(5, 4, 5, 5)  # the last occurrence wins in the tree too
    assert at(doc, "a", key=True) == Span(5, 1, 5, 2)
    assert at(doc, "b", "c") == Span(4, 6, 4, 7)


def test_a_third_occurrence_still_names_the_first() -> None:
    doc = load_one("{x: 1, x: 2, x: 3}")
    assert doc.duplicates == [
        DuplicateKey("x", Span(1, 8, 1, 9), Span(1, 2, 1, 3)),
        DuplicateKey("x", Span(1, 14, 1, 15), Span(1, 2, 1, 3)),
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [("? [a, b]\n: 1\n", Span(1, 3, 1, 9)), ("x: &l {a: 1}\n*l : 2\n", Span(2, 1, 2, 3))],
)
def test_unhashable_keys_are_load_errors(text: str, span: Span) -> None:
    error = load_error(text)
    assert error.message == "a mapping or sequence cannot be used as a mapping key"
    assert error.span == span


def test_depth_limit_block_sequences_at_200000_levels() -> None:
    error = load_error("- " * 200_000 + "x\n")
    assert error.message == "nesting deeper than 200 levels"
    assert error.span == Span(1, 401, 1, 402)  # the 201st "-"


def test_depth_limit_flow_sequences_at_200000_levels() -> None:
    error = load_error("[" * 200_000 + "]" * 200_000)
    assert error.message == "nesting deeper than 200 levels"
    assert error.span.line == 1  # libyaml's own limit (1000) may stop it first


def test_depth_limit_is_exact_and_at_the_breaching_node() -> None:
    assert load_one("[\n" * 200 + "]" * 200).data is not None
    error = load_error("[\n" * 201 + "]" * 201)
    assert (error.message, error.span) == ("nesting deeper than 200 levels", Span(201, 1, 201, 2))
    error = load_error("[\n" * 6 + "]" * 6, Limits(max_depth=5))
    assert (error.message, error.span) == ("nesting deeper than 5 levels", Span(6, 1, 6, 2))


def test_depth_through_an_alias_counts() -> None:
    text = "a: &a " + "[" * 150 + "]" * 150 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n"
    error = load_error(text)
    assert (error.message, error.span) == ("nesting deeper than 200 levels", Span(2, 64, 2, 66))


LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([prev] * 9)}]\n"
    for name, prev in zip("abcde", ['"lol"', "*a", "*b", "*c", "*d"], strict=True)
)


def test_alias_bomb_is_refused_at_the_alias_that_breaks_the_budget() -> None:
    error = load_error(LAUGHS)
    # 56 parsed nodes: budget 10 x 56 + 10,000.
    assert error.message == "YAML aliases expand to more than 10560 nodes (alias bomb?)"
    assert error.span == Span(5, 8, 5, 10)


def test_aliases_within_budget_load() -> None:
    doc = load_one(LAUGHS.rsplit("e:", 1)[0])  # a..d expand to about 8,300 nodes
    assert len(doc.data["d"]) == 9 and doc.data["d"][0] is doc.data["c"]


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ("a: b: c\n", "mapping values are not allowed in this context", Span(1, 5, 1, 6)),
        ("a: [1, 2\nb: 3\n",
         "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)",
         Span(2, 2, 2, 3)),
        ("a: *nope\n", "found an alias (*name) whose anchor (&name) is not defined", Span(1, 4, 1, 9)),
        ("a: &x 1\nb: &x 2\n", "found duplicate anchor 'x'", Span(2, 4, 2, 8)),
        ("a: &x [1, *x]\n", "an alias inside its own anchored node makes recursive data",
         Span(1, 11, 1, 13)),
        ("a: é\x07\n", "character #x0007 is not allowed in YAML", Span(1, 5, 1, 6)),
    ],
)  # fmt: skip
def test_syntax_and_reference_errors(text: str, message: str, span: Span) -> None:
    error = load_error(text)
    assert (error.message, error.span) == (message, span)


def test_pure_python_parser_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "_Parser", yaml.SafeLoader)
    doc = load_one(BLOCK)
    assert at(doc, "spec", "iamPolicies", 1) == Span(9, 7, 9, 18)
    assert load_one(TYPED).data == yaml.load(TYPED, Loader=yaml.SafeLoader)
    assert load_error("- " * 300 + "x").message == "nesting deeper than 200 levels"
    assert load_error("a: \x07").message == "character #x0007 is not allowed in YAML"


YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{},&*!?|>#'\"\n <~=.0123456789abnoy\t")))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), YAMLISH, st.binary(max_size=80)))
def test_any_text_loads_or_raises_load_error(text: str | bytes) -> None:
    if isinstance(text, bytes):  # bytes go the way files go: through decode()
        try:
            text = decode(text)
        except LoadError:
            return
    try:
        docs = load_yaml(text, LIMITS)
    except LoadError as error:
        assert error.message and error.span.line >= 1
        return
    try:
        expected = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    except (yaml.YAMLError, ValueError, TypeError, AttributeError):
        return  # PyYAML refuses some things reglint reads (unknown tags, `<<` as a value)
    assert repr([doc.data for doc in docs]) == repr(expected)


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [
        # Same tag and equal value: one key written twice (RL003).
        ("null", "~", True),
        ("~", "Null", True),
        ("true", "yes", True),  # both !!bool true in YAML 1.1
        ("false", "off", True),
        ("1", "0x1", True),  # both !!int 1
        ("1", "+1", True),
        ("1.0", "1.00", True),
        ("a", "'a'", True),
        ('"1"', "!!str 1", True),
        ("2024-01-01", "!!timestamp 2024-01-01", True),
        # Equal in Python, different in YAML: different tags, so different keys.
        ("1", "true", False),
        ("0", "false", False),
        ("1", "1.0", False),
        ("true", "1.0", False),
        ("1", '"1"', False),
        ("null", '"null"', False),
        ("true", '"true"', False),
    ],
)
def test_keys_compare_by_tag_and_value(first: str, second: str, duplicate: bool) -> None:
    doc = load_one(f"{first}: a\n{second}: b\n")
    found = [(d.span.line, d.first.line) for d in doc.duplicates]
    assert found == ([(2, 1)] if duplicate else [])
    # The data is what PyYAML's safe loader gives: keys equal in Python share one entry.
    assert doc.data == yaml.load(f"{first}: a\n{second}: b\n", Loader=yaml.SafeLoader)


def test_an_empty_key_is_null() -> None:
    assert [d.key for d in load_one("{null: a, ? : b}").duplicates] == [None]


def test_keys_equal_only_in_python_keep_the_first_key_position() -> None:
    doc = load_one("1: a\ntrue: b\n1: c\n")
    assert doc.data == {1: "c"}
    # `1` on line 3 repeats `1` on line 1; `true` on line 2 is no duplicate of either.
    assert [(d.key, d.span.line, d.first.line) for d in doc.duplicates] == [(1, 3, 1)]
    assert at(doc, 1, key=True) == Span(3, 1, 3, 2)
