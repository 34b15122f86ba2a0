"""CloudFormation intrinsics as reglint evaluates them (SPEC §6.2): one case per function
and form, read from YAML short form, YAML long form and JSON, with the position of the
evaluated value in the file."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from iac.cfn_reading import read, where

from reglint.findings import Span
from reglint.iac.model import ABSENT, Choice, Placeholder, Reference, Template

P, R, T, C = Placeholder, Reference, Template, Choice
REMOVED = object()  # the property is not set

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {{Type: String, Default: prod}}
  Subnets: {{Type: "List<AWS::EC2::Subnet::Id>"}}
Mappings:
  Accounts:
    prod: {{Id: "111122223333"}}
    123456789012: {{Name: tooling}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Repo:
    Type: AWS::ECR::Repository
  Subject:
    Type: AWS::ECR::Repository
    Properties:
      Value: {expression}
"""

JSON = """\
{{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {{"Env": {{"Type": "String"}}, "Subnets": {{"Type": "List<AWS::EC2::Subnet::Id>"}}}},
  "Mappings": {{"Accounts": {{"prod": {{"Id": "111122223333"}}, "123456789012": {{"Name": "tooling"}}}}}},
  "Conditions": {{"IsProd": {{"Fn::Equals": [{{"Ref": "Env"}}, "prod"]}}}},
  "Resources": {{
    "Repo": {{"Type": "AWS::ECR::Repository"}},
    "Subject": {{
      "Type": "AWS::ECR::Repository",
      "Properties": {{
        "Value": {expression}
      }}
    }}
  }}
}}
"""


class Case(NamedTuple):
    short: str | None  # the YAML short form, if the function has one
    long: Any  # the long form, as data (written as JSON, and as YAML flow style)
    expected: Any


def pseudo(name: str) -> Case:
    return Case(f"!Ref AWS::{name}", {"Ref": f"AWS::{name}"}, P(f"${{AWS::{name}}}"))


PARTITION, REGION, ACCOUNT, ENV = (P(f"${{{n}}}") for n in ("AWS::Partition", "AWS::Region", "AWS::AccountId", "Env"))
REPO_ARN = R("Repo", "Arn", "${Repo.Arn}")

