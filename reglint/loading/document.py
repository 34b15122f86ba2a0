"""Documents: the parsed, classified contents of one file, and the problems found in
them. A `Problem` is what loading (RL001, RL003) and every check yield; it lives here,
beside the `Document` it points into, because a `SourceFile` keeps its load problems."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from reglint.findings import Severity, Span
from reglint.loading.comments import IgnoreComment
from reglint.loading.positions import DataPath, Positions

T = TypeVar("T")

__all__ = [
    "DataEdit",
    "DataPath",
    "Document",
    "DocumentKind",
    "EditAction",
    "FixProposal",
    "Limits",
    "ParsedDocument",
    "PolicyType",
    "Problem",
    "RelatedRef",
    "SourceFile",
    "SourceReader",
    "UnknownValue",
    "nests_deeper_than",
]


class DocumentKind(enum.Enum):
    MANIFEST = "manifest"  # kind: RegistryService
    POLICY = "policy"  # an IAM policy of any type (possibly unwrapped from CLI output)
    # A Kubernetes Secret or MLRun settings (SPEC §6.3), found by the reader a later stage
    # gives the loader (`SourceReader`); `Document.records` holds what it read.
    PLATFORM = "platform"
    # A CloudFormation template, Terraform file or plan that holds resources reglint reads
    # (SPEC §6.2); its policies are POLICY documents of their own.
    INFRASTRUCTURE = "infrastructure"
    OTHER = "other"  # anything else: ignored


class PolicyType(enum.Enum):
    """What an IAM policy is attached to (SPEC §6.1): it decides the policy's grammar and
    rules. The config's `policy-types` names the first three; an ECR repository or
    registry policy is a resource policy that ECR reads with its own grammar."""

    IDENTITY = "identity"  # attached to a role, user or group
    RESOURCE = "resource"  # attached to a resource: a bucket policy, a key policy…
    TRUST = "trust"  # a role's AssumeRolePolicyDocument / assume_role_policy
    ECR_REPOSITORY = "ecr-repository"  # an ECR private repository policy
    ECR_REGISTRY = "ecr-registry"  # an ECR private registry policy

    @property
    def is_resource_based(self) -> bool:
        """True for every type whose statements name a Principal."""
        return self is not PolicyType.IDENTITY


DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024

# Reads the records of a platform source (a registry Secret, MLRun settings) out of a
# document's data: None when the document holds none. reglint.platform gives it to the
# loader for the files its sniff picks out; the loader knows nothing of those records.
SourceReader = Callable[[Any], object | None]


class Limits(NamedTuple):
    """Bounds that keep hostile input cheap; each breach is an RL001 naming the limit."""

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_depth: int = 200
    # YAML aliases: the document with every alias expanded may have at most
    # alias_factor x (parsed nodes) + alias_floor nodes (billion-laughs defence).
    alias_factor: int = 10
    alias_floor: int = 10_000


def nests_deeper_than(data: Any, limit: int) -> bool:
    """True when lists and mappings in `data` nest more than `limit` levels; walked with an
    explicit stack, so no depth of hostile data can exhaust Python's."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        items = value.values() if isinstance(value, dict) else value
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return False


class UnknownValue(NamedTuple):
    """A value of an IaC policy that is known only at deploy time (SPEC §6.2), in a
    document that holds it as the text it is written as (`arn:aws:ecr:${AWS::Region}:…`).

    `parts` is the string as literal text and unknown parts (None); `names` how each
    unknown part is written, in order. A value unknown as a whole is `(None,)`."""

    parts: tuple[str | None, ...]
    names: tuple[str, ...]


@dataclass(slots=True)
class ParsedDocument:
    """A loader's output for one document: data, positions and duplicate keys."""

    data: Any
    positions: Positions
    span: Span
    duplicates: list[Any] = field(default_factory=list)  # list[DuplicateKey]


@dataclass(eq=False, slots=True)
class SourceFile:
    """One input file: where it is, its text, its documents and its load problems."""

    path: Path  # absolute (or the --stdin-filename, resolved)
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # RL001 / RL003 from loading
    named: bool = False  # named on the command line (or matched `include`)
    reported: bool = False  # findings on it are reported (else it is project context)
    # Its `# reglint: ignore[...]` comments, read at load: the text itself is not kept
    # (10,000 manifests held for the cross-file rules would keep ~5 MB of it).
    comments: list[IgnoreComment] = field(default_factory=list)
    # Its bytes as read, kept only for a reported file of a run that renders fixes
    # (engine/load.py drops them otherwise): fixes are spliced into them (reglint/fixes/).
    raw: bytes | None = None
    # Why a file read without trouble holds nothing reglint checks, when it looks like
    # reglint's input (an IaC file without IAM or ECR resources); `-v` lists it.
    skip_reason: str | None = None
    # The infrastructure code it holds or belongs to (an `iac.sources.IacSource`: a
    # template, a plan, a Terraform module), read by the cross-file rules; None for others.
    infrastructure: Any = None


