"""Hostile CloudFormation templates (SPEC §4, §6.2): deep nesting, long `Fn::Join` lists,
`Fn::Sub` strings of many variables, `Fn::If` fan-out, huge templates. Each is read —
sniffed, parsed with short forms, evaluated, its policy documents listed — in a child
process killed after `TIMEOUT_S`; none may raise, and each must come out as documented.

Measured on 2 loaded cores (CPU seconds of the child after imports, peak RSS): at most
1.4 s and 150 MiB, but 3.9 s and 215 MiB for the 4.9 MB template of 12,000 roles (most of
it YAML parsing: the evaluation costs a third of the parse), 0.0 s for the depth cases.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TIMEOUT_S = 90  # generous for a loaded machine: the slowest case takes about 2 s
RSS_BOUND_MIB = 400

_CHILD = """\
import json, resource, sys, time
from pathlib import Path
from reglint.iac.cfn_policies import policy_documents
from reglint.iac.cfn_sniff import looks_like_template
from reglint.iac.cloudformation import read_template
from reglint.loading.decode import decode
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError
from reglint.loading.json_loader import load_json
from reglint.loading.yaml_loader import load_yaml

path = Path(sys.argv[1])
raw = path.read_bytes()
start = time.process_time()
try:
    text = decode(raw)
    if path.suffix == ".json":
        (document,) = load_json(text, Limits())
    else:
        (document,) = load_yaml(text, Limits(), short_forms=looks_like_template(raw))
    template = read_template(document.data)
    documents = [d for r in template.resources for d in policy_documents(r)]
    spans = [template.positions(r, document.positions).span(("Value",)) for r in template.resources[:3]]
    values = [repr(r.properties.get("Value"))[:300] for r in template.resources[:1]]
    result = {"resources": len(template.resources), "documents": len(documents), "values": values,
              "notes": [n.message for n in template.notes], "lines": [s.line for s in spans]}
except LoadError as error:
    result = {"error": error.message}
result["cpu"] = time.process_time() - start
result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""

HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties:\n"


def _read(tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size <= 5 * 1024 * 1024  # under reglint's default max-file-size
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"reading {name} did not finish in {TIMEOUT_S} s") from None
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out)
    print(name, f"{result['cpu']:.2f} s", f"{result['rss_mib']:.0f} MiB")
    assert result["rss_mib"] < RSS_BOUND_MIB
    return result


def _value(expression: str) -> str:
    return f"{HEAD}      Value: {expression}\n"


def test_fn_if_nested_to_the_loaders_depth_limit(tmp_path: Path) -> None:
    result = _read(tmp_path, "deep-if.yaml", _value("!If [c, " * 97 + "x" + ", y]" * 97))
    assert result["notes"] == ["Fn::If nested more than 8 levels deep is read as unknown"]
    assert result["values"][0].startswith("Choice(branches=(Choice(")
    deeper = _read(tmp_path, "deeper-if.yaml", _value("!If [c, " * 99 + "x" + ", y]" * 99))
    assert deeper == {**deeper, "error": "nesting deeper than 200 levels"}


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_lists_nested_to_the_loaders_depth_limit(tmp_path: Path, suffix: str) -> None:
    nested = "[" * 190 + "]" * 190
    text = _value(nested) if suffix == "yaml" else json.dumps(
        {"Resources": {"R": {"Type": "AWS::ECR::Repository", "Properties": {"Value": json.loads(nested)}}}}
    )
    result = _read(tmp_path, f"deep.{suffix}", text)
    assert result["notes"] == ["values nested deeper than 100 levels are read as unknown"]
    assert result["lines"] == [6 if suffix == "yaml" else 1]


def test_a_join_of_200000_items(tmp_path: Path) -> None:
    result = _read(tmp_path, "join.yaml", _value('!Join ["", [' + "a, " * 200_000 + "b]]"))
    assert result["values"] == [repr("a" * 200_000 + "b")[:300]]
    mixed = _read(tmp_path, "join-refs.yaml", _value('!Join [":", [' + "a, !Ref AWS::Region, " * 50_000 + "b]]"))
    assert mixed["values"][0].startswith("Template(parts=('a:', Placeholder(text='${AWS::Region}'), ':a:'")


