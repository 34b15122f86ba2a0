"""The push-policy rules (RL201, RL202, RL204) run on a standalone policy only where the
config's `ecr-push-policies` names it, and never raise on any data."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st


def test_push_rules_need_the_ecr_push_policies_globs(run: Any) -> None:
    empty = {"Version": "2012-10-17", "Statement": []}
    assert run(empty, "RL201,RL202,RL204", push=False) == []
    assert [p.rule for p in run(empty, "RL201")] == ["RL201"]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["*", "ecr:*", "Allow", "Deny", "arn:aws:ecr:*", "x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Version",
                    "Statement",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                    "Sid",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(data=JSON)
def test_schema_invalid_policies_never_raise(run: Any, data: Any) -> None:
    problems = run(data)
    json.dumps([p.message for p in problems])  # messages are plain text