CASES: dict[str, Case] = {
    "ref-parameter": Case("!Ref Env", {"Ref": "Env"}, ENV),
    **{f"ref-{name}": pseudo(name) for name in (
        "AccountId", "Region", "Partition", "URLSuffix", "StackName", "StackId", "NotificationARNs")},
    "ref-resource": Case("!Ref Repo", {"Ref": "Repo"}, R("Repo", "", "${Repo}")),
    "ref-novalue": Case("!Ref AWS::NoValue", {"Ref": "AWS::NoValue"}, REMOVED),
    "ref-undeclared": Case("!Ref Nope", {"Ref": "Nope"}, P("${Nope}")),
    "ref-not-a-name": Case(None, {"Ref": ["Env"]}, P("!Ref [Env]")),
    "getatt-dotted": Case("!GetAtt Repo.Arn", {"Fn::GetAtt": ["Repo", "Arn"]}, REPO_ARN),
    "getatt-list": Case("!GetAtt [Repo, RepositoryUri]", {"Fn::GetAtt": ["Repo", "RepositoryUri"]},
                        R("Repo", "RepositoryUri", "${Repo.RepositoryUri}")),
    "getatt-string-long-form": Case(None, {"Fn::GetAtt": "Repo.Arn"}, REPO_ARN),
    "getatt-dots-in-attribute": Case("!GetAtt Repo.Endpoint.Address", {"Fn::GetAtt": ["Repo", "Endpoint.Address"]},
                                     R("Repo", "Endpoint.Address", "${Repo.Endpoint.Address}")),
    "getatt-of-a-parameter": Case("!GetAtt Env.Arn", {"Fn::GetAtt": ["Env", "Arn"]}, P("${Env.Arn}")),
    "getatt-attribute-from-ref": Case("!GetAtt [Repo, !Ref Env]", {"Fn::GetAtt": ["Repo", {"Ref": "Env"}]},
                                      P("!GetAtt [Repo, ${Env}]")),
    "sub-literal": Case('!Sub "arn:aws:ecr:us-east-1:123456789012:repository/app"',
                        {"Fn::Sub": "arn:aws:ecr:us-east-1:123456789012:repository/app"},
                        "arn:aws:ecr:us-east-1:123456789012:repository/app"),
    "sub-pseudo-and-parameter": Case(
        '!Sub "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Env}/*"',
        {"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Env}/*"},
        T(("arn:", PARTITION, ":ecr:", REGION, ":", ACCOUNT, ":repository/", ENV, "/*"),
          "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Env}/*")),
    "sub-resource-and-attribute": Case('!Sub "${Repo}|${Repo.Arn}"', {"Fn::Sub": "${Repo}|${Repo.Arn}"},
                                       T((R("Repo", "", "${Repo}"), "|", REPO_ARN), "${Repo}|${Repo.Arn}")),
    "sub-escape": Case('!Sub "arn:aws:s3:::b/${!aws:username}/*"', {"Fn::Sub": "arn:aws:s3:::b/${!aws:username}/*"},
                       "arn:aws:s3:::b/${aws:username}/*"),
    "sub-one-variable": Case('!Sub "${AWS::AccountId}"', {"Fn::Sub": "${AWS::AccountId}"}, ACCOUNT),
    "sub-variables": Case(
        '!Sub ["${Prefix}-${Name}-${Arn}", {Prefix: team, Name: !Ref Env, Arn: !GetAtt Repo.Arn}]',
        {"Fn::Sub": ["${Prefix}-${Name}-${Arn}",
                     {"Prefix": "team", "Name": {"Ref": "Env"}, "Arn": {"Fn::GetAtt": ["Repo", "Arn"]}}]},
        T(("team-", ENV, "-", REPO_ARN), "team-${Env}-${Repo.Arn}")),
    "sub-variable-shadows-a-parameter": Case('!Sub ["${Env}", {Env: staging}]',
                                             {"Fn::Sub": ["${Env}", {"Env": "staging"}]}, "staging"),
    "sub-number-variable": Case('!Sub ["port-${Port}", {Port: 8080}]', {"Fn::Sub": ["port-${Port}", {"Port": 8080}]},
                                "port-8080"),
    "sub-unclosed": Case('!Sub "a-${AWS::Region"', {"Fn::Sub": "a-${AWS::Region"}, "a-${AWS::Region"),
    "sub-undeclared": Case('!Sub "x-${Nope}"', {"Fn::Sub": "x-${Nope}"}, T(("x-", P("${Nope}")), "x-${Nope}")),
    "sub-if-variable": Case(
        '!Sub ["${Name}-repo", {Name: !If [IsProd, prod, dev]}]',
        {"Fn::Sub": ["${Name}-repo", {"Name": {"Fn::If": ["IsProd", "prod", "dev"]}}]},
        C(("prod-repo", "dev-repo"), '!Sub ["${Name}-repo", {Name: !If [IsProd, prod, dev]}]')),
    "sub-not-a-string": Case(None, {"Fn::Sub": {"Ref": "Env"}}, P("!Sub ${Env}")),
    "join-literal": Case('!Join [":", [a, b, c]]', {"Fn::Join": [":", ["a", "b", "c"]]}, "a:b:c"),
    "join-cdk-partition": Case(
        '!Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/AdministratorAccess"]]',
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"]]},
        T(("arn:", PARTITION, ":iam::aws:policy/AdministratorAccess"),
          "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess")),
    "join-novalue-item": Case('!Join [",", [a, !Ref AWS::NoValue, b]]',
                              {"Fn::Join": [",", ["a", {"Ref": "AWS::NoValue"}, "b"]]}, "a,b"),
    "join-if-item": Case('!Join ["-", [app, !If [IsProd, prod, !Ref AWS::NoValue]]]',
                         {"Fn::Join": ["-", ["app", {"Fn::If": ["IsProd", "prod", {"Ref": "AWS::NoValue"}]}]]},
                         C(("app-prod", "app"), '!Join [-, [app, !If [IsProd, prod, ${AWS::NoValue}]]]')),
    "join-list-parameter": Case('!Join [",", !Ref Subnets]', {"Fn::Join": [",", {"Ref": "Subnets"}]},
                                P('!Join [",", ${Subnets}]')),
    "join-numbers-and-booleans": Case('!Join ["", [port, 8080, true]]', {"Fn::Join": ["", ["port", 8080, True]]},
                                      "port8080true"),
    "join-nested-sub": Case('!Join ["/", [!Sub "${AWS::Region}", x]]',
                            {"Fn::Join": ["/", [{"Fn::Sub": "${AWS::Region}"}, "x"]]},
                            T((REGION, "/x"), "${AWS::Region}/x")),
    "join-mapping-item": Case('!Join ["", [a, {b: c}]]', {"Fn::Join": ["", ["a", {"b": "c"}]]},
                              P('!Join ["", [a, {b: c}]]')),
    "join-empty": Case('!Join [",", []]', {"Fn::Join": [",", []]}, ""),
    "if": Case("!If [IsProd, a, b]", {"Fn::If": ["IsProd", "a", "b"]}, C(("a", "b"), "!If [IsProd, a, b]")),
    "if-novalue": Case("!If [IsProd, a, !Ref AWS::NoValue]", {"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]},
                       C(("a", ABSENT), "!If [IsProd, a, ${AWS::NoValue}]")),
    "if-same-branches": Case("!If [IsProd, a, a]", {"Fn::If": ["IsProd", "a", "a"]}, "a"),
    "if-both-novalue": Case("!If [IsProd, !Ref AWS::NoValue, !Ref AWS::NoValue]",
                            {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"Ref": "AWS::NoValue"}]}, REMOVED),
    "if-malformed": Case("!If [IsProd, a]", {"Fn::If": ["IsProd", "a"]}, P("!If [IsProd, a]")),
    "select-literal": Case("!Select [1, [a, b, c]]", {"Fn::Select": [1, ["a", "b", "c"]]}, "b"),
    "select-string-index": Case('!Select ["2", [a, b, c]]', {"Fn::Select": ["2", ["a", "b", "c"]]}, "c"),
    "select-split": Case('!Select [0, !Split ["/", "team/app"]]',
                         {"Fn::Select": [0, {"Fn::Split": ["/", "team/app"]}]}, "team"),
    "select-getazs": Case("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                          P('!Select [0, !GetAZs ""]')),
    "select-out-of-range": Case("!Select [5, [a]]", {"Fn::Select": [5, ["a"]]}, P("!Select [5, [a]]")),
    "select-parameter-index": Case("!Select [!Ref Env, [a]]", {"Fn::Select": [{"Ref": "Env"}, ["a"]]},
                                   P("!Select [${Env}, [a]]")),
    "select-from-if": Case("!Select [0, !If [IsProd, [a], [b]]]",
                           {"Fn::Select": [0, {"Fn::If": ["IsProd", ["a"], ["b"]]}]},
                           C(("a", "b"), "!Select [0, !If [IsProd, [a], [b]]]")),
    "split-literal": Case('!Split [",", "a,b,,c"]', {"Fn::Split": [",", "a,b,,c"]}, ["a", "b", "", "c"]),
    "split-parameter": Case('!Split [",", !Ref Env]', {"Fn::Split": [",", {"Ref": "Env"}]},
                            P('!Split [",", ${Env}]')),
    "findinmap-literal": Case("!FindInMap [Accounts, prod, Id]", {"Fn::FindInMap": ["Accounts", "prod", "Id"]},
                              "111122223333"),
    "findinmap-number-key": Case('!FindInMap [Accounts, "123456789012", Name]',
                                 {"Fn::FindInMap": ["Accounts", "123456789012", "Name"]}, "tooling"),
    "findinmap-ref-key": Case("!FindInMap [Accounts, !Ref Env, Id]",
                              {"Fn::FindInMap": ["Accounts", {"Ref": "Env"}, "Id"]},
                              P("!FindInMap [Accounts, ${Env}, Id]")),
    "findinmap-missing": Case("!FindInMap [Accounts, dev, Id]", {"Fn::FindInMap": ["Accounts", "dev", "Id"]},
                              P("!FindInMap [Accounts, dev, Id]")),
    "findinmap-default": Case('!FindInMap [Accounts, dev, Id, {DefaultValue: "000000000000"}]',
                              {"Fn::FindInMap": ["Accounts", "dev", "Id", {"DefaultValue": "000000000000"}]},
                              "000000000000"),
    "importvalue": Case("!ImportValue SharedRepoArn", {"Fn::ImportValue": "SharedRepoArn"},
                        P("!ImportValue SharedRepoArn")),
    "importvalue-of-sub": Case(None, {"Fn::ImportValue": {"Fn::Sub": "${Env}-RepoArn"}},
                               P('!ImportValue !Sub "${Env}-RepoArn"')),
    "getazs": Case("!GetAZs ''", {"Fn::GetAZs": ""}, P('!GetAZs ""')),
    "base64": Case("!Base64 hello", {"Fn::Base64": "hello"}, P("!Base64 hello")),
    "cidr": Case('!Cidr ["10.0.0.0/16", 6, 5]', {"Fn::Cidr": ["10.0.0.0/16", 6, 5]}, P("!Cidr [10.0.0.0/16, 6, 5]")),
    "transform": Case("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
                      {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}},
                      P('!Transform {Name: "AWS::Include", Parameters: {Location: "s3://b/k"}}')),
    "getstackoutput": Case("!GetStackOutput {StackName: net, OutputName: RepoArn}",
                           {"Fn::GetStackOutput": {"StackName": "net", "OutputName": "RepoArn"}},
                           P("!GetStackOutput {StackName: net, OutputName: RepoArn}")),
    "length": Case(None, {"Fn::Length": ["a", "b"]}, P("!Length [a, b]")),
    "tojsonstring": Case(None, {"Fn::ToJsonString": {"a": 1}}, P("!ToJsonString {a: 1}")),
    "equals-in-a-property": Case("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}, P("!Equals [a, b]")),
    "undocumented-function": Case("!Frobnicate x", {"Fn::Frobnicate": "x"}, P("!Frobnicate x")),
    "condition-is-data": Case("!Condition IsProd", {"Condition": "IsProd"}, {"Condition": "IsProd"}),
}  # fmt: skip

