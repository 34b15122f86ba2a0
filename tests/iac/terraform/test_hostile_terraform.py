"""Hostile Terraform input stays bounded: every shape runs in a child process killed
after `TIMEOUT_S`, whose peak memory must stay under `RSS_BOUND_MIB`, and ends in data
or in a `LoadError` at a place in the file, never in a traceback.

Measured on a loaded 2-core machine (CPython 3.11, python-hcl2 8.1.4): each case here
takes 0.1-4 s and at most ~130 MiB; the worst shapes at the 256 KiB limit
(hcl_parser.py) take ~12 s and 290 MiB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

TIMEOUT_S = 90  # generous for a loaded machine: a bounded case takes seconds
RSS_BOUND_MIB = 400

CHILD = r"""
import json, resource, sys
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError
shape = sys.argv[1]
text = eval(sys.argv[2])
result = {}
try:
    if shape == "json":
        from reglint.iac.terraform.json_syntax import load_tf_json as load
    else:
        from reglint.iac.terraform.hcl_loader import load_hcl as load
    documents = load(text, Limits())
    data = documents[0].data if documents else None
    body = data.get("resource", {}).get("t", {}).get("n", {}) if isinstance(data, dict) else {}
    value = body.get("v")
    result["value"] = repr(value)[:300]
    if type(value).__name__ == "Template":
        result["parts"] = [p if isinstance(p, str) else repr(p) for p in value.parts[:3]]
except LoadError as exc:
    result["error"] = exc.message
    result["span"] = list(exc.span)
result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(result))
"""


def run(text_expression: str, shape: str = "hcl") -> dict[str, Any]:
    """Load the text that `text_expression` builds (Python, evaluated in the child)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, shape, text_expression],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["rss_mib"] < RSS_BOUND_MIB, result
    return result


def in_resource(expression: str) -> str:
    return f"""'resource "t" "n" {{\\n  v = ' + {expression} + '\\n}}\\n'"""


NESTING = [
    ("objects", '"{a=" * 20_000 + "1" + "}" * 20_000'),
    ("lists", '"[" * 50_000 + "]" * 50_000'),
    ("parentheses", '"(" * 50_000 + "1" + ")" * 50_000'),
    ("jsonencode", '"jsonencode([" * 10_000 + "1" + "])" * 10_000'),
    ("string interpolations", '"\\"${" * 20_000 + "1" + "}\\"" * 20_000'),
    ("heredoc interpolation", '"<<EOF\\n${" + "[" * 30_000 + "]" * 30_000 + "}\\nEOF"'),
]


@pytest.mark.parametrize(("name", "expression"), NESTING, ids=[n for n, _ in NESTING])
def test_deep_nesting_is_a_load_error_at_its_place(name: str, expression: str) -> None:
    result = run(in_resource(expression))
    assert result["error"] == "nesting deeper than 200 levels"
    assert result["span"][0] in (2, 3)  # on the attribute's line (a heredoc: the next)


def test_deeply_nested_blocks() -> None:
    result = run("""'resource "t" "n" {\\n' + "b {\\n" * 30_000 + "}\\n" * 30_000 + "}\\n" """)
    assert result["error"] == "nesting deeper than 200 levels"
    assert result["span"][0] == 201  # the block that opens the 201st level


def test_deep_nesting_outside_of_any_block_is_parsed_and_freed() -> None:
    # a top-level attribute is not Terraform and is not read, but Lark's tree of
    # 60,000 levels is built and freed without overflowing the stack
    result = run('"a = " + "(" * 60_000 + "1" + ")" * 60_000 + "\\n"')
    assert result["value"] == "None"


def test_long_conditional_chains_and_traversals() -> None:
    result = run(in_resource('"var.x ? 1 : " * 20_000 + "2"'))
    assert result["value"].startswith("Choice(branches=(1, Choice(branches=(1, ")
    result = run(in_resource('"aws_iam_role.x" + ".y" * 100_000'))
    assert result["value"].startswith("Placeholder(text='aws_iam_role.x.y.y.y")
    result = run(in_resource('"1" + " + 1" * 50_000'))
    assert result["value"].startswith("Placeholder(text='1 + 1 + 1")


def test_a_file_over_the_hcl_limit_is_refused_before_parsing() -> None:
    result = run('"# " + "x" * 5_000_000 + "\\n"')
    assert result["error"].startswith(
        "Terraform file is larger than 256 KiB (5,000,003 characters)"
    )
    assert result["span"] == [1, 1, 1, 1]


def test_an_unclosed_heredoc_before_many_blank_lines_is_refused_before_parsing() -> None:
    result = run("""'resource "t" "n" {\\n  v = <<EOF\\n' + "\\n" * 200_000""")
    assert result["error"].startswith(
        "too many blank lines in a row for a file with heredocs (200,001 here)"
    )
    assert result["span"][:2] == [2, 12]


def test_many_interpolations_in_heredocs() -> None:
    simple = run(in_resource('"<<EOF\\n" + "${var.x}\\n" * 25_000 + "EOF"'))
    assert simple["value"].startswith(
        "Template(parts=(Placeholder(text='var.x'), '\\n', Placeholder("
    )
    # past 2,000 parsed interpolations in a file, the others are placeholders
    complex_ = run(in_resource(r"""'<<EOF\n' + '${"a"}\n' * 20_000 + 'EOF'"""))
    assert complex_["parts"] == ["a\n" * 2000, "Placeholder(text='\"a\"')", "\n"]


def test_json_strings_with_many_or_huge_templates() -> None:
    many = run(
        """'{"resource": {"t": {"n": {"v": [' + ",".join(['"${aws_iam_role.x.arn}"', '"${var.a + 1}"'] * 50_000) + ']}}}}'""",
        "json",
    )
    assert many["value"].startswith("[Reference(target='aws_iam_role.x', attribute='arn'")
    huge = run("""'{"resource": {"t": {"n": {"v": "${[' + "1," * 1_000_000 + '1]}"}}}}'""", "json")
    assert huge["value"] == "Placeholder(text='[" + "1," * 79 + "…')"
    blank = run(
        """'{"resource": {"t": {"n": {"v": "${<<EOF\\\\n' + "\\\\n" * 200_000 + '}"}}}}'""", "json"
    )
    assert blank["error"].startswith("too many blank lines in a row")


def test_json_syntax_file_with_deep_values_everywhere() -> None:
    body = """'{"resource": {"t": {"n": {' + ",".join(f'"a{i}": ' + "[" * 190 + '"${var.x}"' + "]" * 190 for i in range(1500)) + '}}}}'"""
    result = run(body, "json")
    assert "error" not in result
