"""Reading CloudFormation templates in tests: YAML (short forms read) or JSON, with the
positions of evaluated values."""

from __future__ import annotations

from typing import Any, NamedTuple

from reglint.findings import Span
from reglint.iac.cfn_policies import PolicySource, policy_documents
from reglint.iac.cloudformation import CfnTemplate, read_template
from reglint.iac.model import IacResource
from reglint.loading.document import Limits, ParsedDocument
from reglint.loading.json_loader import load_json
from reglint.loading.yaml_loader import load_yaml

LIMITS = Limits()


class Read(NamedTuple):
    text: str
    document: ParsedDocument
    template: CfnTemplate

    def resource(self, address: str) -> IacResource:
        (found,) = [r for r in self.template.resources if r.address == address]
        return found

    def properties(self, address: str) -> Any:
        return self.resource(address).properties

    def span(self, address: str, *path: Any, key: bool = False) -> Span:
        """Where the evaluated property at `path` of resource `address` is written."""
        positions = self.template.positions(self.resource(address), self.document.positions)
        return positions.span(path, on_key=key)

    def policies(self, address: str) -> list[PolicySource]:
        return policy_documents(self.resource(address))

    def policy_span(self, address: str, source: PolicySource, *path: Any) -> Span:
        """Where the value at `path` inside a policy document is written."""
        resource = self.resource(address)
        positions = self.template.positions(resource, self.document.positions, source.path)
        return positions.span(path)

    def notes(self) -> list[str]:
        return [note.message for note in self.template.notes]


def read(text: str, *, json: bool = False) -> Read:
    parsed = load_json(text, LIMITS) if json else load_yaml(text, LIMITS, short_forms=True)
    (document,) = parsed
    return Read(text, document, read_template(document.data))


def where(text: str, needle: str, occurrence: int = 1) -> Span:
    """The span of the `occurrence`-th `needle` in `text` (on one line)."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span(line, column, line, column + len(needle))


def where_in(text: str, address: str, needle: str) -> Span:
    """The span of the first `needle` after the declaration of resource `address`."""
    header = f'"{address}": {{' if text.startswith("{") else f"\n  {address}:\n"
    start = text.index(needle, text.index(header))
    return where(text[:start] + needle, needle, text[:start].count(needle) + 1)
