"""Property tests of `parse_reference`: any text gives a `RegistryReference` or an
`InvalidReference` (never an exception); a valid reference prints back to itself; text
built from the distribution grammar is valid; credentials, queries and fragments are
never repeated in a failure message."""

from __future__ import annotations

from fuzz.strategies import SHARP_TEXT, TEXT
from hypothesis import given, settings
from hypothesis import strategies as st

from reglint.model.reference import InvalidReference, RegistryReference, parse_reference

FUZZ = settings(max_examples=500, deadline=None)

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
DOMAIN_COMPONENT = st.from_regex(r"\A(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,10}[A-Za-z0-9])\Z")
PATH_COMPONENT = st.from_regex(r"\A[a-z0-9]{1,5}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,5}){0,3}\Z")
# A secret: long enough and random enough that no message can hold it by chance.
SECRET = st.text(alphabet=ALNUM.upper() + ALNUM + "/+=", min_size=16, max_size=40).filter(
    lambda s: len(set(s)) >= 8
)


@FUZZ
@given(text=st.one_of(TEXT, SHARP_TEXT, st.text(max_size=300)))
def test_any_text_is_a_reference_or_explained(text: str) -> None:
    result = parse_reference(text)
    assert isinstance(result, (RegistryReference, InvalidReference))
    if isinstance(result, InvalidReference):
        assert result.failures and all(f.message.strip() for f in result.failures)
    else:
        again = parse_reference(str(result))
        assert again == result, (text, str(result), again)


@FUZZ
@given(
    components=st.lists(DOMAIN_COMPONENT, min_size=2, max_size=4),
    port=st.none() | st.integers(1, 65535),
    path=st.lists(PATH_COMPONENT, max_size=4),
    trailing_slash=st.booleans(),
)
def test_grammar_references_are_valid(
    components: list[str], port: int | None, path: list[str], trailing_slash: bool
) -> None:
    host = ".".join(components)
    text = host + (f":{port}" if port is not None else "") + "".join(f"/{p}" for p in path)
    if trailing_slash and path:
        text += "/"
    result = parse_reference(text)
    assert isinstance(result, RegistryReference), (text, result)
    assert (result.host, result.port, result.path) == (host, port, "/".join(path))


@FUZZ
@given(
    scheme=st.sampled_from(["", "https://", "oci://"]),
    user=st.text(alphabet=ALNUM, min_size=1, max_size=8),
    secret=SECRET,
    rest=st.sampled_from(["registry.example.com/ml", "Reg.example.com:99999//A", "", "/x", "h:1"]),
    extra=st.sampled_from(["", "?token={s}", "#{s}", "?a=1#{s}"]),
)
def test_credentials_queries_and_fragments_are_never_repeated(
    scheme: str, user: str, secret: str, rest: str, extra: str
) -> None:
    text = f"{scheme}{user}:{secret}@{rest}{extra.format(s=secret)}"
    result = parse_reference(text)
    assert isinstance(result, InvalidReference)
    for failure in result.failures:
        assert secret not in failure.message and secret not in failure.fragment, failure
        assert secret[:12] not in failure.message, failure
