"""The glob algebra: matching, intersection, subsumption, against a regex reference."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iam_reference_glob import reference_regex

from reglint.model.iam.patterns import Pattern, covers, intersects, witness

REPO = "arn:aws:ecr:us-east-2:123456789012:repository"
NAMESPACE = Pattern.segment_glob(f"{REPO}/ml-prod/runtime*")


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("ecr:PutImage", "ecr:PutImage", True),
        ("ECR:putimage", "ecr:PutImage", True),  # actions are case-insensitive
        ("ecr:Put*", "ecr:PutImage", True),
        ("ecr:Put*", "ecr:Put", True),  # `*` may match nothing
        ("ecr:?utImage", "ecr:PutImage", True),
        ("ecr:?utImage", "ecr:utImage", False),  # `?` is exactly one character
        ("ecr:*Layer*", "ecr:UploadLayerPart", True),
        ("ecr:*Layer*", "ecr:PutImage", False),
        ("*", "s3:GetObject", True),
        ("e*:*Image", "ecr:PutImage", True),
        ("ecr:Put*Image", "ecr:PutImage", True),
        ("ecr:Put*Image", "ecr:PutImag", False),
    ],
)
def test_action_matching(pattern: str, text: str, expected: bool) -> None:
    assert Pattern.action(pattern).matches(text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (f"{REPO}/ml-prod/*", f"{REPO}/ml-prod/runtime", True),
        (f"{REPO}/ML-prod/*", f"{REPO}/ml-prod/runtime", False),  # ARNs are case-sensitive
        ("*", "*", True),
        ("?", "*", True),
        ("arn:*", "*", False),
        ("${*}", "*", True),  # `${*}` is a literal `*`
        ("${*}", "x", False),
        ("${?}", "?", True),
        ("${$}", "$", True),
        (f"{REPO}/${{aws:username}}/*", f"{REPO}/alice/app", True),  # a variable is any text
        ("arn:aws:ecr:*", f"{REPO}/x", True),  # a segment's last `*` runs over `:`
        ("arn:aws:ecr:us*2:repository/x", "arn:aws:ecr:us-east-2:2:repository/x", False),
        ("arn:aws:ecr:us*2:123456789012:repository/x", f"{REPO}/x", True),
        ("arn:aws:ecr:us-east-?:*", f"{REPO}/x", True),
        ("arn:aws:ecr:us-east-2?123456789012:*", f"{REPO}/x", False),  # `?` never matches `:`
    ],
)
def test_resource_matching(pattern: str, text: str, expected: bool) -> None:
    assert Pattern.resource(pattern).matches(text) is expected


def test_variables_are_literal_text_without_version_2012() -> None:
    pattern = Pattern.resource(f"{REPO}/${{aws:username}}/*", variables=False)
    assert not pattern.matches(f"{REPO}/alice/app")
    assert pattern.matches(f"{REPO}/${{aws:username}}/app")


@pytest.mark.parametrize(
    ("covering", "covered", "expected"),
    [
        ([f"{REPO}/ml-prod/*"], NAMESPACE, True),
        ([f"{REPO}/ml-prod/runtime*"], NAMESPACE, True),
        ([f"{REPO}/ml-prod/runtime-*"], NAMESPACE, False),
        ([f"{REPO}/ml-prod/runtime", f"{REPO}/ml-prod/runtime?*"], NAMESPACE, True),  # a union
        ([f"{REPO}/ml-prod/runtime?*"], NAMESPACE, False),
        (["arn:aws:ecr:*:123456789012:repository/*"], NAMESPACE, True),
        (["arn:aws:ecr:*:*:repository/ml-*/runtime*"], NAMESPACE, True),
        (["arn:aws:ecr:us-east-2:210987654321:repository/*"], NAMESPACE, False),
        (["*"], NAMESPACE, True),
        ([f"{REPO}/ml-prod/${{aws:username}}"], NAMESPACE, True),
        ([f"{REPO}/*/runtime*"], NAMESPACE, True),
        ([f"{REPO}/*e"], NAMESPACE, False),
    ],
)
def test_resource_coverage(covering: list[str], covered: Pattern, expected: bool) -> None:
    patterns = [Pattern.resource(text) for text in covering]
    assert covers(patterns, covered) is expected
    gap = witness([[covered]], patterns)
    assert (gap is None) is expected
    if gap is not None:  # the counterexample is real
        assert covered.matches(gap) and not any(p.matches(gap) for p in patterns)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("ecr:*", "ecr:Put*", True),
        ("ecr:Put*", "ecr:*Layer*", True),  # ecr:PutLayer… is in both
        ("ecr:Put*", "s3:*", False),
        ("ecr:?", "ecr:??", False),
        ("a*b", "*c", False),
        ("a*b", "*b", True),
        ("*a", "b*", True),
        ("ECR:PUT*", "ecr:putimage", True),
    ],
)
def test_action_intersection(a: str, b: str, expected: bool) -> None:
    assert intersects(Pattern.action(a), Pattern.action(b)) is expected
    assert intersects(Pattern.action(b), Pattern.action(a)) is expected


@pytest.mark.parametrize(
    ("covering", "covered", "expected"),
    [
        ("*a", "*?a", True),
        ("*?a", "*a", False),  # `a` alone matches `*a` only: `*?a` needs two characters
        ("ecr:*", "ecr:Put*", True),
        ("ecr:Put*", "ecr:*", False),
        ("*", "anything*", True),
        ("a?c", "abc", True),
        ("abc", "a?c", False),
        ("ECR:*", "ecr:put*", True),
    ],
)
def test_action_subsumption(covering: str, covered: str, expected: bool) -> None:
    assert covers(Pattern.action(covering), Pattern.action(covered)) is expected


def test_segment_glob_wildcards_never_match_a_colon() -> None:
    target = Pattern.segment_glob("arn:aws:ecr:*:*:repository/x*")
    assert not target.matches("arn:aws:ecr:a:b:c:repository/x")
    # A Deny on a seven-part pattern cannot touch real six-part repository ARNs.
    assert not intersects(Pattern.resource("arn:aws:ecr:a:b:c:repository/x*"), target)


def test_witness_of_several_groups_and_exclusions() -> None:
    found = witness(
        [[Pattern.action("ecr:*")], [Pattern.action("*image")]], [Pattern.action("ecr:put*")]
    )
    assert found is not None
    assert found.startswith("ecr:") and found.endswith("image") and not found.startswith("ecr:put")


def test_a_query_mixing_case_rules_is_refused() -> None:
    with pytest.raises(ValueError, match="case-sensitive"):
        witness([[Pattern.action("a*")], [Pattern.resource("a*")]])


def test_pathological_patterns_stay_fast() -> None:
    """`*a*a*…*b` against a long string: the greedy matcher is polynomial, not exponential."""
    pattern = Pattern.action("*a" * 20 + "*b")
    assert not pattern.matches("a" * 500)
    assert covers(Pattern.action("*"), pattern)
    assert not covers(pattern, Pattern.action("*a*"))


# -- a reference built on `re`, independent of the automaton ------------------------------


def compile_pattern(text: str, kind: str) -> Pattern:
    if kind == "action":
        return Pattern.action(text)
    if kind == "resource":
        return Pattern.resource(text)
    return Pattern.segment_glob(text)


KINDS = st.sampled_from(["action", "resource", "segment"])
PATTERN_TEXT = st.text(alphabet="ab:*?", max_size=6)
STRINGS = ["".join(p) for n in range(7) for p in itertools.product("ab:", repeat=n)]


@settings(max_examples=300, deadline=None)
@given(kind=KINDS, pattern=PATTERN_TEXT, text=st.text(alphabet="abAB:*?c", max_size=8))
def test_matches_agrees_with_the_regex_reference(kind: str, pattern: str, text: str) -> None:
    expected = reference_regex(pattern, kind).fullmatch(text) is not None
    assert compile_pattern(pattern, kind).matches(text) is expected


@settings(max_examples=200, deadline=None)
@given(kind=KINDS, a=PATTERN_TEXT, b=PATTERN_TEXT)
def test_intersection_agrees_with_enumeration(kind: str, a: str, b: str) -> None:
    """A witness is a real common string; a common string found by brute force is seen."""
    first, second = compile_pattern(a, kind), compile_pattern(b, kind)
    regex_a, regex_b = reference_regex(a, kind), reference_regex(b, kind)
    found = witness([[first], [second]])
    if found is not None:
        assert regex_a.fullmatch(found) and regex_b.fullmatch(found)
    brute = any(regex_a.fullmatch(s) and regex_b.fullmatch(s) for s in STRINGS)
    if brute:
        assert found is not None
    assert intersects(first, second) is (found is not None)


@settings(max_examples=200, deadline=None)
@given(kind=KINDS, union=st.lists(PATTERN_TEXT, min_size=1, max_size=3), b=PATTERN_TEXT)
def test_subsumption_agrees_with_enumeration(kind: str, union: list[str], b: str) -> None:
    """A gap is a real counterexample; a counterexample found by brute force is seen."""
    covering = [compile_pattern(text, kind) for text in union]
    covered = compile_pattern(b, kind)
    regexes = [reference_regex(text, kind) for text in union]
    covered_regex = reference_regex(b, kind)
    gap = witness([[covered]], covering)
    if gap is not None:
        assert covered_regex.fullmatch(gap) and not any(r.fullmatch(gap) for r in regexes)
    counterexample = any(
        covered_regex.fullmatch(s) and not any(r.fullmatch(s) for r in regexes) for s in STRINGS
    )
    if counterexample:
        assert gap is not None
    assert covers(covering, covered) is (gap is None)
