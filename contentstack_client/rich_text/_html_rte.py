"""Embedded entries and assets in HTML rich text (the older, string-valued RTE field)."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

import attrs

from ._embedded import ASSET_CONTENT_TYPE, EmbeddedItems
from ._nodes import RTEReference, RTEText, frozen_attrs
from ._render import HTMLRenderer, RenderContext

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_EMBED_CLASSES = frozenset({"embedded-entry", "embedded-asset"})


@attrs.define
class _Found:
    start: int
    end: int
    attrs: dict[str, str]
    text: list[str]


class _EmbedFinder(HTMLParser):
    """Finds the source range of every element whose class marks it as embedded."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._source = source
        self.found: list[_Found] = []
        self._open: _Found | None = None
        self._tag = ""
        self._depth = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if self._open is not None:
            if tag == self._tag and tag not in _VOID:
                self._depth += 1
            return
        values = {k: v or "" for k, v in attrs_}
        if not _EMBED_CLASSES & set(values.get("class", "").split()):
            return
        start = self._offset()
        raw = self.get_starttag_text() or ""
        found = _Found(start, start + len(raw), values, [])
        self.found.append(found)
        if tag not in _VOID and not raw.endswith("/>"):
            self._open, self._tag, self._depth = found, tag, 0

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._tag:
            return
        if self._depth:
            self._depth -= 1
            return
        start = self._offset()
        close = self._source.find(">", start)
        self._open.end = len(self._source) if close < 0 else close + 1
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text.append(data)


def _reference(found: _Found) -> RTEReference:
    a = found.attrs
    is_asset = a.get("type") == "asset" or "embedded-asset" in a.get("class", "").split()
    node_attrs: dict[str, Any] = {
        "type": "asset" if is_asset else "entry",
        "display-type": a.get("sys-style-type") or ("display" if is_asset else "block"),
        "href": a.get("href"),
        "target": a.get("target"),
    }
    if is_asset:
        node_attrs.update(
            {
                "asset-uid": a.get("data-sys-asset-uid"),
                "content-type-uid": ASSET_CONTENT_TYPE,
                "asset-link": a.get("data-sys-asset-filelink") or a.get("href") or a.get("src"),
                "asset-name": a.get("data-sys-asset-filename"),
                "asset-type": a.get("data-sys-asset-contenttype"),
                "asset-alt": a.get("alt") or a.get("data-sys-asset-alt"),
                "asset-caption": a.get("data-sys-asset-caption"),
            }
        )
    else:
        node_attrs.update(
            {
                "entry-uid": a.get("data-sys-entry-uid"),
                "content-type-uid": a.get("data-sys-content-type-uid"),
                "locale": a.get("data-sys-entry-locale"),
            }
        )
    text = "".join(found.text).strip()
    return RTEReference(
        attrs=frozen_attrs({k: v for k, v in node_attrs.items() if v}),
        children=(RTEText(text=text),) if text else (),
    )


def render_html_rte(
    source: str,
    embedded_items: EmbeddedItems | Mapping[str, Any] | None = None,
    *,
    renderer: HTMLRenderer | None = None,
) -> str:
    """Replace every embedded entry and asset element in HTML RTE text with its rendering.

    Elements carrying class ``embedded-entry`` or ``embedded-asset`` (with ``data-sys-*``
    attributes) are rendered like JSON RTE references, with the same renderer overrides;
    everything else is returned untouched. Unlike contentstack-utils (Python), every such
    element is replaced, not only the first, and no third-party HTML parser is needed.
    """
    finder = _EmbedFinder(source)
    finder.feed(source)
    finder.close()
    if not finder.found:
        return source
    active = renderer or HTMLRenderer()
    index = (
        embedded_items
        if isinstance(embedded_items, EmbeddedItems)
        else EmbeddedItems.from_field_map(embedded_items)
    )
    context = RenderContext(embedded=index)
    parts: list[str] = []
    position = 0
    for found in finder.found:
        if found.start < position:  # inside an element already replaced
            continue
        parts.append(source[position : found.start])
        parts.append(active.render_node(_reference(found), context))
        position = found.end
    parts.append(source[position:])
    return "".join(parts)
