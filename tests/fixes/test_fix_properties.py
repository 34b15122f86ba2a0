"""Properties of `--fix --unsafe-fixes` over the rules' examples, the fuzz corpus's
manifests and policies (tests/fuzz/strategies.py), as YAML and JSON files, and
documents full of fixable problems in every style (flow, block, CRLF, BOM): it never
fails, a finding with a fix is gone after it (unless reglint said why it left it), no
finding comes, and a second `--fix` — or `--diff` — changes nothing (SPEC §6.5)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixes.fixing import contents, project
from fuzz.strategies import MANIFESTS, POLICIES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reglint.rule_catalogue import load_catalogue

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
EXAMPLES = [
    dict(rule.examples[label]["files"]) for rule in load_catalogue() if rule.examples for label in ("bad", "good")
]


def _as_file(data: Any, name: str) -> tuple[str, str]:
    """`data` as a JSON file where JSON can hold it, else as YAML."""
    if name.endswith(".json"):
        try:
            return name, json.dumps(data, indent=2, allow_nan=False)
        except (TypeError, ValueError):
            pass
    return name.rsplit(".", 1)[0] + ".yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _one(data: Any, name: str) -> dict[str, str]:
    return dict([_as_file(data, name)])


def _linked(manifest: dict[str, Any], policy: dict[str, Any]) -> dict[str, str]:
    """A manifest whose iamPolicies links the policy (as the file it became)."""
    spec = manifest.get("spec")
    name, text = _as_file(policy, "policy.json")
    linked = {**manifest, "spec": {**(spec if isinstance(spec, dict) else {}), "iamPolicies": [name]}}
    return {name: text, **_one(linked, "registry.yaml")}


_NAMES = st.sampled_from(["a.yaml", "a.json"])

# Documents full of fixable problems at once, so that fixes meet and overlap: the fuzz
# corpus's random documents rarely hold more than an RL205.
_URLS = st.sampled_from([
    "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod", "https://123456789012.dkr.ecr.us-east-2.amazonaws.com/ML-Prod",
    "HTTP://registry.example.com:5000/Team/A", "https://registry.example.com/ml?x=1", "oci://localhost/A", "https://registry/ml",
])  # fmt: skip
_FIXABLE_MANIFESTS = st.fixed_dictionaries(
    {
        "apiVersion": st.just("reglint/v1"),
        "kind": st.just("RegistryService"),
        "metadata": st.fixed_dictionaries(
            {"name": st.sampled_from(["docker-registry", "a.b"]), "system": st.sampled_from(["ml-prod", "x"])},
            optional={"environment": st.sampled_from(["playground", "production"]), "tenat": st.just("default")},
        ),
        "spec": st.fixed_dictionaries(
            {"url": _URLS},
            optional={
                "type": st.just("external"),
                "imagePrefix": st.sampled_from(["runtime-", "Runtime-", "-bad", "A//B"]),
                "imagePrefx": st.just("team/"),
                "rolee": st.just("user"),
                "auth": st.fixed_dictionaries(
                    {"method": st.sampled_from(["basic", "access-keys", "iam-role"])},
                    optional={"username": st.just("AKIAIOSFODNN7EXAMPLE"), "password": st.sampled_from(["p4ss", "Zq3xVbN8mKp2LwR7tYs9Hd4FgJc6AeU1oIi5PnMz", {"fromEnv": "X"}])},
                ),
                "iamPolicies": st.just(["policy.json"]),
            },
        ),
    }
)
_FIXABLE_ACTIONS = st.lists(
    st.sampled_from(["ecr:PutImages", "ecr:*", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:PutImage", "s3:GetObjec", "ecr:UploadLayerParts"]),
    min_size=1, max_size=4,
).map(lambda actions: actions[0] if len(actions) == 1 else actions)
_FIXABLE_POLICIES = st.fixed_dictionaries(
    {"Statement": st.lists(
        st.fixed_dictionaries(
            {"Effect": st.just("Allow"), "Action": _FIXABLE_ACTIONS,
             "Resource": st.sampled_from(["*", "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*"])},
            optional={"Sid": st.sampled_from(["Push", "Token"])},
        ),
        min_size=1, max_size=3,
    )},
    optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17"])},
)  # fmt: skip


def _styled(files: dict[str, str], crlf: bool, bom: bool, comment: bool) -> dict[str, str | bytes]:
    """The files with CRLF line breaks, a BOM, a comment line in each YAML file."""
    styled: dict[str, str | bytes] = {}
    for name, text in files.items():
        if comment and name.endswith(".yaml"):
            text = text.replace("\n", "\n# a comment\n", 1)
        raw = text.replace("\n", "\r\n" if crlf else "\n").encode()
        styled[name] = (b"\xef\xbb\xbf" if bom else b"") + raw
    return styled


def _yaml_styles(manifest: dict[str, Any], policy: dict[str, Any], flow: bool | None, indent: int) -> dict[str, str]:
    text = yaml.safe_dump(manifest, sort_keys=False, default_flow_style=flow, indent=indent)
    name, policy_text = _as_file(policy, "policy.json")
    return {"registry.yaml": text, name: policy_text}


_FIXABLE_TREES = st.builds(
    _styled,
    st.builds(_yaml_styles, _FIXABLE_MANIFESTS, _FIXABLE_POLICIES, st.sampled_from([False, None, True]), st.sampled_from([2, 4])),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
TREES = st.one_of(
    st.sampled_from(EXAMPLES),
    st.builds(_one, MANIFESTS, _NAMES),
    st.builds(_one, POLICIES, _NAMES),
    st.builds(_linked, MANIFESTS, POLICIES),
    _FIXABLE_TREES,
)


def _findings(run_cli: Any, root: Path) -> tuple[list[dict[str, Any]], str]:
    result = run_cli("check", ".", "--format", "json", cwd=root)
    assert result.code in (0, 1), result
    return [f for f in json.loads(result.out)["findings"] if f["suppressed"] is None], result.err


@pytest.mark.slow
@PROPERTY
@given(files=TREES)
def test_fix_removes_what_it_fixes_adds_nothing_and_is_done_in_one_run(files: dict[str, str | bytes], run_cli: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="reglint-fix-") as folder:
        root = project(Path(folder), files)
        before, _ = _findings(run_cli, root)
        event(f"fixable: {sorted({f['rule'] for f in before if f['fix'] is not None})}")
        fixed = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
        assert fixed.code in (0, 1), fixed
        after, _ = _findings(run_cli, root)
        assert {f["fingerprint"] for f in after} <= {f["fingerprint"] for f in before}, "a fix added a finding"
        left_out = "fixes not applied" in fixed.err or "fixes stopped" in fixed.err
        event(f"fixes left out: {left_out}")
        remaining = {f["fingerprint"] for f in after}
        if not left_out:
            unfixed = [f for f in before if f["fix"] is not None and f["fingerprint"] in remaining]
            assert not unfixed, unfixed
        once = contents(root)
        again = run_cli("check", ".", "--fix", "--unsafe-fixes", cwd=root)
        assert contents(root) == once, ("a second --fix changed something", again)
        diff = run_cli("check", ".", "--diff", "--unsafe-fixes", cwd=root)
        assert (diff.code, diff.out) == (0, ""), diff
