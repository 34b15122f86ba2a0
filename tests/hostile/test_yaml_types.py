"""YAML's type system as an attack surface (SPEC §4): every kind of tag, including the
`!!python/*` tags that PyYAML's unsafe loader would execute, `!!binary`, `!!timestamp`,
`!!set`, `!!omap`/`!!pairs`, merge keys, non-string keys and huge numbers.

Safe loading means no tag constructs a Python object: a `!!python/object/apply` tag is
dropped and its node read as plain data, which then fails the schema (RL002). Each case
is one manifest beside the good one, through every output format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from helpers import MANIFEST
from hostile.cli_formats import Seen, assert_reported, check_every_format
from hostile.project_tree import good_finding, make_project

# Another service of the good manifest's system: no cross-file finding between them.
CASE = MANIFEST.replace("name: docker-registry", "name: case-registry")
NAME = "name: case-registry"  # line 4, the value at column 9
LIMITS = 'limits: {cpu: "1", memory: 1Gi}'  # line 17
MARKER = "PWNED"  # a file the python tags would create if anything ran them


class Case(NamedTuple):
    text: str
    expected: list[tuple[str, int, str]]  # (rule, line, words of the message)


def _name(value: str) -> str:
    return CASE.replace(NAME, f"name: {value}")


def _cases(marker: Path) -> dict[str, Case]:
    shell = f"touch {marker}"
    is_a = "metadata.name must be a string, but it is a"
    return {
        "python-object-apply-os-system": Case(
            _name(f"!!python/object/apply:os.system [{shell!r}]"), [("RL002", 4, is_a + " list")]
        ),
        "python-object-apply-open": Case(
            _name(f"!!python/object/apply:builtins.open ['{marker}', 'w']"),
            [("RL002", 4, is_a + " list")],
        ),
        "python-object-apply-block": Case(
            CASE
            + f"run: !!python/object/apply:subprocess.check_call\n  args: [[sh, -c, {shell!r}]]\n",
            [("RL002", 18, "unknown key 'run' in the manifest")],
        ),
        "python-object-new": Case(
            _name(f"!!python/object/new:subprocess.Popen [[sh, -c, {shell!r}]]"),
            [("RL002", 4, is_a + " list")],
        ),
        "python-object": Case(
            _name("!!python/object:subprocess.Popen {args: [sh]}"),
            [("RL002", 4, is_a + " mapping")],
        ),
        "python-name": Case(_name("!!python/name:os.system"), [("RL002", 4, "empty (null)")]),
        "python-module": Case(_name("!!python/module:os"), [("RL002", 4, "empty (null)")]),
        "local-tag": Case(_name("!Ref case-registry"), []),
        "verbatim-tag": Case(_name("!<tag:yaml.org,2002:str> case-registry"), []),
        "tag-directive": Case(
            "%TAG !e! tag:example.com,2000:\n---\n" + _name("!e!thing case-registry"), []
        ),
        "str-tag-on-mapping": Case(CASE.replace("metadata:", "metadata: !!str"), []),
        "binary": Case(
            _name("!!binary aGVsbG8="), [("RL002", 4, "read as binary data (!!binary)")]
        ),
        "timestamp-implicit": Case(_name("2024-01-01"), [("RL002", 4, "read as a date; quote it")]),
        "timestamp-tag": Case(
            _name("!!timestamp 2024-01-01T10:00:00Z"), [("RL002", 4, "read as a timestamp")]
        ),
        "timestamp-invalid": Case(
            _name("!!timestamp 2023-02-30"), [("RL001", 4, "value is not a valid !!timestamp")]
        ),
        "int-tag-invalid": Case(_name("!!int abc"), [("RL001", 4, "value is not a valid !!int")]),
        "float-tag": Case(_name("!!float 1e3"), [("RL002", 4, "read as the number 1000.0")]),
        "null-tag": Case(_name("!!null ''"), [("RL002", 4, "empty (null)")]),
        "bool-implicit": Case(
            CASE.replace("system: ml-prod", "system: no"),
            [("RL002", 5, "read as the boolean false")],
        ),
        "set": Case(
            CASE.replace(
                "  iamPolicies:\n    - iam/push.json", "  iamPolicies: !!set\n    ? iam/push.json"
            ),
            [("RL002", 13, "read as a set (!!set)"), ("RL108", 8, "lists no spec.iamPolicies")],
        ),
        "omap": Case(
            CASE.replace("    - iam/push.json", "    - a: iam/push.json").replace(
                "iamPolicies:", "iamPolicies: !!omap"
            ),
            [
                ("RL002", 14, "spec.iamPolicies[0] must be a string"),
                ("RL108", 13, "lists no spec.iamPolicies"),
            ],
        ),
        "merge-key": Case(
            CASE.replace(
                "requests: {cpu: 250m, memory: 256Mi}",
                "requests: {<<: {cpu: 2, memory: 2Gi}, cpu: 250m}",
            ),
            [("RL107", 16, "memory request '2Gi' is above its limit '1Gi'")],
        ),
        "merge-key-list": Case(
            CASE.replace(
                "requests: {cpu: 250m, memory: 256Mi}",
                "requests: {<<: [{cpu: 250m}, {memory: 256Mi}]}",
            ),
            [],
        ),
        "merge-key-anchored": Case(
            "x-defaults: &defaults {cpu: 250m, memory: 256Mi}\n"
            + CASE.replace("requests: {cpu: 250m, memory: 256Mi}", "requests: {<<: *defaults}"),
            [("RL002", 1, "unknown key 'x-defaults'")],
        ),
        "merge-key-scalar": Case(
            CASE.replace("requests: {cpu: 250m, memory: 256Mi}", "requests: {<<: 5}"),
            [("RL001", 16, "a merge key `<<` needs a mapping or a list of mappings")],
        ),
        "non-string-keys": Case(
            CASE.replace(
                "metadata:\n", "metadata:\n  7: a\n  null: b\n  3.5: c\n  2024-01-01: d\n"
            ),
            [
                ("RL002", 4, "unknown key 7 in metadata (was read as the number 7)"),
                ("RL002", 5, "unknown key null in metadata (was read as null)"),
                ("RL002", 6, "unknown key 3.5 in metadata (was read as the number 3.5)"),
                ("RL002", 7, "unknown key 2024-01-01 in metadata (was read as a date)"),
            ],
        ),
        # YAML keys compare by tag and value: `7` and `true` are two keys (one entry in
        # the data, as with PyYAML), `null` and `~` are one key written twice.
        "int-and-bool-keys": Case(
            CASE.replace("metadata:\n", "metadata:\n  1: a\n  true: b\n"),
            [("RL002", 4, "unknown key 1 in metadata (was read as the number 1)")],
        ),
        "null-and-tilde-keys": Case(
            CASE.replace("metadata:\n", "metadata:\n  null: a\n  ~: b\n"),
            [
                ("RL003", 5, "duplicate key null (first at line 4, column 3)"),
                ("RL002", 5, "unknown key null in metadata (was read as null)"),
            ],
        ),
        "sequence-key": Case(
            CASE.replace("metadata:\n", "metadata:\n  ? [a, b]\n  : c\n"),
            [("RL001", 4, "a mapping or sequence cannot be used as a mapping key")],
        ),
        "mapping-key": Case(
            CASE.replace("metadata:\n", "metadata:\n  {a: 1}: c\n"),
            [("RL001", 4, "a mapping or sequence cannot be used as a mapping key")],
        ),
        "int-of-5000-digits": Case(
            CASE.replace(LIMITS, "limits: {cpu: " + "9" * 5000 + ", memory: 1Gi}"),
            [("RL001", 17, "value is not a valid !!int")],
        ),
        "int-of-4000-digits": Case(
            CASE.replace(LIMITS, "limits: {cpu: " + "9" * 4000 + ", memory: 1Gi}"),
            [("RL107", 17, "a number of more than 64 digits: Kubernetes reads it, but reglint does not")],
        ),
        "hex-int-of-3000-digits": Case(
            CASE.replace(LIMITS, "limits: {cpu: 0x" + "f" * 3000 + ", memory: 1Gi}"),
            [("RL107", 17, "a number of more than 64 digits")],
        ),
        # Base 16 escapes CPython's 4,300-digit limit on int(): YAML builds the int, and
        # its decimal text would be too long to make.
        "hex-int-of-5000-decimal-digits": Case(
            CASE.replace(LIMITS, "limits: {cpu: 0x" + "f" * 4200 + ", memory: 1Gi}"),
            [("RL107", 17, "likely typo in cpu limit: a number of more than 64 digits: Kubernetes reads it")],
        ),
        "quantity-exponent": Case(
            CASE.replace(LIMITS, 'limits: {cpu: "1e999999999", memory: 1Gi}'),
            [("RL107", 17, "has an exponent beyond ±64")],
        ),
        "infinity-and-nan": Case(
            CASE.replace(LIMITS, "limits: {cpu: .nan, memory: 1.0e+400}"),
            [
                ("RL002", 17, "read as the special number .inf or .nan"),
                ("RL107", 17, "a float is not a quantity"),
                ("RL002", 17, "read as the special number .inf or .nan"),
                ("RL107", 17, "a float is not a quantity"),
            ],
        ),
        "sexagesimal": Case(CASE.replace(LIMITS, "limits: {cpu: 190:20:30, memory: 1Gi}"), []),
    }


CASE_IDS = list(_cases(Path("marker")))


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_yaml_types_and_tags(case_id: str, run_cli: Any, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    case = _cases(marker)[case_id]
    make_project(tmp_path, {"case.yaml": case.text})
    runs = check_every_format(run_cli, tmp_path, "--ignore", "RL2", ".")
    expected = [good_finding(), *(Seen(rule, "case.yaml", line) for rule, line, _ in case.expected)]
    assert_reported(runs, expected, code=1)
    found = [
        (f["rule"], f["line"], f["message"])
        for f in json.loads(runs["json"].out)["findings"]
        if f["path"] == "case.yaml"
    ]
    for rule, line, words in case.expected:
        match = next(item for item in found if item[:2] == (rule, line) and words in item[2])
        found.remove(match)
    assert not marker.exists(), "a YAML tag ran code"


def test_python_tags_in_a_policy_and_a_stray_file_run_nothing(run_cli: Any, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    apply = f"!!python/object/apply:os.system ['touch {marker}']"
    make_project(
        tmp_path,
        {
            "iam/tagged.yaml": f"Version: '2012-10-17'\nStatement: {apply}\n",
            "charts/values.yaml": f"image: {apply}\nhook: !!python/object/new:os.system ['touch {marker}']\n",
        },
    )
    runs = check_every_format(run_cli, tmp_path, "--select", "RL0", ".")
    tagged = Seen("RL002", "iam/tagged.yaml", 2)
    assert_reported(runs, [tagged], code=1, words={tagged: "Statement[0] must be a mapping"})
    assert not marker.exists(), "a YAML tag ran code"


@pytest.mark.parametrize("tag", ["!!int", "!!float", '!!int ""'])
def test_a_tag_on_an_empty_scalar_is_rl001_not_a_traceback(
    tag: str, run_cli: Any, tmp_path: Path
) -> None:
    make_project(tmp_path, {"charts/values.yaml": f"replicas: {tag}\n"})
    runs = check_every_format(run_cli, tmp_path, ".")
    assert_reported(runs, [good_finding()], code=1, skipped=["charts/values.yaml"])
