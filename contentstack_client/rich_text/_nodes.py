"""Typed, immutable nodes of a JSON rich text (JSON RTE) document, and the parser."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeAlias

import attrs

JSONValue: TypeAlias = (
    str | int | float | bool | tuple["JSONValue", ...] | Mapping[str, "JSONValue"] | None
)
"""A JSON value as kept in node attributes: objects are read-only mappings, arrays tuples."""


class RTENodeType(enum.StrEnum):
    """The element types of Contentstack's JSON RTE (``"type"`` of a node)."""

    DOC = "doc"
    PARAGRAPH = "p"
    LINK = "a"
    IMAGE = "img"
    EMBED = "embed"
    H1 = "h1"
    H2 = "h2"
    H3 = "h3"
    H4 = "h4"
    H5 = "h5"
    H6 = "h6"
    ORDERED_LIST = "ol"
    UNORDERED_LIST = "ul"
    LIST_ITEM = "li"
    FRAGMENT = "fragment"
    HR = "hr"
    TABLE = "table"
    THEAD = "thead"
    TBODY = "tbody"
    TFOOT = "tfoot"
    TR = "tr"
    TH = "th"
    TD = "td"
    COLGROUP = "colgroup"
    COL = "col"
    BLOCKQUOTE = "blockquote"
    CODE = "code"
    REFERENCE = "reference"


class RTEMark(enum.StrEnum):
    """Formatting flags of a text leaf (``{"text": "...", "bold": true}``)."""

    BOLD = "bold"
    ITALIC = "italic"
    UNDERLINE = "underline"
    STRIKETHROUGH = "strikethrough"
    INLINE_CODE = "inlineCode"
    SUBSCRIPT = "subscript"
    SUPERSCRIPT = "superscript"
    BREAK = "break"


class EmbedStyle(enum.StrEnum):
    """How an embedded entry or asset is shown (``display-type`` of a reference node)."""

    BLOCK = "block"
    INLINE = "inline"
    LINK = "link"
    DISPLAY = "display"
    DOWNLOAD = "download"


class _FrozenMapping(Mapping[str, JSONValue]):
    """A read-only, hashable mapping, so that frozen nodes stay hashable."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, JSONValue]) -> None:
        self._data = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> JSONValue:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"{self._data!r}"


_EMPTY: Mapping[str, JSONValue] = _FrozenMapping({})


def freeze(value: Any) -> JSONValue:
    """A deep, read-only copy of a JSON value (objects become mappings, arrays tuples)."""
    if isinstance(value, Mapping):
        return _FrozenMapping({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # Anything else cannot come from JSON; keep its text so rendering never fails on it.
    return str(value)


def thaw(value: JSONValue) -> Any:
    """A plain JSON-compatible copy (dicts and lists) of a frozen value."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def frozen_attrs(value: Any) -> Mapping[str, JSONValue]:
    """A read-only copy of an ``attrs`` object (empty when it is not a mapping)."""
    frozen = freeze(value) if isinstance(value, Mapping) else None
    return frozen if isinstance(frozen, Mapping) else _EMPTY


def _str_or_none(value: JSONValue) -> str | None:
    if value is None or value == "" or isinstance(value, Mapping | tuple):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _positive_int(value: JSONValue) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value) if isinstance(value, int | float | str) else None
    except ValueError:
        return None
    return number if number is not None and number > 0 else None


def _style_text(value: JSONValue) -> str | None:
    # The editor stores style either as CSS text or as an object; both render as CSS text.
    if isinstance(value, Mapping):
        text = "".join(f"{k}:{v};" for k, v in value.items() if v is not None and v != "")
        return text or None
    return _str_or_none(value)


@attrs.frozen(kw_only=True)
class RTEText:
    """A text leaf: its text, its marks, and the optional CSS class and id of its span."""

    type: ClassVar[str] = "text"

    text: str
    marks: frozenset[RTEMark] = frozenset()
    class_name: str | None = None
    id: str | None = None
    attrs: Mapping[str, JSONValue] = _EMPTY
    """Keys of the leaf that are neither text, marks, ``classname`` nor ``id``."""

    def has(self, mark: RTEMark) -> bool:
        """Whether the leaf carries ``mark``."""
        return mark in self.marks

    def to_dict(self) -> dict[str, Any]:
        """The leaf as JSON RTE data."""
        data: dict[str, Any] = {k: thaw(v) for k, v in self.attrs.items()}
        data["text"] = self.text
        for mark in RTEMark:
            if mark in self.marks:
                data[mark.value] = True
        if self.class_name is not None:
            data["classname"] = self.class_name
        if self.id is not None:
            data["id"] = self.id
        return data