@dataclass(eq=False, slots=True)
class Document:
    """One classified document of a file.

    `data` is the document as checks see it: for a wrapped IAM policy
    (`PolicyVersion.Document`, `PolicyDocument`) it is the policy itself, and
    `positions` already accounts for the wrapper.
    """

    file: SourceFile
    index: int
    kind: DocumentKind
    data: Any
    positions: Positions
    span: Span
    base: DataPath = ()  # where `data` sits inside the raw document (for messages)
    # A POLICY's type when its source says what it is (SPEC §6.2: a template's
    # AssumeRolePolicyDocument, an aws_ecr_registry_policy); None: inferred from the data.
    declared_type: PolicyType | None = None
    # Characters of the policy's text as its source sends it to AWS (a JSON file's whole
    # text, a policy given as a JSON string), or None when the source holds it as data.
    text_length: int | None = None
    # False for a document read out of infrastructure code (a CloudFormation template, a
    # Terraform file or plan): `--fix` edits only plain manifest and policy files, and a
    # finding that would have a fix says "fix available for plain policy files only".
    # The IaC readers set it; every other document is fixable where it is written.
    fixable_source: bool = True
    # A PLATFORM document's records (reglint.platform.documents.PlatformRecords), read
    # once at load; None for every other kind.
    records: object | None = None
    # An IaC policy's values known only at deploy time, by data path (SPEC §6.2).
    unknowns: Mapping[DataPath, UnknownValue] = field(default_factory=dict)
    # Where an IaC policy sits in its file (`PushRole.Policies[0].PolicyDocument`): its
    # identity in fingerprints, stable when other resources are added before it.
    origin: str = ""
    # How an IaC source uses the policy: `customer managed`, `inline`, … (iac/sources.py);
    # "" for any other policy. RL208 knows a customer managed policy's quota by it.
    iac_use: str = ""
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    def derived(self, key: str, build: Callable[[Document], T]) -> T:
        """A view of this document built once and shared by every check that needs it
        (the typed manifest, the policy model): per-file work is never repeated."""
        try:
            value: T = self._derived[key]
        except KeyError:
            value = self._derived[key] = build(self)
        return value

    def span_of(self, path: DataPath, *, on_key: bool = False) -> Span:
        return self.positions.span(path, on_key=on_key)


class EditAction(enum.Enum):
    """How a `DataEdit` changes a document's data (rendered as text by reglint/fixes/)."""

    REPLACE = "replace"  # the value at `path` becomes `value`
    RENAME_KEY = "rename-key"  # the last key of `path` becomes `value` (a string)
    INSERT_FIRST = "insert-first"  # the mapping at `path` gets `value` = (key, item) first
    APPEND = "append"  # the list at `path` gets the items of `value` (a string becomes a list)
    REWRITE_COMMENT = "rewrite-comment"  # the ignore comment at `span` keeps only `value`'s rules


class DataEdit(NamedTuple):
    """One change a fix makes, in data terms: where (a data path into `document`, the
    problem's own when None) and what. A comment has no data path: `span` places it."""

    action: EditAction
    path: DataPath
    value: Any
    document: Document | None = None
    span: Span | None = None


class FixProposal(NamedTuple):
    """A check's proposal to remove its problem (SPEC §6.5): the Decider renders it into
    text edits (a `Fix`) where the run needs them. `secret`: the value it replaces is a
    secret, which no output may show."""

    unsafe: bool
    description: str
    edits: tuple[DataEdit, ...]
    secret: bool = False


class RelatedRef(NamedTuple):
    """A pointer from a problem to another place (a colliding service, a deciding statement)."""

    document: Document
    path: DataPath
    message: str
    on_key: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: a rule, a message, and where in a document it sits.

    `path` is a data path into `document.data`; `span` is used instead when the problem
    has no data path (a parse error). `severity` is set only by rules with two levels.
    `identity` is the offending value as it takes part in the fingerprint; it must never
    hold a secret. `fix` is how the problem could be removed, when a check knows.
    """

    rule: str
    message: str
    path: DataPath = ()
    on_key: bool = False
    document: Document | None = None
    span: Span | None = None
    severity: Severity | None = None
    related: tuple[RelatedRef, ...] = ()
    identity: str = ""
    fix: FixProposal | None = None