FORMS = [
    pytest.param(name, form, id=f"{name}-{form}")
    for name, case in CASES.items()
    for form in ("yaml-short", "yaml-long", "json")
    if form != "yaml-short" or case.short is not None
]


@pytest.mark.parametrize(("name", "form"), FORMS)
def test_intrinsic(name: str, form: str) -> None:
    case = CASES[name]
    expression = case.short if form == "yaml-short" else json.dumps(case.long)
    assert expression is not None
    template = JSON if form == "json" else YAML
    text = template.format(expression=expression)
    read_ = read(text, json=form == "json")
    properties = read_.properties("Subject")
    if case.expected is REMOVED:
        assert "Value" not in properties
        return
    assert properties["Value"] == case.expected
    if name == "if-same-branches":  # positioned at the first branch: see below
        return
    key = '"Value": ' if form == "json" else "Value: "
    at = where(text, key + expression)
    assert read_.span("Subject", "Value") == Span(at.line, at.column + len(key), at.end_line, at.end_column)


@pytest.mark.parametrize(
    ("expression", "note"),
    [
        ("!Ref Nope", "Ref names 'Nope', which the template does not declare"),
        ("!GetAtt Env.Arn", "Fn::GetAtt names 'Env', which is no resource of the template"),
        ('!Sub "x-${Nope}"', "Fn::Sub names ${Nope}, which the template does not declare"),
        ('!Sub "${aws:username}"', ("Fn::Sub names ${aws:username}, which the template does not declare "
                                   "(an IAM policy variable is written ${!aws:username})")),
        ("!FindInMap [Accounts, dev, Id]", "Fn::FindInMap finds no Accounts/dev/Id in Mappings"),
    ],
)  # fmt: skip
def test_undeclared_names_are_noted(expression: str, note: str) -> None:
    read_ = read(YAML.format(expression=expression))
    (found,) = read_.template.notes
    assert found.message == note
    assert found.path[:4] == ("Resources", "Subject", "Properties", "Value")


