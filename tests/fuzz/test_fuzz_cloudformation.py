"""Property tests of the CloudFormation reader: any YAML text with short forms loads or
fails with a `LoadError`; any template data reads without raising, leaves no intrinsic
unevaluated in resource properties, and positions every evaluated value in the file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fuzz.strategies import YAML_TOKENS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reglint.findings import Span
from reglint.iac.cfn_policies import policy_documents
from reglint.iac.cloudformation import CfnTemplate, read_template
from reglint.iac.model import Choice, DataPath, Template
from reglint.loading.document import Limits
from reglint.loading.errors import LoadError
from reglint.loading.yaml_loader import load_yaml

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(["Env", "Repo", "Role", "AWS::Region", "AWS::NoValue", "Nope", "Repo.Arn", ""])
SCALARS = st.one_of(NAMES, st.integers(-3, 3), st.booleans(), st.none(), st.sampled_from(["${Env}-${Repo.Arn}", "${!x}", "{\"Statement\": []}", "a,b"]))  # fmt: skip
FUNCTIONS = st.sampled_from(["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split",
                             "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64", "Fn::Nope", "Condition"])  # fmt: skip


def _wrap(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(NAMES | st.sampled_from(["Statement", "Action"]), children, max_size=3),
        st.builds(lambda key, value: {key: value}, FUNCTIONS, children),
    )


VALUES = st.recursive(SCALARS, _wrap, max_leaves=25)
TYPES = st.sampled_from(["AWS::IAM::Role", "AWS::IAM::Policy", "AWS::ECR::Repository", "AWS::ECR::RegistryPolicy"])
PROPERTY_NAMES = st.sampled_from(["Policies", "PolicyDocument", "AssumeRolePolicyDocument", "RepositoryPolicyText",
                                  "PolicyText", "Roles", "Value"])  # fmt: skip
RESOURCES = st.dictionaries(
    st.sampled_from(["Repo", "Role", "Other"]),
    st.fixed_dictionaries({"Type": TYPES}, optional={"Properties": st.dictionaries(PROPERTY_NAMES, VALUES, max_size=3)}),
    max_size=3,
)
TEMPLATES = st.fixed_dictionaries(
    {"Resources": RESOURCES},
    optional={"Parameters": st.just({"Env": {"Type": "String"}}), "Mappings": st.just({"M": {"a": {"b": 1}}})},
)


def _unevaluated(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1 and any(k == "Ref" or str(k).startswith("Fn::") for k in item):
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Choice):
            stack.extend(item.branches)


@FUZZ
@given(data=TEMPLATES)
def test_any_template_data_reads_with_every_intrinsic_evaluated(data: dict[str, Any]) -> None:
    template = read_template(data)
    for resource in template.resources:
        assert list(_unevaluated(resource.properties)) == []
        for document in policy_documents(resource):
            assert document.path[0] in resource.properties


CFN_TOKENS = st.sampled_from(
    ["!GetAtt ", "!Sub ", "!If ", "!Join ", "!Select ", "!FindInMap ", "!ImportValue ", "!Condition ",
     "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ", "Policies", "PolicyDocument",
     "Fn::If", "Ref", "AWS::NoValue", "${AWS::Region}", "R.Arn", "&t !Ref ", "*t"]
)  # fmt: skip
CFN_TEXT = st.lists(CFN_TOKENS | YAML_TOKENS, max_size=50).map("".join)


def _paths(value: Any, path: DataPath = ()) -> Iterator[DataPath]:
    yield path
    if len(path) > 12:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list | Choice):
        items = value.branches if isinstance(value, Choice) else value
        for index, item in enumerate(items):
            yield from _paths(item, (*path, index))
    elif isinstance(value, Template):
        yield (*path, 0)


@FUZZ
@given(text=CFN_TEXT)
def test_any_yaml_with_short_forms_loads_reads_and_positions(text: str) -> None:
    try:
        documents = load_yaml(text, Limits(), short_forms=True)
    except LoadError:
        return
    lines = text.count("\n") + text.count("\r") + 2
    for document in documents:
        template: CfnTemplate = read_template(document.data)
        for resource in template.resources:
            positions = template.positions(resource, document.positions)
            for path in _paths(resource.properties):
                span = positions.span(path)
                assert isinstance(span, Span) and 1 <= span.line <= lines and span.column >= 1
            for source in policy_documents(resource):
                span = template.positions(resource, document.positions, source.path).span(("Statement", 0))
                assert 1 <= span.line <= lines
