"""Every HCL expression form -> the value reglint reads, and the position of that value.

Each case is one attribute `v = EXPR` in a resource body; the value is read at
`("resource", "t", "n", "v")` of the file's document.
"""

from __future__ import annotations

from typing import Any

import pytest

from reglint.findings import Span
from reglint.iac.model import Choice, FileContent, Placeholder, Reference, Template
from reglint.iac.terraform.hcl_expressions import JsonEncodedLocal
from reglint.iac.terraform.hcl_loader import load_hcl
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.errors import LoadError

PATH = ("resource", "t", "n", "v")


def read(expression: str) -> tuple[Any, ParsedDocument]:
    [document] = load_hcl(f'resource "t" "n" {{\n  v = {expression}\n}}\n', Limits())
    return document.data["resource"]["t"]["n"]["v"], document


def ph(text: str) -> Placeholder:
    return Placeholder(text)


CASES: list[tuple[str, Any]] = [
    # literals
    ('"text"', "text"),
    ("12", 12),
    ("-3", -3),
    ("1.5", 1.5),
    ("1e3", 1000.0),
    ("true", True),
    ("false", False),
    ("null", None),
    ('["a", 1, true]', ["a", 1, True]),
    ("[]", []),
    (
        '{ Version = "2012-10-17", "Sid" = "x", 3 = "n" }',
        {"Version": "2012-10-17", "Sid": "x", "3": "n"},
    ),
    ('{ Effect: "Allow" }', {"Effect": "Allow"}),
    (r'"a\nb\"c\\d\u00e9\U0001F600\t"', 'a\nb"c\\d\u00e9\U0001f600\t'),
    ('"$${literal} and %%{ also }"', "${literal} and %{ also }"),
    # templates
    ('"x-${var.env}"', Template(("x-", ph("var.env")), '"x-${var.env}"')),
    ('"${var.x}"', ph("var.x")),
    (
        '"${aws_ecr_repository.x.arn}/*"',
        Template(
            (Reference("aws_ecr_repository.x", "arn", "aws_ecr_repository.x.arn"), "/*"),
            '"${aws_ecr_repository.x.arn}/*"',
        ),
    ),
    ('"n=${1}, b=${true}, s=${"q"}"', "n=1, b=true, s=q"),
    ('"${jsonencode({ a = 1 })}"', {"a": 1}),
    (
        '"a${var.x ? "b" : "c"}"',
        Template(("a", ph('var.x ? "b" : "c"')), '"a${var.x ? "b" : "c"}"'),
    ),
    ('"%{ if var.x }a%{ endif }"', ph('"%{ if var.x }a%{ endif }"')),
    # references to resources and data sources
    ("aws_iam_role.nodes.arn", Reference("aws_iam_role.nodes", "arn", "aws_iam_role.nodes.arn")),
    ("aws_iam_role.nodes", Reference("aws_iam_role.nodes", "", "aws_iam_role.nodes")),
    (
        "aws_iam_role.this[0].name",
        Reference("aws_iam_role.this", "name", "aws_iam_role.this[0].name"),
    ),
    (
        'aws_iam_role.this["a"].name',
        Reference("aws_iam_role.this", "name", 'aws_iam_role.this["a"].name'),
    ),
    (
        "aws_iam_role.this[count.index].name",
        Reference("aws_iam_role.this", "name", "aws_iam_role.this[count.index].name"),
    ),
    (
        "aws_iam_role.this.inline_policy[0].name",
        Reference(
            "aws_iam_role.this", "inline_policy[0].name", "aws_iam_role.this.inline_policy[0].name"
        ),
    ),
    ("aws_iam_role.this.tags[var.k]", ph("aws_iam_role.this.tags[var.k]")),
    (
        "data.aws_iam_policy_document.x.json",
        Reference("data.aws_iam_policy_document.x", "json", "data.aws_iam_policy_document.x.json"),
    ),
    (
        "data.aws_iam_policy_document.x[0].json",
        Reference(
            "data.aws_iam_policy_document.x", "json", "data.aws_iam_policy_document.x[0].json"
        ),
    ),
    (
        "data.aws_iam_policy.admin.arn",
        Reference("data.aws_iam_policy.admin", "arn", "data.aws_iam_policy.admin.arn"),
    ),
    # values only a deployment knows
    (
        "data.aws_caller_identity.current.account_id",
        ph("data.aws_caller_identity.current.account_id"),
    ),
    ("data.aws_partition.current[0].partition", ph("data.aws_partition.current[0].partition")),
    ("data.aws_region.current.name", ph("data.aws_region.current.name")),
    ("var.account_id", ph("var.account_id")),
    ("var.tags.team", ph("var.tags.team")),
    ("module.eks.cluster_arn", ph("module.eks.cluster_arn")),
    ("each.value", ph("each.value")),
    ("count.index", ph("count.index")),
    ("path.module", ph("path.module")),
    ("terraform.workspace", ph("terraform.workspace")),
    ("string", ph("string")),
    ("(var.x)", ph("var.x")),
    # locals: references that the module step folds
    ("local.policy", Reference("local.policy", "", "local.policy")),
    ('local.m.a[0]["k"]', Reference("local.m", 'a[0]["k"]', 'local.m.a[0]["k"]')),
    # conditionals
    ('var.x ? "a" : "b"', Choice(("a", "b"), 'var.x ? "a" : "b"')),
    ('true ? "a" : "b"', "a"),
    ('false ? "a" : "b"', "b"),
    # functions
    ('jsonencode({ Version = "2012-10-17" })', {"Version": "2012-10-17"}),
    ('jsonencode([{ Effect = "Deny" }])', [{"Effect": "Deny"}]),
    ("jsonencode(local.p)", JsonEncodedLocal("local.p", "", "jsonencode(local.p)")),
    ("jsonencode(var.p)", ph("jsonencode(var.p)")),
    ('jsonencode("a")', ph('jsonencode("a")')),
    ('file("policy.json")', FileContent("policy.json", False, 'file("policy.json")')),
    (
        'file("${path.module}/policies/push.json")',
        FileContent("policies/push.json", False, 'file("${path.module}/policies/push.json")'),
    ),
    (
        'file("./policies/../push.json")',
        FileContent("push.json", False, 'file("./policies/../push.json")'),
    ),
    (
        'templatefile("${path.module}/p.json.tpl", { a = 1 })',
        FileContent("p.json.tpl", True, 'templatefile("${path.module}/p.json.tpl", { a = 1 })'),
    ),
    # Paths out of the folder are kept: the caller confines them to the project root.
    ('file("../shared/x.json")', FileContent("../shared/x.json", False, 'file("../shared/x.json")')),
    ('file("/etc/passwd")', FileContent("/etc/passwd", False, 'file("/etc/passwd")')),
    ('file("${path.module}/..")', ph('file("${path.module}/..")')),
    ("file(var.p)", ph("file(var.p)")),
    ('file("${path.root}/x.json")', ph('file("${path.root}/x.json")')),
    ('concat(var.a, ["x"])', ph('concat(var.a, ["x"])')),
    (
        'provider::aws::arn_build("aws", "iam", "", "1", "role/x")',
        ph('provider::aws::arn_build("aws", "iam", "", "1", "role/x")'),
    ),
    ("jsonencode(var.a...)", ph("jsonencode(var.a...)")),
    # operators, for expressions, splats
    ("1 + 2", ph("1 + 2")),
    ("!var.x", ph("!var.x")),
    ("-var.x", ph("-var.x")),
    ("[for s in var.l : upper(s)]", ph("[for s in var.l : upper(s)]")),
    ("{ for k, v in var.m : k => v }", ph("{ for k, v in var.m : k => v }")),
    ("aws_iam_role.x[*].arn", ph("aws_iam_role.x[*].arn")),
    ("aws_iam_role.x.*.arn", ph("aws_iam_role.x.*.arn")),
    ('split(",", var.x)[0]', ph('split(",", var.x)[0]')),
]