@attrs.frozen(kw_only=True)
class RTEElement:
    """An element node; also the node kept for types this library does not know."""

    type: str
    """The node type: an :class:`RTENodeType` value, or any other string for unknown types."""
    uid: str | None = None
    attrs: Mapping[str, JSONValue] = _EMPTY
    children: tuple[RTENode, ...] = ()

    @property
    def known(self) -> bool:
        """Whether ``type`` is one of :class:`RTENodeType`."""
        return self.type in _KNOWN_TYPES

    @property
    def class_name(self) -> str | None:
        """The ``class-name`` attribute."""
        return _str_or_none(self.attrs.get("class-name"))

    @property
    def id(self) -> str | None:
        """The ``id`` attribute."""
        return _str_or_none(self.attrs.get("id"))

    @property
    def style(self) -> str | None:
        """The ``style`` attribute as CSS text (object styles are joined as ``key:value;``)."""
        return _style_text(self.attrs.get("style"))

    def redactor_attr(self, key: str) -> str | None:
        """A value of the ``redactor-attributes`` object, where the editor keeps HTML attributes."""
        redactor = self.attrs.get("redactor-attributes")
        return _str_or_none(redactor.get(key)) if isinstance(redactor, Mapping) else None

    def text_content(self) -> str:
        """The concatenated text of every leaf below this node."""
        return "".join(n.text for n in walk_rte(self) if isinstance(n, RTEText))

    def to_dict(self) -> dict[str, Any]:
        """The node as JSON RTE data."""
        data: dict[str, Any] = {"type": self.type}
        if self.uid is not None:
            data["uid"] = self.uid
        data["attrs"] = thaw(self.attrs)
        data["children"] = [child.to_dict() for child in self.children]
        return data


@attrs.frozen(kw_only=True)
class RTEDocument(RTEElement):
    """The root of a JSON RTE value (``"type": "doc"``)."""

    type: str = RTENodeType.DOC


@attrs.frozen(kw_only=True)
class RTELink(RTEElement):
    """A hyperlink (``a``)."""

    type: str = RTENodeType.LINK

    @property
    def href(self) -> str | None:
        """The link target (``href``, or ``url`` in older documents)."""
        return _str_or_none(self.attrs.get("href")) or _str_or_none(self.attrs.get("url"))

    @property
    def target(self) -> str | None:
        """The browsing context, e.g. ``_blank``."""
        return _str_or_none(self.attrs.get("target"))

    @property
    def title(self) -> str | None:
        """The ``title`` attribute."""
        return _str_or_none(self.attrs.get("title"))


@attrs.frozen(kw_only=True)
class RTEImage(RTEElement):
    """An image by URL (``img``), as opposed to an embedded asset."""

    type: str = RTENodeType.IMAGE

    @property
    def src(self) -> str | None:
        """The image URL (``src``, or ``url``)."""
        return _str_or_none(self.attrs.get("src")) or _str_or_none(self.attrs.get("url"))

    @property
    def alt(self) -> str | None:
        """Alternative text, from ``alt`` or the redactor attributes."""
        return _str_or_none(self.attrs.get("alt")) or self.redactor_attr("alt")


@attrs.frozen(kw_only=True)
class RTEEmbed(RTEElement):
    """Embedded external media (``embed``), rendered as an iframe."""

    type: str = RTENodeType.EMBED

    @property
    def src(self) -> str | None:
        """The media URL (``src``, or ``url``)."""
        return _str_or_none(self.attrs.get("src")) or _str_or_none(self.attrs.get("url"))


@attrs.frozen(kw_only=True)
class RTETable(RTEElement):
    """A table; ``col_widths`` are the editor's column widths in pixels."""

    type: str = RTENodeType.TABLE

    @property
    def col_widths(self) -> tuple[float, ...]:
        """The ``colWidths`` attribute, ignoring values that are not numbers."""
        widths = self.attrs.get("colWidths")
        if not isinstance(widths, tuple):
            return ()
        return tuple(
            float(w) for w in widths if isinstance(w, int | float) and not isinstance(w, bool)
        )


@attrs.frozen(kw_only=True)
class RTETableCell(RTEElement):
    """A table cell (``th`` or ``td``)."""

    type: str = RTENodeType.TD

    def _span(self, key: str) -> int | None:
        own = _positive_int(self.attrs.get(key))
        if own is not None:
            return own
        redactor = self.attrs.get("redactor-attributes")
        return _positive_int(redactor.get(key)) if isinstance(redactor, Mapping) else None

    @property
    def header(self) -> bool:
        """Whether this is a header cell (``th``)."""
        return self.type == RTENodeType.TH

    @property
    def row_span(self) -> int | None:
        """Rows spanned (``rowSpan``)."""
        return self._span("rowSpan")

    @property
    def col_span(self) -> int | None:
        """Columns spanned (``colSpan``)."""
        return self._span("colSpan")

    @property
    def void(self) -> bool:
        """Whether the cell is covered by a neighbour's span and must not be rendered."""
        return self.attrs.get("void") is True