def test_joins_nested_around_a_long_one(tmp_path: Path) -> None:
    inner = '!Join ["", [' + "!Ref AWS::Region, " * 50_000 + "x]]"
    expression = inner
    for _ in range(30):
        expression = f'{{"Fn::Join": ["-", [{expression}, y]]}}'
    result = _read(tmp_path, "nested-joins.yaml", _value(expression))
    assert result["values"][0].startswith("Template(parts=(Placeholder(text='${AWS::Region}'),")


def test_a_sub_of_150000_variables(tmp_path: Path) -> None:
    known = _read(tmp_path, "sub.yaml", _value('!Sub "' + "${AWS::Region}-" * 150_000 + '"'))
    assert known["notes"] == []
    assert known["values"][0].startswith("Template(parts=(Placeholder(text='${AWS::Region}'), '-',")
    unknown = _read(tmp_path, "sub-unknown.yaml", _value('!Sub "' + "".join(f"${{v{i}}}" for i in range(150_000)) + '"'))
    assert len(unknown["notes"]) == 100  # one note per name, at most 100


def test_many_fn_if_in_one_string(tmp_path: Path) -> None:
    result = _read(tmp_path, "ifs.yaml", _value('!Join ["", [' + "!If [c, a, b], " * 25_000 + "x]]"))
    assert result["values"][0].startswith("Placeholder(text='!Join")


def test_a_policy_string_nested_100000_levels(tmp_path: Path) -> None:
    text = f"{HEAD}      RepositoryPolicyText: '{'[' * 100_000}'\n"
    result = _read(tmp_path, "deep-string.yaml", text)
    assert result["documents"] == 1  # returned as the string it is: no policy, no crash


def test_a_template_of_12000_roles(tmp_path: Path) -> None:
    role = (
        "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument: {{Statement: [{{Effect: Allow, Principal: {{Service: ec2.amazonaws.com}}, "
        "Action: 'sts:AssumeRole'}}]}}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement: [{{Effect: Allow, Action: 'ecr:PutImage', Resource: !Sub 'arn:${{AWS::Partition}}:ecr:"
        "${{AWS::Region}}:${{AWS::AccountId}}:repository/r{i}'}}]\n"
    )
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + "".join(role.format(i=i) for i in range(12_000))
    result = _read(tmp_path, "roles.yaml", text)
    assert (result["resources"], result["documents"]) == (12_000, 24_000)


def test_aliases_of_intrinsics_within_the_alias_budget(tmp_path: Path) -> None:
    anchor = '!Join ["", [' + "!Ref AWS::Region, " * 1000 + "x]]"
    text = f"{HEAD}      Shared: &j {anchor}\n      Value: [{', '.join(['*j'] * 15)}]\n"
    result = _read(tmp_path, "aliases.yaml", text)
    assert result["values"][0].startswith("[Template(parts=(Placeholder(text='${AWS::Region}'),")


def test_many_lookups_in_a_large_mapping(tmp_path: Path) -> None:
    # Keys YAML reads as numbers are matched by their text: once per template, not per lookup.
    entries = "".join(f"      {100_000_000_000 + i}: {{Id: a{i}}}\n" for i in range(20_000))
    lookups = ", ".join(f"!FindInMap [M, '{100_000_000_000 + i * 7 % 20_000}', Id]" for i in range(10_000))
    misses = ", ".join("!FindInMap [M, missing, Id]" for _ in range(10_000))
    text = f"Mappings:\n  M:\n{entries}{HEAD.split(chr(10), 1)[1]}      Value: [{lookups}, {misses}]\n"
    result = _read(tmp_path, "mappings.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n" + text)
    assert result["values"][0].startswith("['a0', 'a7', 'a14', ")
    assert result["notes"] == ["Fn::FindInMap finds no M/missing/Id in Mappings"]
