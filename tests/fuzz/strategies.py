"""Hypothesis strategies shared by the property tests in this folder: the values a YAML
or JSON loader can hand to the rest of reglint, manifest- and policy-shaped documents
built from them, and text that looks enough like YAML to reach deep into the parser."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

# Text without lone surrogates: no file reglint decodes can hold one (decode() is strict
# UTF-8). File *names* can; that case has its own test in tests/hostile.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
# Text that mixes the characters which have a meaning somewhere in reglint's inputs.
SHARP_TEXT = st.text(
    st.sampled_from("aZ09 -_./:@*?$,{}[]'\"\\%#&!|>\n\r\t\x00\x85\u2028é世")
    | st.characters(codec="utf-8"),
    max_size=40,
)

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=30,
)

# What the YAML loader can also produce (SPEC §1.1: PyYAML's safe types).
YAML_KEYS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | st.dates()
)
YAML_SCALARS = (
    JSON_SCALARS
    | st.floats()
    | st.integers(min_value=-(10**300), max_value=10**300)
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(datetime.UTC))
    | st.binary(max_size=20)
)
YAML_VALUES: st.SearchStrategy[Any] = st.recursive(
    YAML_SCALARS,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(YAML_KEYS, children, max_size=5)
        | st.frozensets(YAML_KEYS, max_size=4).map(set)
        | st.lists(st.tuples(TEXT, children), max_size=3)
    ),  # !!omap / !!pairs
    max_leaves=30,
)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A plausible value most of the time, anything a loader can produce otherwise."""
    return st.one_of(value, value, YAML_VALUES)


_QUANTITY = st.sampled_from(["250m", "1", "0.5", "1Gi", "512Mi", "1e3", "-1", "1.5.5", "9" * 30])
MANIFESTS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"apiVersion": _maybe(st.just("reglint/v1")), "kind": st.just("RegistryService")},
    optional={
        "metadata": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": _maybe(st.sampled_from(["docker-registry", "r", "Bad_Name", ""])),
                    "system": _maybe(st.sampled_from(["ml-prod", "a", ""])),
                    "environment": _maybe(
                        st.sampled_from(["playground", "development", "staging", "production"])
                    ),
                    "tenant": _maybe(st.just("default")),
                },
            )
        ),
        "spec": _maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "type": _maybe(st.sampled_from(["external", "on-cluster"])),
                    "role": _maybe(st.sampled_from(["user", "system"])),
                    "url": _maybe(
                        st.sampled_from(
                            [
                                "123456789012.dkr.ecr.us-east-2.amazonaws.com/ml-prod",
                                "1234.dkr.ecr..amazonaws.com",
                                "public.ecr.aws/a/b",
                                "https://u:p@Reg.example.com:99999//A?x",
                                "localhost:5000/",
                                "registry/ml",
                            ]
                        )
                        | SHARP_TEXT
                    ),
                    "imagePrefix": _maybe(
                        st.sampled_from(["runtime", "ml-", "A//b", ""]) | SHARP_TEXT
                    ),
                    "auth": _maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "method": _maybe(
                                    st.sampled_from(["iam-role", "access-keys", "basic", "none"])
                                ),
                                "username": _maybe(
                                    st.sampled_from(["AKIAIOSFODNN7EXAMPLE", "bob"])
                                ),
                                "password": _maybe(
                                    st.sampled_from(
                                        [
                                            {"fromEnv": "X"},
                                            {"fromSecret": {"name": "s", "key": "k"}},
                                        ]
                                    )
                                    | SHARP_TEXT
                                ),
                            },
                        )
                    ),
                    "iamPolicies": _maybe(st.lists(SHARP_TEXT, max_size=3)),
                    "resources": _maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                side: _maybe(
                                    st.fixed_dictionaries(
                                        {},
                                        optional={
                                            "cpu": _maybe(_QUANTITY),
                                            "memory": _maybe(_QUANTITY),
                                        },
                                    )
                                )
                                for side in ("requests", "limits")
                            },
                        )
                    ),
                },
            )
        ),
    },
)

_ACTIONS = st.sampled_from(
    ["ecr:*", "*", "ecr:PutImage", "ecr:put*", "ECR:GetAuthorizationToken", "ecr:?utImage",
     "ecr:PutImages", "s3:GetObject", "nosuch:Thing", "ecr:", ":", "ecr:Batch*Layer*"]
) | SHARP_TEXT  # fmt: skip
_RESOURCES = st.sampled_from(
    ["*", "arn:aws:ecr:us-east-2:123456789012:repository/ml-prod/*",
     "arn:aws:ecr:*:*:repository/*", "arn:aws:ecr:us-east-2:123456789012:repository/${aws:username}",
     "arn:aws-cn:ecr:cn-north-1:123456789012:repository/a?", "arn:aws:s3:::bucket/*", "arn:", "*:*"]
) | SHARP_TEXT  # fmt: skip


def _one_or_list(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return values | st.lists(values, max_size=4)


STATEMENTS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"Effect": _maybe(st.sampled_from(["Allow", "Deny", "allow"]))},
    optional={
        "Sid": _maybe(st.sampled_from(["Push", "Push", "Token"])),
        "Action": _maybe(_one_or_list(_ACTIONS)),
        "NotAction": _maybe(_one_or_list(_ACTIONS)),
        "Resource": _maybe(_one_or_list(_RESOURCES)),
        "NotResource": _maybe(_one_or_list(_RESOURCES)),
        "Condition": _maybe(st.just({"StringEquals": {"aws:SourceVpc": "vpc-1"}}) | st.just({})),
    },
)
POLICIES: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"Statement": _maybe(st.lists(STATEMENTS, max_size=5) | STATEMENTS)},
    optional={"Version": _maybe(st.sampled_from(["2012-10-17", "2008-10-17"])), "Id": TEXT},
)

# Pieces of YAML syntax, joined at random: reaches the parser's and builder's corners
# (anchors, aliases, tags, merges, flow and block styles) far faster than random bytes.
YAML_TOKENS = st.sampled_from(
    ["\n", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ", ", "---\n", "...\n", "&a ", "*a", "&b ",
     "*b", "<<: ", "!!set ", "!!omap ", "!!pairs ", "!!binary ", "!!timestamp ", "!!int ",
     "!!float ", "!!str ", "!!bool ", "!!null ", "!!python/object/apply:os.system ", "!Ref ",
     "!<tag:yaml.org,2002:str> ", "%YAML 1.1\n", "'", '"', "|\n", ">-\n", "# c\n", "kind",
     "RegistryService", "Statement", "Effect", "Allow", "key", "1", "0x1F", "1.5e3", ".inf",
     "2024-01-01", "yes", "~", "=", "\t", "\r\n", "\ufeff", "é"]
)  # fmt: skip
YAML_TEXT = st.lists(YAML_TOKENS | SHARP_TEXT.map(lambda t: t[:3]), max_size=60).map("".join)
