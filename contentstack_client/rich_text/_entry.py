"""Rendering the JSON RTE fields of an entry by field path."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ._embedded import EmbeddedItems
from ._nodes import is_rte_document
from ._render import HTMLRenderer, RTERenderer

if TYPE_CHECKING:
    from .._generated.cda.models.entry import Entry

T = TypeVar("T")


def _fields(entry: Mapping[str, Any] | Entry) -> Mapping[str, Any]:
    if isinstance(entry, Mapping):
        return entry
    # A generated Entry keeps the content type's own fields in additional_properties.
    return entry.additional_properties


def _split(path: str) -> tuple[str, ...]:
    segments = tuple(path.split("."))
    if not path or any(not s for s in segments):
        raise ValueError(f"invalid field path {path!r}: use dots between field uids")
    return segments


def _values_at(value: Any, segments: tuple[str, ...]) -> Iterator[Any]:
    # Lists are walked through, whatever they hold: multiple RTE values, repeated groups,
    # modular blocks ({"block_uid": {...}}), so one path reaches every instance.
    if isinstance(value, list | tuple):
        if segments and segments[0].isdigit():
            index = int(segments[0])
            if index < len(value):
                yield from _values_at(value[index], segments[1:])
            return
        for element in value:
            yield from _values_at(element, segments)
        return
    if not segments:
        yield value
        return
    if isinstance(value, Mapping) and segments[0] in value:
        yield from _values_at(value[segments[0]], segments[1:])


def _replaced(value: Any, segments: tuple[str, ...], render: Callable[[Any], Any]) -> Any:
    if isinstance(value, list | tuple):
        if segments and segments[0].isdigit():
            index = int(segments[0])
            copy = list(value)
            if index < len(copy):
                copy[index] = _replaced(copy[index], segments[1:], render)
            return copy
        return [_replaced(element, segments, render) for element in value]
    if not segments:
        return render(value) if is_rte_document(value) else value
    if isinstance(value, Mapping) and segments[0] in value:
        copy_map = dict(value)
        copy_map[segments[0]] = _replaced(value[segments[0]], segments[1:], render)
        return copy_map
    return value


def rte_documents(entry: Mapping[str, Any] | Entry, path: str) -> list[Mapping[str, Any]]:
    """Every JSON RTE document at a field path of an entry, in order.

    ``path`` is dotted field uids (``"body"``, ``"seo.summary"``, ``"sections.hero.text"``);
    lists on the way (multiple fields, groups, modular blocks) are all walked, and a number
    picks one element (``"sections.0.hero.text"``). Values that are not JSON RTE are skipped.
    """
    return [v for v in _values_at(_fields(entry), _split(path)) if is_rte_document(v)]


@overload
def render_rte_field(
    entry: Mapping[str, Any] | Entry, path: str, renderer: None = None
) -> list[str]: ...
@overload
def render_rte_field(
    entry: Mapping[str, Any] | Entry, path: str, renderer: RTERenderer[T]
) -> list[T]: ...
def render_rte_field(
    entry: Mapping[str, Any] | Entry, path: str, renderer: RTERenderer[Any] | None = None
) -> list[Any]:
    """Render every JSON RTE document at ``path`` of an entry (HTML unless a renderer is given).

    Embedded entries and assets are resolved from the entry's ``_embedded_items`` (fetch with
    ``include_embedded_items[]=BASE``). Works on dicts and on generated ``Entry`` models.
    """
    active: RTERenderer[Any] = renderer if renderer is not None else HTMLRenderer()
    embedded = EmbeddedItems.from_entry(entry)
    return [active.render(doc, embedded) for doc in rte_documents(entry, path)]


def render_rte_entry(
    entry: Mapping[str, Any] | Entry,
    paths: str | Sequence[str],
    renderer: RTERenderer[Any] | None = None,
) -> dict[str, Any]:
    """A copy of the entry (as a dict) with the JSON RTE documents at ``paths`` rendered.

    Like contentstack-utils' ``jsonToHTML`` but without modifying the entry: containers on
    the way to a rendered field are copied, everything else is shared with the input.
    """
    active: RTERenderer[Any] = renderer if renderer is not None else HTMLRenderer()
    embedded = EmbeddedItems.from_entry(entry)
    data: dict[str, Any] = dict(entry) if isinstance(entry, Mapping) else entry.to_dict()
    for path in [paths] if isinstance(paths, str) else paths:
        data = _replaced(data, _split(path), lambda doc: active.render(doc, embedded))
    return data
