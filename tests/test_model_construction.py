"""Generated ``from_dict`` builds a model's own class without its ``__init__`` (it is faster).

These tests hold that shortcut to what the ``__init__`` would have built: over every
recorded payload, every model instance in the parsed tree has all its fields set and
equals the instance its ``__init__`` builds from the same values; a subclass still gets
its own ``__init__``.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from contentstack_client._generated.cda import models as cda
from contentstack_client._generated.cda.types import UNSET

from . import test_payloads, test_payloads_cma
from .conftest import load_payload


def _instances(value: Any) -> Iterator[Any]:
    """Every attrs instance in a parsed tree (models, lists and dicts of them)."""
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _instances(getattr(value, field.name))
    elif isinstance(value, list):
        for item in value:
            yield from _instances(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _instances(item)


def _rebuilt(instance: Any) -> Any:
    """The same model built by its ``__init__`` from the values ``from_dict`` set."""
    fields = attrs.fields(type(instance))
    built = type(instance)(
        **{f.alias: getattr(instance, f.name) for f in fields if f.init},
    )
    for f in fields:
        if not f.init:
            setattr(built, f.name, getattr(instance, f.name))
    return built


def _parsed() -> Iterator[tuple[str, Any]]:
    for name, model in sorted(test_payloads.MODEL_OF.items()):
        yield name, model.from_dict(copy.deepcopy(load_payload(name)))
    for name in sorted(test_payloads_cma.MODEL_OF):
        yield name, test_payloads_cma._parse(name)


PARSED = list(_parsed())


@pytest.mark.parametrize(("name", "parsed"), PARSED, ids=[name for name, _ in PARSED])
def test_every_model_in_a_payload_is_what_its_init_builds(name: str, parsed: Any) -> None:
    found = list(_instances(parsed))
    assert found, name
    for instance in found:
        for field in attrs.fields(type(instance)):
            getattr(instance, field.name)  # an unset slot would raise AttributeError
        assert instance == _rebuilt(instance), type(instance).__name__


def test_the_payloads_reach_many_models() -> None:
    # The check above is only as wide as the models the recordings reach.
    reached = {type(i) for _, parsed in PARSED for i in _instances(parsed)}
    assert len(reached) >= 150, len(reached)


def test_a_subclass_is_built_by_its_own_init() -> None:
    @attrs.define
    class Tagged(cda.PublishDetails):
        seen: list[str] = attrs.field(factory=list)

        def __attrs_post_init__(self) -> None:
            self.seen.append("init")

    built = Tagged.from_dict(
        {"environment": "production", "locale": "en-us", "time": "2026-01-02T03:04:05Z", "x": 1}
    )
    assert isinstance(built, Tagged)
    assert built.seen == ["init"]
    assert (built.environment, built.locale, built.user) == ("production", "en-us", UNSET)
    assert isinstance(built.time, datetime.datetime) and built.time.year == 2026
    assert built.additional_properties == {"x": 1}


def test_from_dict_leaves_its_input_alone() -> None:
    source = {"uid": "e1", "title": "T", "created_at": "2026-01-02T03:04:05Z", "custom": [1]}
    before = copy.deepcopy(source)
    entry = cda.Entry.from_dict(source)
    assert source == before
    assert entry.additional_properties == {"custom": [1]}
