"""Policy documents written as JSON strings (literal, `Fn::Sub`, `Fn::Join`), as `Fn::If`
branches, or unknown until deployed (SPEC §6.2: "a policy document may be an object or
a JSON string")."""

from __future__ import annotations

import json

from iac.cfn_reading import read, where

from reglint.findings import Span
from reglint.iac.model import Placeholder, Template
from reglint.loading.document import PolicyType

ACCOUNT, ENV = Placeholder("${AWS::AccountId}"), Placeholder("${Env}")

BLOCK = """\
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryPolicyText: |
        {
          "Version": "2012-10-17",
          "Statement": [{"Sid": "Pull", "Effect": "Allow",
                         "Principal": {"Service": "codebuild.amazonaws.com"},
                         "Action": ["ecr:BatchGetImage"]}]
        }
"""


def test_a_literal_json_string_is_parsed_and_positioned_at_the_string() -> None:
    read_ = read(BLOCK)
    (document,) = read_.policies("Repo")
    assert document.policy_type is PolicyType.ECR_REPOSITORY
    assert document.data["Statement"][0]["Action"] == ["ecr:BatchGetImage"]
    text = read_.properties("Repo")["RepositoryPolicyText"]
    assert isinstance(text, str)  # the properties keep the string as written
    assert document.text_length == len(text) == text.count("\n") + len("".join(text.split("\n")))
    string = read_.span("Repo", "RepositoryPolicyText")
    assert string.line == 5 and string.column == 29
    assert read_.policy_span("Repo", document, "Statement", 0, "Action", 0) == string


def test_a_json_string_in_a_json_template() -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}]}
    string = json.dumps(json.dumps(policy))
    text = (
        '{"Resources": {"Push": {"Type": "AWS::IAM::ManagedPolicy",\n'
        f'  "Properties": {{"PolicyDocument": {string}}}}}}}}}\n'
    )
    read_ = read(text, json=True)
    (document,) = read_.policies("Push")
    assert document.data == policy
    assert document.text_length == len(json.dumps(policy))
    assert read_.policy_span("Push", document, "Statement", 0, "Action") == where(text, string)


SUB = """\
Parameters:
  Env: {Type: String}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryPolicyText: !Sub |
        {"Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${AWS::AccountId}:root"},
          "Action": "ecr:PutImage",
          "Condition": {"StringEquals": {"aws:PrincipalTag/${Env}": "${!aws:username}"}}}]}
"""


def test_a_json_string_built_by_fn_sub_keeps_its_unknown_values() -> None:
    read_ = read(SUB)
    (document,) = read_.policies("Repo")
    statement = document.data["Statement"][0]
    assert statement["Principal"]["AWS"] == Template(("arn:aws:iam::", ACCOUNT, ":root"),
                                                     "arn:aws:iam::${AWS::AccountId}:root")  # fmt: skip
    # A key is the text it is written as; an escaped policy variable is literal text.
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalTag/${Env}": "${aws:username}"}}
    assert document.text_length is None  # unknown until the values are
    at = read_.span("Repo", "RepositoryPolicyText")
    assert at.line == 7 and at.column == 29
    assert read_.policy_span("Repo", document, "Statement", 0, "Principal", "AWS") == at


CDK_JOIN = {
    "Resources": {
        "Repo": {
            "Type": "AWS::ECR::Repository",
            "Properties": {
                "RepositoryPolicyText": {
                    "Fn::Join": ["", [
                        '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:',
                        {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"},
                        ':root"},"Action":["ecr:PutImage","ecr:UploadLayerPart"]}]}',
                    ]]
                }
            },
        }
    }
}  # fmt: skip


def test_a_json_string_built_by_fn_join() -> None:
    read_ = read(json.dumps(CDK_JOIN, indent=1), json=True)
    (document,) = read_.policies("Repo")
    statement = document.data["Statement"][0]
    assert statement["Action"] == ["ecr:PutImage", "ecr:UploadLayerPart"]
    assert statement["Principal"]["AWS"] == Template(
        ("arn:", Placeholder("${AWS::Partition}"), ":iam::", ACCOUNT, ":root"),
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
    )


UNREADABLE = """\
Parameters:
  Statements: {{Type: String}}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryPolicyText: {value}
"""


def test_strings_that_are_no_policy_are_returned_as_they_are() -> None:
    for value, expected in [
        ("'{\"Statement\": ${Statements}}'", None),  # an unknown value outside a string
        ("'{\"Statement\": [}'", '{"Statement": [}'),  # not JSON
        ("'{\"Statement\": [], \"Version\": NaN}'", '{"Statement": [], "Version": NaN}'),  # NaN
        ("'[1, 2]'", "[1, 2]"),  # JSON, but no object
        ("'\uE0000\uE001'", "\ue0000\ue001"),  # the markers reglint uses
        (json.dumps("[" * 150 + "]" * 150), "[" * 150 + "]" * 150),  # deeper than 100 levels
    ]:
        tagged = f"!Sub {value}" if expected is None else value
        (document,) = read(UNREADABLE.format(value=tagged)).policies("Repo")
        if expected is None:
            assert isinstance(document.data, Template)
        else:
            assert document.data == expected
            assert document.text_length == len(expected)


CHOICES = """\
Conditions:
  IsProd: !Equals [a, b]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !ImportValue SharedTrust
      Policies:
        - !If
          - IsProd
          - PolicyName: prod
            PolicyDocument:
              Statement: [{Effect: Allow, Action: "ecr:PutImage", Resource: "*"}]
          - !Ref AWS::NoValue
        - PolicyName: both
          PolicyDocument: !If
            - IsProd
            - Statement: [{Effect: Allow, Action: "ecr:BatchGetImage", Resource: "*"}]
            - !Sub '{"Statement": [{"Effect": "Deny", "Action": "ecr:*", "Resource": "${AWS::Region}"}]}'
"""


def test_each_fn_if_branch_is_a_document_of_its_own() -> None:
    read_ = read(CHOICES)
    documents = read_.policies("Role")
    assert [(d.path, d.policy_type) for d in documents] == [
        (("AssumeRolePolicyDocument",), PolicyType.TRUST),
        (("Policies", 0, 0, "PolicyDocument"), PolicyType.IDENTITY),
        (("Policies", 1, "PolicyDocument", 0), PolicyType.IDENTITY),
        (("Policies", 1, "PolicyDocument", 1), PolicyType.IDENTITY),
    ]
    trust, prod, both_prod, both_other = documents
    assert trust.data == Placeholder("!ImportValue SharedTrust")  # unknown as a whole
    assert prod.data["Statement"][0]["Action"] == "ecr:PutImage"
    assert both_prod.data["Statement"][0]["Action"] == "ecr:BatchGetImage"
    assert both_other.data["Statement"][0] == {"Effect": "Deny", "Action": "ecr:*",
                                               "Resource": Placeholder("${AWS::Region}")}  # fmt: skip
    assert read_.policy_span("Role", prod, "Statement", 0, "Action") == where(CHOICES, '"ecr:PutImage"')
    assert read_.policy_span("Role", both_prod, "Statement", 0, "Action") == where(CHOICES, '"ecr:BatchGetImage"')
    sub = where(CHOICES, "!Sub '{")
    assert read_.policy_span("Role", both_other, "Statement", 0, "Action") == Span(
        sub.line, sub.column, sub.line, len(CHOICES.splitlines()[sub.line - 1]) + 1
    )