@pytest.mark.parametrize(("expression", "expected"), CASES, ids=[case[0] for case in CASES])
def test_expression_value(expression: str, expected: Any) -> None:
    value, _ = read(expression)
    assert value == expected
    assert type(value) is type(expected)


def test_heredoc_json_with_interpolations() -> None:
    value, _ = read(
        '<<EOF\n{\n  "Resource": "arn:aws:ecr:${var.region}:${data.aws_caller_identity.c.account_id}:repository/x"\n}\nEOF'
    )
    assert value == Template(
        (
            '{\n  "Resource": "arn:aws:ecr:',
            ph("var.region"),
            ":",
            ph("data.aws_caller_identity.c.account_id"),
            ':repository/x"\n}\n',
        ),
        value.text,
    )


def test_heredoc_without_interpolation_is_its_text() -> None:
    value, _ = read('<<POLICY\n{\n  "Version": "2012-10-17"\n}\nPOLICY')
    assert value == '{\n  "Version": "2012-10-17"\n}\n'


def test_flush_heredoc_drops_the_common_indentation_but_keeps_blank_lines() -> None:
    value, _ = read('<<-EOT\n    {\n\n      "a": "${var.x}"\n    }\n    EOT')
    assert value == Template(('{\n\n  "a": "', ph("var.x"), '"\n}\n'), value.text)


