"""The SARIF report: the 2.1.0 schema, GitHub code scanning's fields, URIs, fingerprints."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from urllib.request import url2pathname

import jsonschema
import pytest
from helpers import MANIFEST, write_tree
from report.golden_fixture import CATALOGUE, CWD, render_all, run_result
from report.golden_fixture import MANIFEST as FIXTURE_MANIFEST

from reglint.findings import (
    Finding,
    Notification,
    RelatedLocation,
    Severity,
    Span,
    Suppression,
    SuppressionKind,
)
from reglint.report import ReportContext, sarif
from reglint.report.result import RunResult
from reglint.report.rules import explain_markdown, explain_text
from reglint.report.sarif_rules import DESCRIPTION_LIMIT, clip, rule_descriptor
from reglint.rule_catalogue import load_catalogue

SCHEMA_FILE = Path(__file__).parent / "sarif-schema-2.1.0.json"
REPO = Path(__file__).resolve().parents[2]


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(log: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def render(result: RunResult, catalogue: Any = CATALOGUE) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(
        sarif.render(result, ReportContext(catalogue=catalogue, fail_on="error"))
    )
    return log


def finding(rule: str = "RL107", severity: Severity = Severity.WARNING, **changes: Any) -> Finding:
    name = CATALOGUE[rule].name
    fields: dict[str, Any] = {
        "path": "a.yaml",
        "span": Span(2, 3, 2, 9),
        "message": "m",
        "fingerprint": "f" * 32,
    }
    fields.update(changes)
    return Finding(rule, name, severity, **fields)


# --- the schema --------------------------------------------------------------------


def test_golden_fixture_is_valid_against_the_sarif_schema() -> None:
    assert_valid_sarif(json.loads(render_all()["sarif"]))


def test_bundled_examples_are_valid_against_the_sarif_schema(run_cli: Any) -> None:
    result = run_cli("check", "examples", "--format", "sarif", cwd=REPO)
    assert result.code == 1, result  # the examples hold deliberate mistakes
    log = json.loads(result.out)
    assert log["runs"][0]["results"], "the examples should produce findings"
    assert_valid_sarif(log)


def test_the_schema_check_catches_a_broken_log() -> None:
    log = render(RunResult(findings=[finding()], cwd=CWD))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="fatal"):
        assert_valid_sarif(log)


def test_no_findings_still_has_an_empty_results_array() -> None:
    log = render(RunResult(cwd=CWD))
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert_valid_sarif(log)


# --- tool.driver and the rules -----------------------------------------------------


def test_driver_lists_every_rule_of_the_real_catalogue_with_its_help() -> None:
    catalogue = load_catalogue()
    driver = render(RunResult(cwd=CWD), catalogue)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "reglint"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [rule.id for rule in catalogue]
    for descriptor, rule in zip(driver["rules"], catalogue):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        # One source: the help is exactly what `reglint explain` prints, from rules/.
        assert descriptor["help"] == {
            "text": explain_text(rule),
            "markdown": explain_markdown(rule),
        }
        assert "How to fix" in descriptor["help"]["markdown"]
        assert descriptor["helpUri"] == rule.help_uri
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
        assert descriptor["properties"]["tags"] == list(rule.tags)
        assert descriptor["properties"]["precision"] == "very-high"


def test_security_rules_carry_security_severity_and_the_security_tag() -> None:
    rules = {
        r["id"]: r
        for r in render(RunResult(cwd=CWD), load_catalogue())["runs"][0]["tool"]["driver"]["rules"]
    }
    for rule_id in ("RL106", "RL201", "RL204"):
        properties = rules[rule_id]["properties"]
        assert 0.0 < float(properties["security-severity"]) <= 10.0
        assert "security" in properties["tags"]
    assert "security-severity" not in rules["RL107"]["properties"]
    assert rules["RL107"]["properties"]["problem.severity"] == "warning"
    assert rules["RL004"]["properties"]["problem.severity"] == "recommendation"


def test_descriptions_fit_githubs_limits_and_never_stop_on_a_colon() -> None:
    for rule in load_catalogue():
        descriptor = rule_descriptor(rule)
        full = descriptor["fullDescription"]["text"]
        assert 0 < len(full) <= DESCRIPTION_LIMIT, rule.id
        assert len(descriptor["shortDescription"]["text"]) <= DESCRIPTION_LIMIT
        assert len(rule.name) <= 255
        assert not full.endswith(":"), (rule.id, full)
        assert "**" not in full and "\n\n" not in full


def test_full_description_brings_the_list_its_opening_introduces() -> None:
    full = rule_descriptor(CATALOGUE["RL107"])["fullDescription"]["text"]
    assert full == "RL107 reports:\n- an invalid quantity;\n- a request above its limit."


def test_clip_cuts_after_the_last_whole_sentence() -> None:
    text = "One two. Three four. " + "x" * 50
    assert clip(text, 30) == "One two. Three four."
    assert clip("y" * 40, 10) == "y" * 9 + "…"
    assert clip("short.", 10) == "short."


# --- results -------------------------------------------------------------------------


def test_result_fields_point_at_the_rule_and_the_region() -> None:
    result = render(RunResult(findings=[finding(span=Span(4, 5, 6, 7))], cwd=CWD))["runs"][0][
        "results"
    ][0]
    rules = [rule.id for rule in CATALOGUE]
    assert result["ruleId"] == "RL107" and rules[result["ruleIndex"]] == "RL107"
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 5,
        "endLine": 6,
        "endColumn": 7,  # SARIF's end column is exclusive, like our spans
    }
    assert result["partialFingerprints"] == {"reglint/v1": "f" * 32}
    assert "suppressions" not in result and "relatedLocations" not in result


def test_result_level_is_the_findings_own_after_a_severity_override() -> None:
    overridden = finding("RL201", Severity.WARNING)
    log = render(RunResult(findings=[overridden], cwd=CWD))
    run = log["runs"][0]
    result = run["results"][0]
    assert result["level"] == "warning"
    assert (
        run["tool"]["driver"]["rules"][result["ruleIndex"]]["defaultConfiguration"]["level"]
        == "error"
    )


@pytest.mark.parametrize(
    ("kind", "justification", "expected"),
    [
        (
            SuppressionKind.INLINE,
            "reviewed",
            {"kind": "inSource", "status": "accepted", "justification": "reviewed"},
        ),
        (SuppressionKind.BASELINE, None, {"kind": "external", "status": "accepted"}),
        (
            SuppressionKind.CONFIG,
            "per-file-ignores",
            {"kind": "external", "status": "accepted", "justification": "per-file-ignores"},
        ),
    ],
)
def test_suppressed_findings_stay_with_their_suppression(
    kind: SuppressionKind, justification: str | None, expected: dict[str, str]
) -> None:
    suppressed = finding(suppressed=Suppression(kind, justification))
    log = render(RunResult(findings=[suppressed], cwd=CWD))
    assert log["runs"][0]["results"][0]["suppressions"] == [expected]
    assert_valid_sarif(log)


def test_related_locations_have_ids_messages_and_links_from_the_message() -> None:
    related = (
        RelatedLocation("b [x].yaml", Span(7, 1, 7, 4), "the other service"),
        RelatedLocation("c.yaml", Span(9, 2, 9, 3), "a third one"),
    )
    result = render(
        RunResult(findings=[finding("RL301", Severity.ERROR, related=related)], cwd=CWD)
    )["runs"][0]["results"][0]
    assert [(r["id"], r["message"]["text"]) for r in result["relatedLocations"]] == [
        (1, "the other service"),
        (2, "a third one"),
    ]
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 7
    # SARIF §3.11.6: brackets inside a link's text are escaped; the link target is the id.
    assert result["message"]["text"] == r"m (related: [b \[x\].yaml:7](1), [c.yaml:9](2))"


# --- URIs ----------------------------------------------------------------------------


def test_paths_with_spaces_commas_colons_and_non_ascii_are_percent_encoded() -> None:
    assert (
        sarif.relative_uri("systems/ml prod/a, b: ü.yaml")
        == "systems/ml%20prod/a%2C%20b%3A%20%C3%BC.yaml"
    )
    assert sarif.relative_uri("x/100%#?.yaml") == "x/100%25%23%3F.yaml"
    assert sarif.relative_uri("c:d.yaml") == "c%3Ad.yaml"  # not a URI scheme


@pytest.mark.parametrize("path", ["plain.yaml", "systems/ml prod/a, b: ü.yaml", "x/100%#?.yaml"])
def test_result_uri_resolves_to_the_file_against_srcroot(path: str) -> None:
    run = render(RunResult(findings=[finding(path=path)], cwd=CWD))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    base = run["originalUriBaseIds"][location["uriBaseId"]]["uri"]
    resolved = urljoin(base, location["uri"])
    assert resolved.startswith("file:///")
    assert Path(url2pathname(resolved[len("file://") :])) == CWD / path


def test_srcroot_is_the_current_directory_as_a_file_uri_ending_in_a_slash() -> None:
    run = render(RunResult(cwd=CWD))["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/ci/ty%C3%B6%20tila/"}}
    assert run["invocations"][0]["workingDirectory"] == {"uri": "file:///srv/ci/ty%C3%B6%20tila/"}
    assert sarif.directory_uri(Path("/")) == "file:///"


def test_a_file_outside_the_current_directory_gets_an_absolute_uri_without_dot_dot() -> None:
    location = sarif.artifact_location("../shared/x y.yaml", CWD)
    assert location == {"uri": "file:///srv/ci/shared/x%20y.yaml"}


def test_columns_are_unicode_code_points() -> None:
    assert render(RunResult(cwd=CWD))["runs"][0]["columnKind"] == "unicodeCodePoints"


# --- invocations ---------------------------------------------------------------------


def test_skipped_files_are_tool_execution_notifications_with_their_location() -> None:
    invocation = render(run_result())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("warning", "skipped: permission denied"),
        ("note", "skipped: not valid YAML"),
    ]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "vendor/bad%20file.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_internal_error_makes_execution_unsuccessful() -> None:
    crashed = RunResult(
        findings=[finding()],
        notifications=[Notification(".", "internal error in check 'x'", level=Severity.ERROR)],
        internal_error=True,
        cwd=CWD,
    )
    log = render(crashed)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    # A project-wide notification names no file, so it has no location.
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "internal error in check 'x'"}}
    ]
    assert_valid_sarif(log)


# --- end to end ----------------------------------------------------------------------


BAD_URL = MANIFEST.replace("url: 123456789012", "url: https://123456789012")


def test_fingerprints_survive_lines_shifting_above_the_finding(
    run_cli: Any, tmp_path: Path
) -> None:
    write_tree(
        tmp_path, {".git/HEAD": "", ".reglint.yaml": "select: [RL102]\n", "svc/reg.yaml": BAD_URL}
    )
    before = json.loads(run_cli("check", "--format", "sarif", cwd=tmp_path).out)["runs"][0][
        "results"
    ]
    write_tree(tmp_path, {"svc/reg.yaml": "# a comment\n# and another\n" + BAD_URL})
    after = json.loads(run_cli("check", "--format", "sarif", cwd=tmp_path).out)["runs"][0][
        "results"
    ]
    assert [r["ruleId"] for r in before] == ["RL102"] and [r["ruleId"] for r in after] == ["RL102"]
    line = before[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == line + 2
    assert after[0]["partialFingerprints"] == before[0]["partialFingerprints"]
    assert len(before[0]["partialFingerprints"]["reglint/v1"]) == 32


def test_cli_writes_sarif_with_relative_uris_under_the_current_directory(
    run_cli: Any, tmp_path: Path
) -> None:
    write_tree(
        tmp_path, {".git/HEAD": "", ".reglint.yaml": "select: [RL102]\n", "ml prod/ü.yaml": BAD_URL}
    )
    result = run_cli("check", "--format", "sarif", "--output", "out/r.sarif", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    log = json.loads((tmp_path / "out" / "r.sarif").read_text(encoding="utf-8"))
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "ml%20prod/%C3%BC.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert_valid_sarif(log)


def test_fixture_manifest_findings_are_reported_on_their_file() -> None:
    results = render(run_result())["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert sarif.relative_uri(FIXTURE_MANIFEST) in uris
    # Suppressed findings stay in SARIF (SPEC §3.1), marked.
    assert sum("suppressions" in r for r in results) == 2


@pytest.mark.parametrize(
    ("version", "semantic"),
    [("1.2.3", True), ("1.2.3-rc.1+build.5", True), ("0.2.0.dev1", False), ("1.2", False)],
)
def test_semantic_version_only_when_the_version_is_semver(
    version: str, semantic: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reglint

    monkeypatch.setattr(reglint, "__version__", version)
    driver = render(RunResult(cwd=CWD))["runs"][0]["tool"]["driver"]
    assert driver["version"] == version
    assert ("semanticVersion" in driver) is semantic