@pytest.mark.parametrize("expression", ["!Ref Env", "!Ref AWS::Region", '!Sub "${Repo.Arn}-${!x}"', "!GetAtt Repo.Arn"])
def test_declared_names_make_no_note(expression: str) -> None:
    assert read(YAML.format(expression=expression)).notes() == []


LISTS = """\
Conditions:
  IsProd: !Equals [a, b]
Resources:
  Subject:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Value:
        - !Ref AWS::NoValue
        - first
        - !If [IsProd, !Ref AWS::NoValue, gone]
        - !Sub "${AWS::Region}"
      Choice: !If
        - IsProd
        - {Effect: Allow, Action: "ecr:PutImage"}
        - Effect: Deny
          Action: "ecr:*"
"""


def test_positions_after_a_removed_item_and_inside_fn_if_branches() -> None:
    read_ = read(LISTS)
    properties = read_.properties("Subject")
    assert properties["Value"] == ["first", C((ABSENT, "gone"), "!If [IsProd, ${AWS::NoValue}, gone]"), REGION]
    # Items after a removed one are found where they are written.
    assert read_.span("Subject", "Value", 0) == where(LISTS, "first")
    assert read_.span("Subject", "Value", 1) == where(LISTS, "!If [IsProd, !Ref AWS::NoValue, gone]")
    assert read_.span("Subject", "Value", 1, 1) == where(LISTS, "gone")
    assert read_.span("Subject", "Value", 2) == where(LISTS, '!Sub "${AWS::Region}"')
    # A step into a Choice is a branch: branch 0 is the Fn::If's second item.
    assert read_.span("Subject", "Choice", 0, "Action") == where(LISTS, '"ecr:PutImage"')
    assert read_.span("Subject", "Choice", 1, "Action") == where(LISTS, '"ecr:*"')
    assert read_.span("Subject", "Choice", 1, "Effect", key=True) == where(LISTS, "Effect", 2)
    assert read_.span("Subject", "Choice").line == 12