def test_heredoc_escapes_and_directives() -> None:
    assert read("<<EOF\n$${not} %%{ not }\nEOF")[0] == "${not} %{ not }\n"
    assert read("<<EOF\n%{ for x in var.l }${x}%{ endfor }\nEOF")[0] == ph(
        "%{ for x in var.l }${x}%{ endfor }"
    )


def test_heredoc_interpolation_with_braces_and_strings_inside() -> None:
    value, _ = read('<<EOF\n${jsonencode({ a = "}", b = "${var.x}" })}\nEOF')
    # found whole despite the `}` in a string; an object cannot be part of a string
    assert value == Template((ph('jsonencode({ a = "}", b = "${var.x}" })'), "\n"), value.text)


def test_duplicate_object_key_is_recorded_and_the_last_wins() -> None:
    value, document = read("{\n    a = 1\n    a = 2\n  }")
    assert value == {"a": 2}
    [duplicate] = document.duplicates
    assert (duplicate.key, duplicate.span, duplicate.first) == (
        "a",
        Span(4, 5, 4, 6),
        Span(3, 5, 3, 6),
    )


def test_unresolved_object_keys_stay_as_keys() -> None:
    value, _ = read('{ "${var.k}" = 1, (local.k) = 2 }')
    assert value == {ph("var.k"): 1, Reference("local.k", "", "local.k"): 2}


def test_conditionals_nest_at_most_eight_levels() -> None:
    expression = " : ".join(f"var.c{i} ? {i}" for i in range(10)) + " : 99"
    value, _ = read(expression)
    depth = 0
    while isinstance(value, Choice):
        depth += 1
        value = value.branches[1]
    assert depth == 8
    assert value == ph("var.c8 ? 8 : var.c9 ? 9 : 99")


def test_placeholder_text_is_one_line_and_bounded() -> None:
    value, _ = read("concat(\n    var.a,\n    [" + ", ".join(f'"{i}"' for i in range(100)) + "])")
    assert "\n" not in value.text and len(value.text) == 160 and value.text.endswith("…")


