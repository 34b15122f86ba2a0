"""The automaton behind `patterns`: glob tokens, matching, and the witness search.

A glob is a tuple of tokens. A pattern of n tokens is a nondeterministic automaton
with states 0..n (the position of the next token to match; n accepts): a literal or
`?` moves one position on a fitting character, a `*` stays put on any character and
may also be skipped without reading (it matches the empty string). Segment-bound
wildcards (inside an ARN segment) refuse `:`. `patterns.py` explains the queries and
their complexity.

`search` counts its work in units: for each product state it explores, one plus the
number of positions the state holds (what stepping it and storing it cost), plus the
length of each text it reads. The count depends only on the query, never on what earlier
queries left in the memo tables, so a bound on it gives the same answer in every run.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from functools import lru_cache

from reglint.model.iam.work import WorkLimitReached

__all__ = [
    "ONE",
    "ONE_IN_SEGMENT",
    "RUN",
    "RUN_IN_SEGMENT",
    "SEGMENT_BOUND",
    "Chunk",
    "Token",
    "Tokens",
    "Union",
    "chunk_of",
    "compile_union",
    "match_chunks",
    "match_tokens",
    "search",
    "universal_from",
]

# Wildcard tokens; a literal character is a one-character str.
ONE = 1  # `?`: any single character
ONE_IN_SEGMENT = 2  # `?` inside an ARN: any single character except `:`
RUN = 3  # `*` (or a policy variable): any run of characters
RUN_IN_SEGMENT = 4  # a `*` inside an ARN segment that is not its last character
Token = str | int
# A wildcard-free pattern's tokens are one str (its characters), any other's a tuple.
Tokens = tuple[Token, ...] | str
# A `*`-free piece of a pattern; one of literal characters only is kept as a str, which
# `str.startswith` and `str.find` place at C speed instead of token by token.
Chunk = str | Tokens

_RUNS = frozenset((RUN, RUN_IN_SEGMENT))
SEGMENT_BOUND = frozenset((ONE_IN_SEGMENT, RUN_IN_SEGMENT))
# Characters tried, in order, to stand for "any other character" in a witness: readable.
_FRESH = "xyzqjkwvuabcdefghilmnoprst0123456789-_."


def universal_from(tokens: Tokens) -> int:
    """The first position from which only `:`-crossing `*` follow (accepts any rest)."""
    start = len(tokens)
    while start > 0 and tokens[start - 1] == RUN:
        start -= 1
    return start


def chunk_of(tokens: Sequence[Token]) -> Chunk:
    """A `*`-free piece of a pattern, as a str when it holds literal characters only."""
    literals = [token for token in tokens if isinstance(token, str)]
    return "".join(literals) if len(literals) == len(tokens) else tuple(tokens)


def _chunk_at(chunk: Chunk, text: str, start: int) -> bool:
    """True when `chunk` (literals and `?`) matches `text` at `start`."""
    if isinstance(chunk, str):
        return text.startswith(chunk, start)
    return _chunk_regex(chunk).match(text, start) is not None


@lru_cache(maxsize=4096)
def _chunk_regex(chunk: Tokens) -> re.Pattern[str]:
    """A chunk with `?` as a fixed-length regex (no `*`, so no backtracking): `re` places
    it at C speed, many times faster than a Python loop over its tokens per action name
    (docs/measurements.md)."""
    return re.compile(
        "".join("." if token == ONE else re.escape(str(token)) for token in chunk), re.DOTALL
    )


def match_chunks(chunks: tuple[Chunk, ...], text: str) -> bool:
    """Match `c0 * c1 * … * cn` (each chunk free of `*`) in O(len(text) x len(pattern)).

    The first chunk must sit at the start and the last at the end; each middle chunk
    is placed at its leftmost fit after the previous one. Leftmost is always safe: a
    later placement leaves less text for the chunks that follow, and the `*` between
    chunks absorbs whatever is skipped.
    """
    if len(chunks) == 1:
        return len(chunks[0]) == len(text) and _chunk_at(chunks[0], text, 0)
    first, *middle, last = chunks
    end = len(text) - len(last)
    if end < len(first) or not _chunk_at(first, text, 0) or not _chunk_at(last, text, end):
        return False
    position = len(first)
    for chunk in middle:
        if isinstance(chunk, str):
            found = text.find(chunk, position, end)
            if found < 0:
                return False
            position = found + len(chunk)
            continue
        placed = _chunk_regex(chunk).search(text, position, end)
        if placed is None:
            return False
        position = placed.end()
    return True


def match_tokens(tokens: Tokens, text: str) -> bool:
    """Run the automaton of one pattern over `text` (used for segment-bound wildcards)."""
    machine = compile_union((tokens,))
    return machine.accepts(machine.read(machine.start, text))


# -- the witness search ---------------------------------------------------------------


class Union:
    """The automaton of a union of patterns, compiled once, with its steps memoized.

    The patterns' positions are laid end to end; each pattern's last position (past its
    tokens) accepts. A state is a frozenset of positions: the subset construction,
    built lazily as the search asks for it, and remembered across searches (the same
    target is asked about for every action and every document).
    """

    __slots__ = (
        "_bounded",
        "_closure",
        "_end",
        "_literal",
        "_options",
        "_run",
        "_runs",
        "_steps",
        "start",
        "universal",
    )

    def __init__(self, patterns: tuple[Tokens, ...]) -> None:
        # One flat token list; None marks each pattern's accepting end position.
        flat: list[Token | None] = []
        starts: list[int] = []
        universal: list[int] = []
        for tokens in patterns:
            starts.append(len(flat))
            tail = universal_from(tokens)
            universal.extend(range(len(flat) + tail, len(flat) + len(tokens)))
            flat.extend(tokens)
            flat.append(None)
        self._literal = [token if isinstance(token, str) else None for token in flat]
        self._run = [token in _RUNS for token in flat]
        self._bounded = [token in SEGMENT_BOUND for token in flat]
        self._end = frozenset(i for i, token in enumerate(flat) if token is None)
        self._closure: dict[int, frozenset[int]] = {}
        self._runs: dict[int, str] = {}
        self.start: frozenset[int] = frozenset().union(*(self._reach(s) for s in starts))
        # From these positions on, every continuation is accepted (an all-`*` tail).
        self.universal = frozenset(universal)
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}
        self._options: dict[frozenset[int], tuple[frozenset[str], bool, bool]] = {}

    def _reach(self, position: int) -> frozenset[int]:
        """`position` and what follows it without reading: a `*` may match nothing."""
        found = self._closure.get(position)
        if found is None:
            reach, following = [position], position
            while self._run[following]:
                following += 1
                reach.append(following)
            found = self._closure[position] = frozenset(reach)
        return found

    def step(self, state: frozenset[int], char: str) -> frozenset[int]:
        """The state after reading `char`."""
        key = (state, char)
        found = self._steps.get(key)
        if found is None:
            following: set[int] = set()
            for position in state:
                if position in self._end:
                    continue
                literal = self._literal[position]
                if literal is not None:
                    if literal == char:
                        following |= self._reach(position + 1)
                elif char == ":" and self._bounded[position]:
                    continue
                elif self._run[position]:
                    following |= self._reach(position)
                else:
                    following |= self._reach(position + 1)
            found = self._steps[key] = frozenset(following)
        return found

    def read(self, state: frozenset[int], text: str) -> frozenset[int]:
        """The state after reading `text` (empty as soon as no position is left)."""
        index = 0
        while state and index < len(text):
            run = self._literal_run(next(iter(state))) if len(state) == 1 else ""
            if run:
                # A lone position inside a literal run survives only by reading that run:
                # compare whole slices instead of stepping character by character.
                piece = text[index : index + len(run)]
                if not run.startswith(piece):
                    return frozenset()
                state = self._reach(next(iter(state)) + len(piece))
                index += len(piece)
            else:
                state = self.step(state, text[index])
                index += 1
        return state

    def accepts(self, state: frozenset[int]) -> bool:
        return not state.isdisjoint(self._end)

    def forced_run(self, state: frozenset[int]) -> str:
        """The literal text a one-position state must read next ("" if not so plain).

        ARN patterns are mostly long literal runs; reading a whole run in one search
        step instead of one character per step makes the search several times faster.
        """
        if len(state) != 1:
            return ""
        (position,) = state
        return self._literal_run(position)

    def _literal_run(self, position: int) -> str:
        """The literal characters from `position` up to the next wildcard or end."""
        found = self._runs.get(position)
        if found is None:
            end = position
            while self._literal[end] is not None:
                end += 1
            run = self._literal[position:end]
            found = self._runs[position] = "".join(run)  # type: ignore[arg-type]
        return found

    def options(self, state: frozenset[int]) -> tuple[frozenset[str], bool, bool]:
        """The literals the state waits for, and whether a wildcard (a `:`-refusing one) is live."""
        found = self._options.get(state)
        if found is None:
            live = [p for p in state if p not in self._end]
            literals = frozenset(c for p in live if (c := self._literal[p]) is not None)
            wildcard = any(self._literal[p] is None for p in live)
            found = self._options[state] = (literals, wildcard, any(self._bounded[p] for p in live))
        return found


@lru_cache(maxsize=8192)
def compile_union(patterns: tuple[Tokens, ...]) -> Union:
    return Union(patterns)


_State = tuple[tuple[frozenset[int], ...], frozenset[int]]  # the groups', then the excluded


def search(
    groups: tuple[tuple[Tokens, ...], ...], excluded: tuple[Tokens, ...], limit: int
) -> tuple[str | None, int]:
    """Breadth-first search of the product automaton for a witness string, and its work.

    The string must be accepted by some pattern of every group and by no excluded one.
    It is short, though not always the shortest: a forced literal run is one step.
    None means there is no such string: every reachable state was explored. Raises
    `WorkLimitReached` as soon as the work exceeds `limit` units (module docstring).
    """
    if any(not group for group in groups):
        return None, 0  # an empty union matches nothing
    machines = [compile_union(group) for group in groups]
    barrier = compile_union(excluded)
    start: _State = (tuple(m.start for m in machines), barrier.start)
    parents: dict[_State, tuple[_State, str] | None] = {start: None}
    queue: deque[_State] = deque([start])
    work = 0
    while queue:
        state = queue.popleft()
        states, fence = state
        work += 1 + len(fence) + sum(len(s) for s in states)
        if work > limit:
            raise WorkLimitReached
        if all(m.accepts(s) for m, s in zip(machines, states)) and not barrier.accepts(fence):
            return _spell(parents, state), work
        forced = next((run for m, s in zip(machines, states) if (run := m.forced_run(s))), "")
        # A group that can only read one literal run forces it: try that text alone.
        for text in [forced] if forced else _candidates(machines, states, barrier, fence):
            work += len(text)
            successor = _read(machines, barrier, state, text)
            if successor is not None and successor not in parents:
                parents[successor] = (state, text)
                queue.append(successor)
    return None, work


def _read(machines: list[Union], barrier: Union, state: _State, text: str) -> _State | None:
    """The state after reading `text`, or None once no continuation can succeed.

    Each automaton reads the whole text on its own: a group that dies stays dead, and an
    excluded pattern that reaches its all-`*` tail keeps accepting everything, so
    checking both at the end is the same as checking after every character.
    """
    states = tuple(m.read(s, text) for m, s in zip(machines, state[0]))
    if not all(states):
        return None  # a group can no longer match
    fence = barrier.read(state[1], text)
    if not fence.isdisjoint(barrier.universal):
        return None  # an excluded pattern now matches every continuation
    return states, fence


def _candidates(
    machines: list[Union], states: tuple[frozenset[int], ...], barrier: Union, fence: frozenset[int]
) -> list[str]:
    """The characters worth trying: they are the only ones that can lead to new states.

    A group whose live positions are all literals survives only its own literals. Else
    only the literals some pattern waits for, and `:`, steer anything; every other
    character acts alike, so one fresh character stands for them all.
    """
    literals: set[str] = set()
    bounded = False
    allowed: frozenset[str] | None = None
    for machine, state in zip(machines, states):
        waiting, wildcard, refuses_colon = machine.options(state)
        if not wildcard:
            allowed = waiting if allowed is None else allowed & waiting
        literals |= waiting
        bounded |= refuses_colon
    if allowed is not None:
        return sorted(allowed)
    waiting, _, refuses_colon = barrier.options(fence)
    literals |= waiting
    characters = sorted(literals)
    if (bounded or refuses_colon) and ":" not in literals:
        characters.append(":")
    fresh = next((c for c in _FRESH if c not in literals), None)
    if fresh is None:  # every candidate is a literal here: take a caseless CJK character
        fresh = next(chr(code) for code in range(0x4E00, 0x9FFF) if chr(code) not in literals)
    characters.append(fresh)
    return characters


def _spell(parents: dict[_State, tuple[_State, str] | None], state: _State) -> str:
    """The text read from the start to `state`, following the parent links back."""
    characters: list[str] = []
    link = parents[state]
    while link is not None:
        state, char = link
        characters.append(char)
        link = parents[state]
    return "".join(reversed(characters))
