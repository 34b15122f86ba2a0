"""load_yaml(short_forms=True): CloudFormation's short-form tags read as their long form,
as plain data with positions (SPEC §6.2); off by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reglint.findings import Span
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import LoadError
from reglint.loading.yaml_loader import load_yaml

LIMITS = Limits()


def load(text: str, limits: Limits = LIMITS) -> ParsedDocument:
    (document,) = load_yaml(text, limits, short_forms=True)
    return document


def at(doc: ParsedDocument, *path: Any, key: bool = False) -> Span:
    return doc.positions.span(path, on_key=key)


# One case per short form AWS documents: (YAML value, its long form as data).
SHORT_FORMS = [
    ("!Ref Env", {"Ref": "Env"}),
    ("!Ref AWS::AccountId", {"Ref": "AWS::AccountId"}),
    ("!Condition IsProd", {"Condition": "IsProd"}),
    ("!GetAtt Repo.Arn", {"Fn::GetAtt": ["Repo", "Arn"]}),
    ("!GetAtt Db.Endpoint.Address", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
    ("!GetAtt [Repo, Arn]", {"Fn::GetAtt": ["Repo", "Arn"]}),
    ("!GetAtt Lonely", {"Fn::GetAtt": ["Lonely"]}),
    ('!Sub "arn:${AWS::Partition}:ecr:${AWS::Region}"', {"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}"}),
    ("!Sub [\"${A}-x\", {A: !Ref Env}]", {"Fn::Sub": ["${A}-x", {"A": {"Ref": "Env"}}]}),
    ('!Join [":", [a, !Ref B]]', {"Fn::Join": [":", ["a", {"Ref": "B"}]]}),
    ("!If [IsProd, a, !Ref AWS::NoValue]", {"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]}),
    ("!Select [0, [a, b]]", {"Fn::Select": [0, ["a", "b"]]}),
    ('!Split [",", "a,b"]', {"Fn::Split": [",", "a,b"]}),
    ("!FindInMap [Map, Top, Second]", {"Fn::FindInMap": ["Map", "Top", "Second"]}),
    ("!ImportValue SharedRepo", {"Fn::ImportValue": "SharedRepo"}),
    ("!GetAZs ''", {"Fn::GetAZs": ""}),
    ("!Base64 hello", {"Fn::Base64": "hello"}),
    ('!Cidr ["10.0.0.0/16", 6, 5]', {"Fn::Cidr": ["10.0.0.0/16", 6, 5]}),
    ("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}),
    ("!And [!Condition A, !Condition B]", {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}),
    ("!Or [!Condition A, !Condition B]", {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}),
    ("!Not [!Condition A]", {"Fn::Not": [{"Condition": "A"}]}),
    ("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
     {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}),
    ("!GetStackOutput {StackName: net, OutputName: VpcId}",
     {"Fn::GetStackOutput": {"StackName": "net", "OutputName": "VpcId"}}),
    # Undocumented names are still functions (as the AWS CLI reads them): never literals.
    ("!Length [a, b]", {"Fn::Length": ["a", "b"]}),
    # A tagged scalar's argument is a string, whatever it looks like.
    ("!Ref 123", {"Ref": "123"}),
    ("!Ref true", {"Ref": "true"}),
    ("!Ref", {"Ref": ""}),
    ('!Ref "quoted"', {"Ref": "quoted"}),
    ("!<!Ref> Verbatim", {"Ref": "Verbatim"}),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), SHORT_FORMS, ids=[case[0] for case in SHORT_FORMS])
def test_short_forms_read_as_their_long_form(value: str, expected: Any) -> None:
    assert load(f"Value: {value}\n").data == {"Value": expected}


@pytest.mark.parametrize(("value", "expected"), SHORT_FORMS, ids=[case[0] for case in SHORT_FORMS])
def test_short_forms_are_ignored_without_the_option(value: str, expected: Any) -> None:
    (document,) = load_yaml(f"Value: {value}\n", LIMITS)
    assert document.data["Value"] != expected


def test_the_default_reading_of_tags_is_unchanged() -> None:
    text = "a: !Ref x\nb: !GetAtt R.Arn\nc: !If [c, 1, 2]\nd: !Sub\n  - x\n"
    (document,) = load_yaml(text, LIMITS)
    assert document.data == {"a": "x", "b": "R.Arn", "c": ["c", 1, 2], "d": ["x"]}
    assert document.positions.span(("c", 1)) == Span(3, 12, 3, 13)


def test_other_tags_keep_their_meaning_with_the_option() -> None:
    text = "a: !!int '7'\nb: !!str 7\nc: !!python/name:os.system x\nd: ! 7\ne: !!set {x}\n"
    assert load(text).data == {"a": 7, "b": "7", "c": "x", "d": 7, "e": {"x"}}


TEMPLATE = """\
Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref NodeRole]
      Resource: !GetAtt Repo.Arn
      Quoted: !GetAtt "Repo.Arn"
      Both: &anchor !Sub 'arn:${AWS::Partition}:x'
      Again: *anchor
      Cond: !If
        # the condition's name comes first
        - IsProd
        - !Ref AWS::NoValue
        - [a, b]
      Long:
        Fn::GetAtt: [Repo, Arn]