POSITIONS: list[tuple[str, tuple[Any, ...], Span]] = [
    # `  v = ` puts the expression at line 2, column 7
    ('"text"', (), Span(2, 7, 2, 13)),
    ("aws_iam_role.nodes.arn # a comment", (), Span(2, 7, 2, 29)),
    ("var.a + var.b # a comment", (), Span(2, 7, 2, 20)),
    ('["a", "b"]', (1,), Span(2, 13, 2, 16)),
    ('{ Action = ["ecr:PutImage"] }', ("Action", 0), Span(2, 19, 2, 33)),
    (
        'jsonencode({\n    Statement = [{ Effect = "Allow" }]\n  })',
        ("Statement", 0, "Effect"),
        Span(3, 29, 3, 36),
    ),
    ('jsonencode({\n    Statement = [{ Effect = "Allow" }]\n  })', (), Span(2, 18, 4, 4)),
    ('var.x ? "a" : "bb"', (1,), Span(2, 21, 2, 25)),
    ('var.x ? "a" : "bb"', (), Span(2, 7, 2, 25)),
    ("<<EOF\nabc\nEOF", (), Span(2, 7, 4, 4)),
    ('"é€${var.x}"', (), Span(2, 7, 2, 19)),
    ('"\U0001f600" # the column counts characters', (), Span(2, 7, 2, 10)),
]


@pytest.mark.parametrize(
    ("expression", "inner", "span"), POSITIONS, ids=[f"{c[0]}{c[1]}" for c in POSITIONS]
)
def test_value_position(expression: str, inner: tuple[Any, ...], span: Span) -> None:
    _, document = read(expression)
    assert document.positions.span(PATH + inner) == span


def test_key_positions() -> None:
    _, document = read('{\n    "Statement" = []\n  }')
    assert document.positions.span(PATH, on_key=True) == Span(2, 3, 2, 4)
    assert document.positions.span((*PATH, "Statement"), on_key=True) == Span(3, 5, 3, 16)


def test_tabs_count_as_one_column() -> None:
    [document] = load_hcl('resource "t" "n" {\n\tv\t=\t"x"\n}\n', Limits())
    assert document.positions.span(PATH) == Span(2, 6, 2, 9)


@pytest.mark.parametrize(
    ("expression", "message", "span"),
    [
        (r'"bad \q escape"', "invalid escape sequence in a string", Span(2, 12, 2, 14)),
        (r'"\uD800"', "invalid escape sequence in a string", Span(2, 8, 2, 10)),
        ("<<EOF\n${var.x\nEOF", "a template interpolation `${` is never closed", Span(3, 1, 3, 3)),
        ("1" * 5000, "a number in the file has too many digits", Span(2, 7, 2, 5007)),
    ],
)
def test_bad_values_are_load_errors_at_their_place(
    expression: str, message: str, span: Span
) -> None:
    with pytest.raises(LoadError) as caught:
        read(expression)
    assert message in caught.value.message
    assert caught.value.span == span


def test_syntax_error_inside_a_heredoc_interpolation_is_placed_in_the_file() -> None:
    with pytest.raises(LoadError) as caught:
        read("<<EOF\nab ${var.x +}\nEOF")
    assert caught.value.message.startswith("HCL syntax error: `}` is not expected here")
    assert caught.value.span == Span(3, 13, 3, 14)


TRAVERSALS = [
    "var.x",
    " var.x ",
    "aws_iam_role.nodes.arn",
    "aws_iam_role.this[0].name",
    'aws_iam_role.this["a-b"].name',
    "data.aws_iam_policy_document.x[0].json",
    "data.aws_caller_identity.current.account_id",
    'local.m.a[0]["k"]',
    "path.module",
    "module.eks.arn",
    "each.value",
]


@pytest.mark.parametrize("text", TRAVERSALS)
def test_simple_traversals_read_without_a_parse_as_with_one(text: str) -> None:
    from reglint.iac.terraform.hcl_references import simple_traversal

    assert simple_traversal(text) == read(text)[0]
    value, _ = read(f"<<EOF\n${{{text}}}\nEOF")
    assert value == Template((read(text)[0], "\n"), value.text)


def test_traversals_longer_than_64_steps_are_placeholders() -> None:
    value, _ = read("aws_iam_role.x" + ".y" * 64)
    assert isinstance(value, Placeholder)
    value, _ = read("aws_iam_role.x" + ".y" * 63)
    assert value == Reference("aws_iam_role.x", ".".join(["y"] * 63), value.text)
