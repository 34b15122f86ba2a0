"""Glob patterns of IAM policies and their algebra: match, intersection, subsumption.

IAM matches `Action` names and `Resource` ARNs with two wildcards: `*` (any run of
characters, possibly empty) and `?` (exactly one character); in a Resource, a policy
variable such as `${aws:username}` stands for text only known at request time, so it
matches any text (SPEC §1.2).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

A `Pattern` is a sequence of tokens: a literal character, `?`, or `*`. Inside an ARN a
wildcard stays within its colon-separated segment, except a `*` that is the last
character of its segment, which "can expand to match beyond the colon boundaries"
(AWS docs above); such tokens carry a flag that forbids `:`. This refines SPEC §1.2's
plain `*`/`?` without changing any verdict on a well-formed ARN: a repository ARN has
exactly five colons, so a six-part pattern's five literal colons consume them all and
no wildcard ever meets one; only malformed patterns (RL206) read differently.

The algebra rests on one question, answered exactly by `witness()`:

    is there a string that matches some pattern of every group in `all_of`
    and no pattern of `none_of`?  (and if so, which?)

Then `intersects(a, b)` is `witness([[a], [b]], [])` and `covers(patterns, b)` ("every
string that `b` matches is matched by one of `patterns`") is `witness([[b]], patterns)
is None`. Policy evaluation asks the same question with more groups (a NotResource
statement contributes a group, a Resource list excluded by a Deny contributes
`none_of` patterns).

**Algorithm.** Each pattern is a nondeterministic automaton whose states are token
positions (`*` loops on its position). A group (a union) is tracked as the set of
positions of all its patterns, which is the subset construction done lazily; `none_of`
is one more such set. `witness()` runs a breadth-first search over tuples of these sets,
one step per character, and accepts when every group's set holds a final position and
the `none_of` set does not. It is exact because at any state only the literal
characters at the current positions (and `:`) can steer a pattern; every other
character acts alike, so one fresh character stands for all of them, and the search
tries just those few characters per state.

**Complexity.** `Pattern.matches` is O(len(text) x len(pattern)): a greedy placement
of the `*`-separated pieces, or the automaton when a wildcard is segment-bound.
`intersects` of two patterns of lengths n and m visits at most (n+1)(m+1) states.
`covers` determinizes the covering patterns, which is exponential in the worst case
(a `*` followed by k `?` can need 2^k subsets); policy patterns are short and mostly
literal, so in practice the search visits about one state per character of the
covered pattern. Results of the set queries are cached per process.

**Bounds.** Hostile patterns are cheap to write: `arn:aws:ecr:*:*:` followed by 6,000
`*a` (12 KB) took 20-29 s and 3.3 GB to evaluate, `*` followed by 10,000 `a` took 19 s,
and a union of a few 17-wildcard patterns needs 2^17 subset states. Two bounds keep the
wildcard reasoning of any policy to well under a second and 100 MB (the rest of the
work on a policy grows linearly with its size):

- One pattern may hold at most `MAX_WILDCARDS` wildcards (`*`, `?`, policy variables)
  and, when it holds any, `MAX_PATTERN_LENGTH` characters (`within_bounds`). The AWS
  managed policies peak at 11 wildcards and 203 characters. A pattern beyond them is
  reported where it is written (RL203, RL206) and never searched: the policy model
  reads it as `widened()` where a wider reading is the cautious one and as matching
  nothing elsewhere (`policy.Statement`).
- The searches of one evaluation share a work budget (`work.py`; a query outside an
  evaluation gets a budget of its own). Past it, `WorkLimitReached` tells the caller
  that the answer is unknown. Each query's work is cached with its answer and charged
  again on every use, so the outcome never depends on what earlier queries, documents
  or worker processes left in the caches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from reglint.model.iam.automaton import (
    ONE,
    ONE_IN_SEGMENT,
    RUN,
    RUN_IN_SEGMENT,
    SEGMENT_BOUND,
    Chunk,
    Token,
    Tokens,
    chunk_of,
    compile_union,
    match_chunks,
    match_tokens,
    search,
    universal_from,
)
from reglint.model.iam.work import WORK_LIMIT, WorkLimitReached, current_budget

__all__ = [
    "MAX_PATTERN_LENGTH",
    "MAX_WILDCARDS",
    "Pattern",
    "WorkLimitReached",
    "covers",
    "intersects",
    "witness",
]

# The bounds on one pattern (module docstring): at least twice what real policies use.
MAX_WILDCARDS = 32
MAX_PATTERN_LENGTH = 512

# `${*}`, `${?}` and `${$}` are how a policy writes a literal `*`, `?` or `$`.
_SPECIAL = re.compile(r"\$\{|[*?]")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class Pattern:
    """An IAM glob: literal characters, `?` and `*`, case-sensitive or not.

    Build one with `Pattern.action()`, `Pattern.resource()`, `Pattern.segment_glob()`
    or `Pattern.literal()`. Two patterns are equal when they have the same tokens.
    """

    __slots__ = (
        "_chunks",
        "_hash",
        "_literal",
        "_open_prefix",
        "_universal_from",
        "case_insensitive",
        "text",
        "tokens",
        "wildcards",
    )

    def __init__(self, text: str, tokens: Sequence[Token], *, case_insensitive: bool) -> None:
        self.text = text
        if not isinstance(tokens, str):
            tokens = tuple(tokens)
            if all(isinstance(token, str) for token in tokens):
                tokens = "".join(tokens)  # type: ignore[arg-type]
        # A wildcard-free pattern keeps its tokens as one string: a 4 MB action then
        # costs one copy, not a tuple of four million characters and loops over it.
        self.tokens: Tokens = tokens if isinstance(tokens, str) else tuple(tokens)
        self.case_insensitive = case_insensitive
        self._hash = hash((self.tokens, case_insensitive))
        if isinstance(self.tokens, str):
            self.wildcards = 0
            self._literal: str | None = self.tokens
            self._universal_from = len(self.tokens)
            self._open_prefix: str | None = None
            self._chunks: tuple[Chunk, ...] | None = (self.tokens,)
            return
        # `*`, `?` and policy variables: what makes a pattern costly to reason about.
        self.wildcards = sum(1 for token in self.tokens if not isinstance(token, str))
        self._literal = None
        # From this position on, only `:`-crossing `*` follow: any continuation matches.
        self._universal_from = universal_from(self.tokens)
        # `ecr:*`: literal characters, then only such `*`. `intersects` reads it directly.
        head = self.tokens[: self._universal_from]
        self._open_prefix = None
        if self._universal_from < len(self.tokens) and all(isinstance(t, str) for t in head):
            self._open_prefix = "".join(head)  # type: ignore[arg-type]
        # Without segment-bound wildcards, `matches` splits the pattern at each `*` and
        # places the pieces greedily (`automaton.match_chunks`), else runs the automaton.
        self._chunks = None
        if not any(token in SEGMENT_BOUND for token in self.tokens):
            chunks: list[list[Token]] = [[]]
            for token in self.tokens:
                if token == RUN:
                    chunks.append([])
                else:
                    chunks[-1].append(token)
            self._chunks = tuple(chunk_of(chunk) for chunk in chunks)

    # -- construction -------------------------------------------------------------

    @classmethod
    def action(cls, text: str) -> Pattern:
        """An `Action`/`NotAction` entry: case-insensitive, `*` and `?`, no variables.

        https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
        """
        return _action_pattern(text)

    @classmethod
    def resource(cls, text: str, *, variables: bool = True) -> Pattern:
        """A `Resource`/`NotResource` entry: case-sensitive, segment-aware wildcards.

        `variables` is False for a policy whose Version is not 2012-10-17: AWS then
        reads `${…}` as literal text.
        """
        return _resource_pattern(text, variables)

    @classmethod
    def segment_glob(cls, text: str) -> Pattern:
        """A case-sensitive glob whose wildcards never match `:` (an ARN's own text)."""
        tokens = [RUN_IN_SEGMENT if c == "*" else ONE_IN_SEGMENT if c == "?" else c for c in text]
        return cls(text, tokens, case_insensitive=False)

    @classmethod
    def literal(cls, text: str, *, case_insensitive: bool = False) -> Pattern:
        """A pattern that matches exactly `text` (`*` and `?` are plain characters)."""
        return cls(
            text, text.lower() if case_insensitive else text, case_insensitive=case_insensitive
        )

    # -- properties ---------------------------------------------------------------

    @property
    def is_literal(self) -> bool:
        """True when the pattern matches exactly one string."""
        return self._literal is not None

    @property
    def literal_text(self) -> str | None:
        """The one string a wildcard-free pattern matches (lower-cased if folded), else None."""
        return self._literal

    @property
    def within_bounds(self) -> bool:
        """True when reglint evaluates the pattern (module docstring, "Bounds")."""
        if not self.wildcards:
            return True  # matched as plain text, whatever its length
        return self.wildcards <= MAX_WILDCARDS and len(self.text) <= MAX_PATTERN_LENGTH

    def widened(self) -> Pattern:
        """A pattern within the bounds that matches at least what this one matches.

        Its literal start, `*`, and its literal end (each cut to half the length bound):
        every string this pattern matches starts and ends with them.
        """
        if self.within_bounds:
            return self
        wild = [i for i, token in enumerate(self.tokens) if not isinstance(token, str)]
        keep = MAX_PATTERN_LENGTH // 2 - 1
        head = self.tokens[: wild[0]][:keep]
        tail = self.tokens[wild[-1] + 1 :][-keep:] if wild[-1] + 1 < len(self.tokens) else ()
        text = "".join(head) + "*" + "".join(tail)  # type: ignore[arg-type]
        return Pattern(text, (*head, RUN, *tail), case_insensitive=self.case_insensitive)

    @property
    def is_universal(self) -> bool:
        """True when the pattern matches every string (it is made only of `*`)."""
        return self._universal_from == 0 and bool(self.tokens)

    def matches(self, text: str) -> bool:
        """True when `text` (a concrete string) matches the pattern."""
        if self.case_insensitive:
            text = text.lower()
        if self._literal is not None:
            return text == self._literal
        if self._chunks is not None:
            return match_chunks(self._chunks, text)
        return match_tokens(self.tokens, text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pattern):
            return NotImplemented
        return self.tokens == other.tokens and self.case_insensitive == other.case_insensitive

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"


@lru_cache(maxsize=65536)
def _action_pattern(text: str) -> Pattern:
    if "*" not in text and "?" not in text:
        return Pattern(text, text.lower(), case_insensitive=True)
    tokens = [RUN if c == "*" else ONE if c == "?" else c for c in text.lower()]
    return Pattern(text, tokens, case_insensitive=True)


@lru_cache(maxsize=65536)
def _resource_pattern(text: str, variables: bool) -> Pattern:
    if _SPECIAL.search(text) is None:
        return Pattern(text, text, case_insensitive=False)
    tokens: list[Token] = []
    index = 0
    while (mark := _SPECIAL.search(text, index)) is not None:
        start = mark.start()
        tokens.extend(text[index:start])  # the literal characters before the mark
        index = start + 1
        if mark.group() == "${":
            end = text.find("}", start)
            if variables and end > 0:
                tokens.append(_ESCAPES.get(text[start + 2 : end], RUN))
                index = end + 1
            else:
                tokens.append("$")
        elif mark.group() == "*":
            # Only a `*` that ends its segment may run over a `:` (AWS docs, module top).
            ends_segment = index == len(text) or text[index] == ":"
            tokens.append(RUN if ends_segment else RUN_IN_SEGMENT)
        else:
            tokens.append(ONE_IN_SEGMENT)
    tokens.extend(text[index:])
    return Pattern(text, tokens, case_insensitive=False)


# -- the set queries --------------------------------------------------------------------


def witness(all_of: Sequence[Sequence[Pattern]], none_of: Sequence[Pattern] = ()) -> str | None:
    """A string matching some pattern of every group of `all_of` and no pattern of `none_of`.

    Returns None when there is no such string. With no groups at all every string
    qualifies, so the question is whether `none_of` leaves anything out. All patterns
    must agree on case sensitivity. Raises `WorkLimitReached` past the work budget.
    """
    groups = tuple(tuple(group) for group in all_of)
    excluded = tuple(none_of)
    return _query(groups, excluded)


def intersects(first: Pattern, second: Pattern) -> bool:
    """True when some string matches both patterns (`WorkLimitReached`: unknown)."""
    if first.is_universal or second.is_universal:
        return True
    if first._literal is not None:
        return second.matches(first._literal)
    if second._literal is not None:
        return first.matches(second._literal)
    for pattern, opened in ((first, second), (second, first)):
        if opened._open_prefix is not None and pattern.case_insensitive == opened.case_insensitive:
            # `pattern` meets `prefix*` when it can read `prefix` and still be alive: from
            # any live position a glob can always reach its end (no token is unsatisfiable).
            machine = compile_union((pattern.tokens,))
            return bool(machine.read(machine.start, opened._open_prefix))
    return _query(((first,), (second,)), ()) is not None


def covers(patterns: Iterable[Pattern] | Pattern, covered: Pattern) -> bool:
    """True when every string that `covered` matches is matched by one of `patterns`.

    Raises `WorkLimitReached` when the answer would take more than the work budget.
    """
    union = (patterns,) if isinstance(patterns, Pattern) else tuple(patterns)
    if any(pattern.is_universal for pattern in union):
        return True
    if covered._literal is not None:
        return any(pattern.matches(covered._literal) for pattern in union)
    return _query(((covered,),), union) is None


def _query(groups: tuple[tuple[Pattern, ...], ...], excluded: tuple[Pattern, ...]) -> str | None:
    """The cached answer, its work charged to the shared budget (or to one of its own)."""
    found, work = _witness(groups, excluded)
    current_budget().spend(work)
    return found


@lru_cache(maxsize=16384)
def _witness(
    groups: tuple[tuple[Pattern, ...], ...], excluded: tuple[Pattern, ...]
) -> tuple[str | None, int]:
    """The witness and the work it took; more than `WORK_LIMIT` work means unknown."""
    everything = [pattern for group in groups for pattern in group] + list(excluded)
    if len({pattern.case_insensitive for pattern in everything}) > 1:
        raise ValueError("patterns of one query must all be case-sensitive or all not")
    if any(pattern.is_universal for pattern in excluded):
        return None, 0
    literal = next(
        (g[0]._literal for g in groups if len(g) == 1 and g[0]._literal is not None), None
    )
    if literal is not None:  # the only candidate: check it against everything else
        fits = all(any(p.matches(literal) for p in group) for group in groups)
        return (literal if fits and not any(p.matches(literal) for p in excluded) else None), 0
    try:
        return search(
            tuple(tuple(pattern.tokens for pattern in group) for group in groups),
            tuple(pattern.tokens for pattern in excluded),
            WORK_LIMIT,
        )
    except WorkLimitReached:
        # The automata's memo tables now hold the states of a huge search: drop them.
        compile_union.cache_clear()
        return None, WORK_LIMIT + 1  # unknown: charging it overdraws any budget
