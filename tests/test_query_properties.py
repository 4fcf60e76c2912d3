"""Property tests of the query builder: whatever is built is sent whole and decodes back."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from contentstack_client import Filter, Stack

segment = st.text(
    st.characters(codec="utf-8", exclude_characters="."), min_size=1, max_size=12
).filter(lambda s: s == s.strip() and not s.startswith("$"))
fields = st.lists(segment, min_size=1, max_size=3).map(".".join)
scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
OPERATORS = ("where", "not_equal", "in_", "not_in", "lt", "lte", "gt", "gte", "exists", "regex")
conditions = st.lists(st.tuples(st.sampled_from(OPERATORS), fields, scalars), max_size=8)


def apply(query: Filter, op: str, field: str, value: Any) -> Filter:
    if op in ("in_", "not_in"):
        return getattr(query, op)(field, [value])  # type: ignore[no-any-return]
    if op in ("lt", "lte", "gt", "gte"):
        return getattr(query, op)(field, 1 if isinstance(value, bool) else value)  # type: ignore[no-any-return]
    if op == "exists":
        return query.exists(field, bool(value))
    if op == "regex":
        return query.regex(field, "^a.*")
    return getattr(query, op)(field, value)  # type: ignore[no-any-return]


def leaves(document: dict[str, Any]) -> int:
    """Conditions in a query document (an operator object counts each operator once)."""
    count = 0
    for key, value in document.items():
        if key == "$and":
            count += sum(leaves(part) for part in value)
        elif isinstance(value, dict):
            count += len([k for k in value if k != "$options"])
        else:
            count += 1
    return count


@settings(max_examples=200, deadline=None)
@given(conditions)
def test_no_condition_is_ever_dropped_or_overwritten(calls: list[tuple[str, str, Any]]) -> None:
    query = Filter()
    for op, field, value in calls:
        query = apply(query, op, field, value)
    assert leaves(query.to_query()) == len(calls)


@settings(max_examples=100, deadline=None)
@given(conditions, st.text(min_size=1, max_size=10).filter(lambda s: s not in (".", "..")))
def test_the_query_parameter_decodes_to_exactly_what_was_built(
    calls: list[tuple[str, str, Any]], ct: str
) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"entries": []})

    stack = Stack("key", "token", "production", transport=httpx.MockTransport(handler), retry=0)
    query = stack.query(ct)
    for op, field, value in calls:
        query = apply(query, op, field, value)  # type: ignore[arg-type, assignment]
    query.find()
    (request,) = sent
    # Whatever the uid holds ("/", "?", "#", "%", unicode), it stays one path segment.
    assert (
        request.url.raw_path.split(b"?")[0]
        == f"/v3/content_types/{quote(ct, safe='')}/entries".encode()
    )
    if calls:
        assert json.loads(request.url.params["query"]) == query.to_query()
    else:
        assert "query" not in request.url.params