@attrs.frozen(kw_only=True)
class RTEReference(RTEElement):
    """An embedded entry or asset (``reference``), resolved from the entry's ``_embedded_items``."""

    type: str = RTENodeType.REFERENCE

    def _attr(self, key: str) -> str | None:
        return _str_or_none(self.attrs.get(key))

    @property
    def item_type(self) -> str | None:
        """``entry`` or ``asset``."""
        return self._attr("type")

    @property
    def is_asset(self) -> bool:
        """Whether the reference points to an asset."""
        return self.item_type == "asset"

    @property
    def display_type(self) -> str | None:
        """An :class:`EmbedStyle` value (``block``, ``inline``, ``link``, ``display``, ``download``)."""
        return self._attr("display-type")

    @property
    def item_uid(self) -> str | None:
        """The uid of the embedded entry (``entry-uid``) or asset (``asset-uid``)."""
        return self._attr("entry-uid") or self._attr("asset-uid")

    @property
    def content_type_uid(self) -> str | None:
        """The content type of the embedded entry; ``sys_assets`` for assets."""
        return self._attr("content-type-uid")

    @property
    def locale(self) -> str | None:
        """The locale of the embedded entry."""
        return self._attr("locale")

    @property
    def href(self) -> str | None:
        """The link target of ``link``-style references."""
        return self._attr("href") or self._attr("url")

    @property
    def target(self) -> str | None:
        """The browsing context of ``link``-style references and linked assets."""
        return self._attr("target")

    @property
    def asset_link(self) -> str | None:
        """The asset URL stored in the document (``asset-link``)."""
        return self._attr("asset-link")

    @property
    def asset_name(self) -> str | None:
        """The asset file name (``asset-name``)."""
        return self._attr("asset-name")

    @property
    def asset_type(self) -> str | None:
        """The asset MIME type (``asset-type``)."""
        return self._attr("asset-type")

    @property
    def asset_alt(self) -> str | None:
        """Alternative text of an asset, from the redactor attributes or ``asset-alt``."""
        return self.redactor_attr("alt") or self._attr("asset-alt")

    @property
    def asset_caption(self) -> str | None:
        """Caption of an asset, from the redactor attributes or ``asset-caption``."""
        return self.redactor_attr("asset-caption") or self._attr("asset-caption")

    @property
    def link(self) -> str | None:
        """The URL an asset image links to (``link``)."""
        return self._attr("link")


RTENode: TypeAlias = RTEElement | RTEText
"""Any node: an element (of any subclass) or a text leaf."""

_KNOWN_TYPES = frozenset(t.value for t in RTENodeType)

_ELEMENT_CLASSES: dict[str, type[RTEElement]] = {
    RTENodeType.DOC: RTEDocument,
    RTENodeType.LINK: RTELink,
    RTENodeType.IMAGE: RTEImage,
    RTENodeType.EMBED: RTEEmbed,
    RTENodeType.TABLE: RTETable,
    RTENodeType.TH: RTETableCell,
    RTENodeType.TD: RTETableCell,
    RTENodeType.REFERENCE: RTEReference,
}

_MARK_KEYS = frozenset(m.value for m in RTEMark)
_TEXT_KEYS = _MARK_KEYS | {"text", "classname", "id"}


def _parse_text(data: Mapping[str, Any]) -> RTEText:
    text = data.get("text")
    return RTEText(
        text=text if isinstance(text, str) else "" if text is None else str(text),
        marks=frozenset(RTEMark(k) for k in _MARK_KEYS if data.get(k)),
        class_name=_str_or_none(freeze(data.get("classname"))),
        id=_str_or_none(freeze(data.get("id"))),
        attrs=frozen_attrs({k: v for k, v in data.items() if k not in _TEXT_KEYS}),
    )


def parse_rte_node(data: Mapping[str, Any]) -> RTENode:
    """Parse one JSON RTE node (element or text leaf); unknown element types are kept."""
    node_type = data.get("type")
    if not isinstance(node_type, str) or not node_type:
        return _parse_text(data)
    raw_children = data.get("children")
    children = tuple(
        parse_rte_node(child)
        for child in (raw_children if isinstance(raw_children, list | tuple) else ())
        if isinstance(child, Mapping)
    )
    uid = data.get("uid")
    cls = _ELEMENT_CLASSES.get(node_type, RTEElement)
    return cls(
        type=node_type,
        uid=uid if isinstance(uid, str) else None,
        attrs=frozen_attrs(data.get("attrs")),
        children=children,
    )


def parse_rte(data: Mapping[str, Any]) -> RTEDocument:
    """Parse a JSON RTE value (``{"type": "doc", ...}``) into an immutable node tree.

    A node that is not a ``doc`` is wrapped in one, so fragments can be rendered too.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"a JSON RTE document is a JSON object, not {type(data).__name__}")
    node = parse_rte_node(data)
    if isinstance(node, RTEDocument):
        return node
    return RTEDocument(children=(node,))


def is_rte_document(value: object) -> bool:
    """Whether ``value`` looks like a JSON RTE document (a mapping with ``"type": "doc"``)."""
    return isinstance(value, Mapping) and value.get("type") == RTENodeType.DOC


def walk_rte(node: RTENode) -> Iterator[RTENode]:
    """Every node of the tree below and including ``node``, depth first, in document order."""
    stack: list[RTENode] = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, RTEElement):
            stack.extend(reversed(current.children))
