"""`*.tf.json` (Terraform's JSON configuration syntax) -> the same data as a `.tf` file."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reglint.findings import Span
from reglint.iac.model import Placeholder, Reference, Template
from reglint.iac.terraform.hcl_loader import load_hcl
from reglint.iac.terraform.json_syntax import load_tf_json
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError


def data_of(value: Any) -> Any:
    [document] = load_tf_json(json.dumps(value, indent=2), Limits())
    return document.data


def test_json_and_hcl_forms_read_the_same() -> None:
    hcl = """
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.nodes.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:*", Resource = "arn:aws:ecr:${var.region}:1:repository/*" }] })
}
data "aws_iam_policy_document" "d" {
  statement {
    actions = ["ecr:GetAuthorizationToken"]
    principals {
      type        = "AWS"
      identifiers = ["${var.account}"]
    }
  }
  dynamic "statement" {
    for_each = var.x
    content {}
  }
}
locals {
  a = 1
}
variable "region" {
  default = "eu-west-1"
}
"""
    [from_hcl] = load_hcl(hcl, Limits())
    from_json = data_of(
        {
            "resource": {
                "aws_iam_role_policy": {
                    "p": {
                        "role": "${aws_iam_role.nodes.id}",
                        "policy": '${jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:*", Resource = "arn:aws:ecr:${var.region}:1:repository/*" }] })}',
                    }
                }
            },
            "data": {
                "aws_iam_policy_document": {
                    "d": {
                        "statement": {
                            "actions": ["ecr:GetAuthorizationToken"],
                            "principals": {"type": "AWS", "identifiers": ["${var.account}"]},
                        },
                        "dynamic": {"statement": {"for_each": "${var.x}", "content": {}}},
                    }
                }
            },
            "locals": {"a": 1},
            "variable": {"region": {"default": "eu-west-1"}},
        }
    )

    def without_texts(value: Any) -> Any:  # a template's text is as written: quotes differ
        if isinstance(value, Template):
            return tuple(without_texts(p) for p in value.parts)
        if isinstance(value, dict):
            return {k: without_texts(v) for k, v in value.items()}
        if isinstance(value, list):
            return [without_texts(v) for v in value]
        return value

    assert without_texts(from_json) == without_texts(from_hcl.data)


def test_comments_arrays_of_label_objects_and_repeated_blocks() -> None:
    data = data_of(
        {
            "//": "top comment",
            "resource": [
                {"aws_iam_policy": {"a": {"//": "note", "name": "a"}}},
                {"aws_iam_policy": {"b": {"name": "b"}}},
            ],
            "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]},
            "terraform": {"required_version": ">= 1.5"},
            "locals": [{"x": 1}, {"y": "${local.x}"}],
        }
    )
    assert data == {
        "resource": {"aws_iam_policy": {"a": {"name": "a"}, "b": {"name": "b"}}},
        "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]},
        "terraform": [{"required_version": ">= 1.5"}],
        "locals": {"x": 1, "y": Reference("local.x", "", "local.x")},
    }


def test_templates_in_strings_and_keys() -> None:
    body = data_of(
        {
            "resource": {
                "t": {
                    "n": {
                        "escaped": "$${literal}",
                        "plain": "no template",
                        "tmpl": "x-${var.env}",
                        "braces": '${jsonencode({ a = "}", b = "${var.x}" })}',
                        "directive": "%{ if var.x }a%{ endif }",
                        "keys": {"${var.k}": 1, "aws:PrincipalOrgID": "o-1"},
                        "number": 1.5,
                        "nothing": None,
                    }
                }
            }
        }
    )["resource"]["t"]["n"]
    assert body == {
        "escaped": "${literal}",
        "plain": "no template",
        "tmpl": Template(("x-", Placeholder("var.env")), "x-${var.env}"),
        "braces": {"a": "}", "b": Placeholder("var.x")},
        "directive": Placeholder("%{ if var.x }a%{ endif }"),
        "keys": {Placeholder("var.k"): 1, "aws:PrincipalOrgID": "o-1"},
        "number": 1.5,
        "nothing": None,
    }


def test_positions_are_the_json_values_and_strings() -> None:
    text = '{\n  "resource": {\n    "aws_iam_policy": {\n      "p": {\n        "policy": "${jsonencode({ Statement = [] })}",\n        "tags": {"team": "ml"}\n      }\n    }\n  }\n}\n'
    [document] = load_tf_json(text, Limits())
    base = ("resource", "aws_iam_policy", "p")
    assert document.positions.span(base, on_key=True) == Span(4, 7, 4, 10)
    assert document.positions.span((*base, "policy")) == Span(5, 19, 5, 54)
    assert document.positions.span((*base, "policy", "Statement")) == Span(
        5, 19, 5, 54
    )  # inside a string
    assert document.positions.span((*base, "tags", "team")) == Span(6, 26, 6, 30)


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ('["not", "an object"]', "a Terraform JSON file holds one object", Span(1, 1, 1, 21)),
        (
            '{"resource": {"t": {"n": {"v": "${var.x"}}}}',
            "a template interpolation `${` is never closed",
            Span(1, 32, 1, 41),
        ),
        (
            '{"resource": {"t": {"n": {"v": "${var.x +}"}}}}',
            "HCL syntax error: `}` is not expected here",
            Span(1, 32, 1, 44),
        ),
        ('{"resource": {,}}', "Expecting property name", Span(1, 15, 1, 16)),
    ],
)
def test_errors(text: str, message: str, span: Span) -> None:
    with pytest.raises(LoadError) as caught:
        load_tf_json(text, Limits())
    assert message in caught.value.message
    assert caught.value.span == span


def test_blank_file() -> None:
    assert load_tf_json("  \n", Limits()) == []