"""


def test_positions_of_the_tag_the_key_and_the_value() -> None:
    doc = load(TEMPLATE)
    props = ("Resources", "Policy", "Properties")
    # The whole node spans tag and value; the key spans the tag; the value its text.
    assert at(doc, *props, "Roles", 0) == Span(5, 15, 5, 28)
    assert at(doc, *props, "Roles", 0, "Ref", key=True) == Span(5, 15, 5, 19)
    assert at(doc, *props, "Roles", 0, "Ref") == Span(5, 20, 5, 28)
    assert at(doc, *props, "Resource") == Span(6, 17, 6, 33)
    assert at(doc, *props, "Resource", "Fn::GetAtt", key=True) == Span(6, 17, 6, 24)
    assert at(doc, *props, "Resource", "Fn::GetAtt") == Span(6, 25, 6, 33)
    assert at(doc, *props, "Resource", "Fn::GetAtt", 0) == Span(6, 25, 6, 29)
    assert at(doc, *props, "Resource", "Fn::GetAtt", 1) == Span(6, 30, 6, 33)
    assert at(doc, *props, "Quoted", "Fn::GetAtt", 0) == Span(7, 24, 7, 28)
    assert at(doc, *props, "Quoted", "Fn::GetAtt", 1) == Span(7, 29, 7, 32)
    # An anchor before the tag: the key is still the tag; an alias shares the data.
    assert at(doc, *props, "Both", "Fn::Sub", key=True) == Span(8, 21, 8, 25)
    assert at(doc, *props, "Both", "Fn::Sub") == Span(8, 26, 8, 51)
    assert doc.data["Resources"]["Policy"]["Properties"]["Again"] == {"Fn::Sub": "arn:${AWS::Partition}:x"}
    assert at(doc, *props, "Again") == Span(9, 14, 9, 21)
    # As for any alias of a mapping, what is inside is positioned where the anchor is.
    assert at(doc, *props, "Again", "Fn::Sub") == Span(8, 26, 8, 51)
    # A tagged block sequence: the list starts after the tag and the comment.
    assert at(doc, *props, "Cond", "Fn::If", key=True) == Span(10, 13, 10, 16)
    assert at(doc, *props, "Cond", "Fn::If") == Span(12, 9, 14, 17)
    assert at(doc, *props, "Cond") == Span(10, 13, 14, 17)
    assert at(doc, *props, "Cond", "Fn::If", 1, "Ref") == Span(13, 16, 13, 28)
    assert at(doc, *props, "Cond", "Fn::If", 2, 1) == Span(14, 15, 14, 16)
    # The long form is positioned as any mapping.
    assert at(doc, *props, "Long", "Fn::GetAtt", key=True) == Span(16, 9, 16, 19)
    assert at(doc, *props, "Long", "Fn::GetAtt", 1) == Span(16, 28, 16, 31)


def test_positions_count_characters_after_non_ascii_text() -> None:
    doc = load("Beschreibung: äöü\nWert: !GetAtt [Rëpo, Arn]\n")
    assert doc.data["Wert"] == {"Fn::GetAtt": ["Rëpo", "Arn"]}
    assert at(doc, "Wert", "Fn::GetAtt", key=True) == Span(2, 7, 2, 14)
    assert at(doc, "Wert", "Fn::GetAtt", 0) == Span(2, 16, 2, 20)


def test_positions_after_a_line_separator_in_a_string() -> None:
    # libyaml ends lines at U+2028 too, reglint only at "\n": the spans are remapped.
    doc = load('Note: "a\u2028b"\nValue: !Ref Env\n')
    assert at(doc, "Value", "Ref", key=True) == Span(2, 8, 2, 12)
    assert at(doc, "Value", "Ref") == Span(2, 13, 2, 16)


def test_an_empty_tagged_scalar_is_positioned_at_its_tag() -> None:
    doc = load("A: !Ref\nB: x\n")
    assert doc.data == {"A": {"Ref": ""}, "B": "x"}
    assert at(doc, "A", "Ref", key=True) == Span(1, 4, 1, 8)
    assert at(doc, "A", "Ref").line == 1


def test_a_split_getatt_with_escapes_positions_both_names_on_the_scalar() -> None:
    doc = load('A: !GetAtt "R\\x65po.Arn"\n')
    assert doc.data == {"A": {"Fn::GetAtt": ["Repo", "Arn"]}}
    assert at(doc, "A", "Fn::GetAtt", 0) == at(doc, "A", "Fn::GetAtt", 1) == Span(1, 12, 1, 25)


def test_a_short_form_cannot_be_a_mapping_key() -> None:
    with pytest.raises(LoadError, match="cannot be used as a mapping key"):
        load("!Ref x: 1\n")


def test_short_forms_count_toward_the_nesting_limit() -> None:
    limits = Limits(max_depth=5)
    load("a: !If [c, [x], y]\n", limits)  # 4 levels: the map, If's map, its list, [x]
    with pytest.raises(LoadError, match="nesting deeper than 5 levels") as caught:
        load("a: !If [c, !If [c, [x], y], y]\n", limits)
    assert caught.value.span is not None and caught.value.span.line == 1
    with pytest.raises(LoadError, match="nesting deeper than 5 levels"):
        load("a: [[[[!Ref x]]]]\n", limits)
    with pytest.raises(LoadError, match="nesting deeper than 5 levels"):
        load("a: &a !If [c, x]\nb: [[[*a]]]\n", limits)


def test_an_alias_bomb_of_short_forms_is_refused() -> None:
    lines = ["a0: &a0 !Ref x"]
    lines += [f"a{i}: &a{i} !Join ['', [{', '.join([f'*a{i - 1}'] * 9)}]]" for i in range(1, 8)]
    with pytest.raises(LoadError, match="alias bomb"):
        load("\n".join(lines) + "\n")


def test_a_real_template_file(tmp_path: Path) -> None:
    from reglint.loading.decode import decode

    path = tmp_path / "t.yaml"
    path.write_bytes(b"Resources:\r\n  R:\r\n    Type: AWS::ECR::Repository\r\n    Properties:\r\n"
                     b"      RepositoryName: !Sub '${AWS::StackName}-app'\r\n")  # fmt: skip
    doc = load(decode(path.read_bytes()))
    assert doc.data["Resources"]["R"]["Properties"]["RepositoryName"] == {"Fn::Sub": "${AWS::StackName}-app"}
    assert at(doc, "Resources", "R", "Properties", "RepositoryName", "Fn::Sub") == Span(5, 28, 5, 51)


def test_an_alias_of_a_tagged_collection_is_its_long_form() -> None:
    doc = load("a: !If &x [c, 1, 2]\nb: *x\nc: &y !Join ['', [p, q]]\nd: [*y]\n")
    assert doc.data["b"] == {"Fn::If": ["c", 1, 2]}
    assert doc.data["d"] == [{"Fn::Join": ["", ["p", "q"]]}]
    assert at(doc, "a", "Fn::If", key=True) == Span(1, 4, 1, 7)
    assert at(doc, "a", "Fn::If") == Span(1, 11, 1, 20)  # after the anchor written after the tag
    assert at(doc, "b") == Span(2, 4, 2, 6)
    assert at(doc, "b", "Fn::If", 1) == Span(1, 15, 1, 16)
    assert at(doc, "c", "Fn::Join", key=True) == Span(3, 7, 3, 12)