def test_an_fn_if_of_equal_branches_is_its_first_branch() -> None:
    text = YAML.format(expression="!If [IsProd, {Action: x}, {Action: x}]")
    read_ = read(text)
    assert read_.properties("Subject")["Value"] == {"Action": "x"}
    assert read_.span("Subject", "Value") == where(text, "{Action: x}")
    assert read_.span("Subject", "Value", "Action") == where(text, "x}")._replace(end_column=where(text, "x}").column + 1)


NESTED_IF = "!If [C, {inner}, x]"


def test_fn_if_nests_at_most_8_levels() -> None:
    expression = "leaf"
    for _ in range(8):
        expression = NESTED_IF.format(inner=expression)
    value = read(YAML.format(expression=expression)).properties("Subject")["Value"]
    for _ in range(8):
        assert isinstance(value, Choice)
        value = value.branches[0]
    assert value == "leaf"

    read_ = read(YAML.format(expression=NESTED_IF.format(inner=expression)))
    value = read_.properties("Subject")["Value"]
    for _ in range(8):
        value = value.branches[0]
    assert value == P("!If [C, leaf, x]")
    assert read_.notes() == ["Fn::If nested more than 8 levels deep is read as unknown"]


def test_a_string_of_many_fn_if_values_is_a_placeholder_beyond_16_branches() -> None:
    four = '!Join ["", [!If [A, a, b], !If [B, c, d], !If [C, e, f], !If [D, g, h]]]'
    value = read(YAML.format(expression=four)).properties("Subject")["Value"]
    assert isinstance(value, Choice) and len(value.branches) == 16
    assert "aceg" in value.branches and "bdfh" in value.branches
    five = four.replace("]]]", "], !If [E, i, j]]]")
    value = read(YAML.format(expression=five)).properties("Subject")["Value"]
    assert isinstance(value, Placeholder) and value.text.startswith('!Join ["", [!If [A, a, b]')
