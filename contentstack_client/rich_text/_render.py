"""Renderers of JSON RTE node trees: a generic base, HTML and plain text."""

from __future__ import annotations

import abc
import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from ._embedded import ASSET_CONTENT_TYPE, EmbeddedItem, EmbeddedItems
from ._nodes import (
    EmbedStyle,
    RTEElement,
    RTEEmbed,
    RTEImage,
    RTELink,
    RTEMark,
    RTENode,
    RTENodeType,
    RTEReference,
    RTETable,
    RTETableCell,
    RTEText,
    parse_rte,
)

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class RenderContext:
    """What a node renderer knows besides the node: the embedded items, ancestors, resolved item."""

    embedded: EmbeddedItems = attrs.field(factory=EmbeddedItems)
    """Every embedded entry and asset of the entry being rendered."""
    parents: tuple[RTEElement, ...] = ()
    """The ancestors of the node, outermost first."""
    item: EmbeddedItem | None = None
    """For a reference node, the embedded entry or asset it points to (None when not delivered)."""

    @property
    def parent(self) -> RTEElement | None:
        """The node's parent element, if any."""
        return self.parents[-1] if self.parents else None

    def enter(self, node: RTEElement) -> RenderContext:
        """The context of ``node``'s children."""
        return attrs.evolve(self, parents=(*self.parents, node), item=None)


def _as_index(embedded: EmbeddedItems | Mapping[str, Any] | None) -> EmbeddedItems:
    if isinstance(embedded, EmbeddedItems):
        return embedded
    return EmbeddedItems.from_field_map(embedded)


class RTERenderer(abc.ABC, Generic[T]):
    """Folds a JSON RTE tree into any output type ``T`` (a string, framework elements, ...).

    Subclasses implement :meth:`render_text` and :meth:`render_element`; children are rendered
    first (depth first), so :meth:`render_element` gets them already converted, in order.
    """

    def render(
        self,
        document: RTENode | Mapping[str, Any],
        embedded: EmbeddedItems | Mapping[str, Any] | None = None,
    ) -> T:
        """Render a document (a node tree, or JSON RTE data which is parsed first).

        ``embedded`` is an :class:`EmbeddedItems` index or an entry's ``_embedded_items`` value.
        """
        node = document if isinstance(document, RTEElement | RTEText) else parse_rte(document)
        return self.render_node(node, RenderContext(embedded=_as_index(embedded)))

    def render_node(self, node: RTENode, ctx: RenderContext) -> T:
        """Render one node and, through it, its subtree."""
        if isinstance(node, RTEText):
            return self.render_text(node, ctx)
        inner = ctx.enter(node)
        children = [self.render_node(child, inner) for child in node.children]
        if isinstance(node, RTEReference):
            ctx = attrs.evolve(ctx, item=ctx.embedded.find(node))
        return self.render_element(node, children, ctx)

    @abc.abstractmethod
    def render_text(self, node: RTEText, ctx: RenderContext) -> T:
        """Render a text leaf."""

    @abc.abstractmethod
    def render_element(self, node: RTEElement, children: Sequence[T], ctx: RenderContext) -> T:
        """Render an element whose children are already rendered."""


NodeRenderer: TypeAlias = Callable[[RTEElement, str, RenderContext], str]
"""Renders a node given its rendered children (HTML or text) and the context."""
MarkRenderer: TypeAlias = Callable[[str, RTEText], str]
"""Wraps the HTML rendered so far for a text leaf in one mark."""
EmbedRenderer: TypeAlias = Callable[[RTEReference, str, RenderContext], str]
"""Renders a resolved embedded entry or asset; ``ctx.item`` is the item."""
EmbedKey: TypeAlias = str | tuple[str, str]
"""A display type (``"block"``), or ``(display type, content type uid)``; ``"*"`` matches any type."""

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "sms"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SAFE_DATA_IMAGE = re.compile(
    r"^data:image/(?:png|gif|jpe?g|webp|avif);base64,[a-z0-9+/=\s]*$", re.I
)


def safe_url(url: str) -> str | None:
    """``url`` if following it cannot run script, else None.

    Relative URLs and ``http``, ``https``, ``mailto``, ``tel``, ``ftp``, ``sms`` are allowed;
    ``javascript:``, ``vbscript:``, ``data:`` (except base64 raster images) and unknown schemes
    are not, however they are disguised with case, whitespace or control characters.
    """
    stripped = url.strip()
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", stripped))
    if match is None:
        return stripped
    scheme = match.group(1).lower()
    if scheme in _SAFE_SCHEMES:
        return stripped
    if scheme == "data" and _SAFE_DATA_IMAGE.match(stripped):
        return stripped
    return None


def is_safe_url(url: str) -> bool:
    """Whether :func:`safe_url` keeps ``url``."""
    return safe_url(url) is not None


def escape_text(text: str) -> str:
    """Escape text content for HTML (``&``, ``<``, ``>`` and ``"``, as contentstack-utils does)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def _attr(name: str, value: str | None) -> str:
    if value is None or value == "":
        return ""
    return f' {name}="{html.escape(value, quote=True)}"'


def _first_text(*values: object) -> str:
    for value in values:
        if isinstance(value, str) and value:
            return value
    return ""


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


_SIMPLE_TAGS = frozenset(
    {
        RTENodeType.PARAGRAPH,
        RTENodeType.H1,
        RTENodeType.H2,
        RTENodeType.H3,
        RTENodeType.H4,
        RTENodeType.H5,
        RTENodeType.H6,
        RTENodeType.ORDERED_LIST,
        RTENodeType.UNORDERED_LIST,
        RTENodeType.LIST_ITEM,
        RTENodeType.THEAD,
        RTENodeType.TBODY,
        RTENodeType.TFOOT,
        RTENodeType.TR,
        RTENodeType.COLGROUP,
        RTENodeType.BLOCKQUOTE,
        RTENodeType.CODE,
    }
)
_LISTS = frozenset({RTENodeType.ORDERED_LIST, RTENodeType.UNORDERED_LIST})

# Innermost first, the order contentstack-utils applies them: <strong><em>...</em></strong>.
_MARK_ORDER = (
    RTEMark.BREAK,
    RTEMark.SUPERSCRIPT,
    RTEMark.SUBSCRIPT,
    RTEMark.INLINE_CODE,
    RTEMark.STRIKETHROUGH,
    RTEMark.UNDERLINE,
    RTEMark.ITALIC,
    RTEMark.BOLD,
)
_MARK_TAGS = {
    RTEMark.SUPERSCRIPT: "sup",
    RTEMark.SUBSCRIPT: "sub",
    RTEMark.INLINE_CODE: "code",
    RTEMark.STRIKETHROUGH: "strike",
    RTEMark.UNDERLINE: "u",
    RTEMark.ITALIC: "em",
    RTEMark.BOLD: "strong",
}

CLASS_NAME_MARK = "classname"
"""The ``marks`` key that overrides the ``<span class=... id=...>`` of leaves with a class or id."""


def _fold_nested_lists(node: RTEElement) -> RTEElement:
    # Older documents put a nested list beside the items (<ul><li/><ul/></ul>), which is not
    # valid HTML; it belongs inside the preceding item.
    if not any(isinstance(c, RTEElement) and c.type in _LISTS for c in node.children):
        return node
    folded: list[RTENode] = []
    for child in node.children:
        previous = folded[-1] if folded else None
        if (
            isinstance(child, RTEElement)
            and child.type in _LISTS
            and isinstance(previous, RTEElement)
            and previous.type == RTENodeType.LIST_ITEM
        ):
            folded[-1] = attrs.evolve(previous, children=(*previous.children, child))
        else:
            folded.append(child)
    return attrs.evolve(node, children=tuple(folded))


class HTMLRenderer(RTERenderer[str]):
    """Renders JSON RTE to HTML, escaping text and attribute values.

    Override what any node, mark or embedded item renders to with mappings of callables, or
    subclass and override the methods (``link``, ``table``, ``embedded_block``, ...)::

        renderer = HTMLRenderer(
            nodes={"p": lambda node, children, ctx: f"<p class='lead'>{children}</p>"},
            marks={"bold": lambda html, leaf: f"<b>{html}</b>"},
            embeds={("block", "product"): render_product_card},
        )

    ``embeds`` keys are tried in the order ``(display type, content type)``, ``("*", content
    type)``, display type; they only get references whose item was found (``ctx.item``). A
    ``"reference"`` entry in ``nodes`` renders every other reference, found or not.
    """

    def __init__(
        self,
        *,
        nodes: Mapping[str, NodeRenderer] | None = None,
        marks: Mapping[str, MarkRenderer] | None = None,
        embeds: Mapping[EmbedKey, EmbedRenderer] | None = None,
        escape: bool = True,
        url_filter: Callable[[str], str | None] = safe_url,
        fold_nested_lists: bool = True,
    ) -> None:
        """Configure overrides; ``escape=False`` inserts leaf text as raw HTML (trusted content only)."""
        self.nodes: Mapping[str, NodeRenderer] = dict(nodes or {})
        self.marks: Mapping[str, MarkRenderer] = dict(marks or {})
        self.embeds: Mapping[EmbedKey, EmbedRenderer] = dict(embeds or {})
        self.escape = escape
        self.url_filter = url_filter
        self.fold_nested_lists = fold_nested_lists

    # --- dispatch -------------------------------------------------------------------------

    def render_node(self, node: RTENode, ctx: RenderContext) -> str:
        """Render one node, first moving stray nested lists into their list item."""
        if self.fold_nested_lists and isinstance(node, RTEElement) and node.type in _LISTS:
            node = _fold_nested_lists(node)
        return super().render_node(node, ctx)

    def render_element(self, node: RTEElement, children: Sequence[str], ctx: RenderContext) -> str:
        """Render an element with an override if there is one, else the built-in HTML."""
        inner = "".join(children)
        if isinstance(node, RTEReference):
            return self.reference(node, inner, ctx)
        override = self.nodes.get(node.type)
        if override is not None:
            return override(node, inner, ctx)
        return self.default_element(node, inner, ctx)

    def default_element(self, node: RTEElement, children: str, ctx: RenderContext) -> str:
        """The built-in HTML of a (non-reference) element."""
        if isinstance(node, RTELink):
            return self.link(node, children, ctx)
        if isinstance(node, RTEImage):
            return self.image(node, children, ctx)
        if isinstance(node, RTEEmbed):
            return self.embed(node, children, ctx)
        if isinstance(node, RTETable):
            return self.table(node, children, ctx)
        if isinstance(node, RTETableCell):
            return self.table_cell(node, children, ctx)
        if node.type in _SIMPLE_TAGS:
            return self.simple_element(node, children, ctx)
        if node.type == RTENodeType.HR:
            return "<hr>"
        if node.type == RTENodeType.COL:
            return f"<col{self.common_attrs(node)} />"
        # doc, fragment (a transparent wrapper inside list items) and unknown types.
        return children

    # --- helpers for subclasses -----------------------------------------------------------

    def url(self, value: str | None) -> str | None:
        """``value`` passed through the URL filter (None when missing or unsafe)."""
        return None if value is None else self.url_filter(value)

    def common_attrs(self, node: RTEElement) -> str:
        """The ``style``, ``class`` and ``id`` attributes of a node, escaped."""
        return _attr("style", node.style) + _attr("class", node.class_name) + _attr("id", node.id)

    # --- elements -------------------------------------------------------------------------

    def simple_element(self, node: RTEElement, children: str, ctx: RenderContext) -> str:
        """An element whose tag is its type (``p``, ``h1``, ``ul``, ``li``, ``tr``, ...)."""
        return f"<{node.type}{self.common_attrs(node)}>{children}</{node.type}>"

    def link(self, node: RTELink, children: str, ctx: RenderContext) -> str:
        """``<a>``; an unsafe ``href`` is left out, so the text is kept but not clickable."""
        return (
            f"<a{self.common_attrs(node)}{_attr('href', self.url(node.href))}"
            f"{_attr('target', node.target)}{_attr('title', node.title)}>{children}</a>"
        )

    def image(self, node: RTEImage, children: str, ctx: RenderContext) -> str:
        """``<img />`` followed by the node's children (normally an empty text leaf)."""
        return (
            f"<img{self.common_attrs(node)}{_attr('src', self.url(node.src))}"
            f"{_attr('alt', node.alt)} />{children}"
        )

    def embed(self, node: RTEEmbed, children: str, ctx: RenderContext) -> str:
        """``<iframe>`` for embedded media."""
        return (
            f"<iframe{self.common_attrs(node)}{_attr('src', self.url(node.src))}>"
            f"{children}</iframe>"
        )

    def table(self, node: RTETable, children: str, ctx: RenderContext) -> str:
        """``<table>``, with a ``<colgroup>`` of percentages when the editor stored column widths."""
        return f"<table{self.common_attrs(node)}>{self.colgroup(node)}{children}</table>"

    def colgroup(self, node: RTETable) -> str:
        """The ``<colgroup>`` derived from ``colWidths`` (empty without usable widths)."""
        widths = node.col_widths
        total = sum(widths)
        if not widths or total <= 0:
            return ""
        cols = "".join(f'<col style="width:{w / total * 100:.2f}%"/>' for w in widths)
        return f'<colgroup data-width="{_number_text(total)}">{cols}</colgroup>'

    def table_cell(self, node: RTETableCell, children: str, ctx: RenderContext) -> str:
        """``<th>``/``<td>`` with ``rowspan``/``colspan``; cells covered by a span render nothing."""
        if node.void:
            return ""
        spans = _attr("rowspan", str(node.row_span) if node.row_span else None) + _attr(
            "colspan", str(node.col_span) if node.col_span else None
        )
        return f"<{node.type}{spans}{self.common_attrs(node)}>{children}</{node.type}>"

    # --- text -----------------------------------------------------------------------------

    def render_text(self, node: RTEText, ctx: RenderContext) -> str:
        """A text leaf: escaped, newlines as ``<br />``, then wrapped in its marks."""
        text = escape_text(node.text) if self.escape else node.text
        text = text.replace("\n", "<br />")
        if node.class_name is not None or node.id is not None:
            override = self.marks.get(CLASS_NAME_MARK)
            text = (
                override(text, node)
                if override is not None
                else f"<span{_attr('class', node.class_name)}{_attr('id', node.id)}>{text}</span>"
            )
        for mark in _MARK_ORDER:
            if mark in node.marks:
                override = self.marks.get(mark)
                text = override(text, node) if override is not None else self.mark(mark, text, node)
        return text

    def mark(self, mark: RTEMark, html_text: str, node: RTEText) -> str:
        """The built-in HTML of one mark around ``html_text``."""
        if mark is RTEMark.BREAK:
            # A leaf made only of newlines already became <br /> tags; don't add another.
            if node.text and node.text.strip("\n") == "":
                return html_text
            return f"<br />{html_text}"
        tag = _MARK_TAGS[mark]
        return f"<{tag}>{html_text}</{tag}>"

    # --- embedded entries and assets ------------------------------------------------------

    def reference(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """An embedded entry or asset: overrides first, then the built-in rendering by style."""
        item = ctx.item
        style = node.display_type or (EmbedStyle.DISPLAY if node.is_asset else EmbedStyle.BLOCK)
        if item is not None and self.embeds:
            content_type = _first_text(
                item.get("_content_type_uid"),
                node.content_type_uid,
                ASSET_CONTENT_TYPE if node.is_asset else None,
            )
            for key in ((style, content_type), ("*", content_type), style):
                override = self.embeds.get(key)
                if override is not None:
                    return override(node, children, ctx)
        override_node = self.nodes.get(RTENodeType.REFERENCE)
        if override_node is not None:
            return override_node(node, children, ctx)
        if style == EmbedStyle.LINK:
            return self.embedded_link(node, children, ctx)
        if item is None:
            return self.missing_reference(node, children, ctx)
        if node.is_asset:
            if style == EmbedStyle.DOWNLOAD:
                return self.embedded_download(node, children, ctx)
            return self.embedded_display(node, children, ctx)
        if style == EmbedStyle.INLINE:
            return self.embedded_inline(node, children, ctx)
        return self.embedded_block(node, children, ctx)

    def _item(self, ctx: RenderContext) -> EmbeddedItem:
        return ctx.item if ctx.item is not None else {}

    def embedded_block(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """A block entry: its title and content type, as contentstack-utils renders it."""
        item = self._item(ctx)
        title = escape_text(_first_text(item.get("title"), item.get("uid")))
        content_type = escape_text(
            _first_text(item.get("_content_type_uid"), node.content_type_uid)
        )
        return f"<div><p>{title}</p><p>Content type: <span>{content_type}</span></p></div>"

    def embedded_inline(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """An inline entry: its title in a ``<span>``."""
        item = self._item(ctx)
        return f"<span>{escape_text(_first_text(item.get('title'), item.get('uid')))}</span>"

    def embedded_link(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """A link to an entry or asset: the editor's ``href``, else the item's ``url``."""
        item = self._item(ctx)
        href = self.url(_first_text(node.href, item.get("url")) or None)
        text = children or escape_text(
            _first_text(item.get("title"), item.get("filename"), node.asset_name, node.item_uid)
        )
        extra = ""
        if node.is_asset:
            extra = (
                ' type="asset" content-type-uid="sys_assets"'
                f"{_attr('data-sys-asset-uid', node.item_uid)}"
                ' sys-style-type="download"'
            )
        return (
            f"<a{self.common_attrs(node)}{_attr('href', href)}{_attr('target', node.target)}"
            f"{extra}>{text}</a>"
        )

    def embedded_display(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """An asset shown inline: ``<img>``, in a ``<figure>`` when it has a link or caption."""
        item = self._item(ctx)
        src = _first_text(item.get("url"), node.asset_link)
        if node.link or node.asset_caption:
            return self.asset_figure(node, src)
        alt = _first_text(node.asset_alt, item.get("title"), item.get("filename"), item.get("uid"))
        return f"<img{_attr('src', self.url(src or None))}{_attr('alt', alt)} />"

    def embedded_download(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """A downloadable asset: a link to its URL."""
        item = self._item(ctx)
        href = self.url(_first_text(item.get("url"), node.asset_link) or None)
        text = children or escape_text(
            _first_text(item.get("title"), item.get("filename"), node.asset_name, node.item_uid)
        )
        return f"<a{_attr('href', href)}>{text}</a>"

    def asset_figure(self, node: RTEReference, src: str) -> str:
        """``<figure>`` with the image, its optional link and its caption."""
        style = node.style
        image = (
            f"<img{_attr('asset_uid', node.item_uid)}{_attr('class', node.class_name)}"
            f"{_attr('src', self.url(src or None))}{_attr('alt', node.asset_alt)}"
            f"{_attr('style', style)} />"
        )
        link = self.url(node.link)
        if link is not None:
            image = f"<a{_attr('href', link)}{_attr('target', node.target)}>{image}</a>"
        caption = node.asset_caption
        figcaption = f"<figcaption>{escape_text(caption)}</figcaption>" if caption else ""
        return f"<figure{_attr('style', style)}>{image}{figcaption}</figure>"

    def missing_reference(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """A reference whose item is not in ``_embedded_items``: what the node itself tells.

        Assets still have their URL in the document; entries render nothing rather than a
        broken placeholder (ask for ``include_embedded_items[]=BASE`` to resolve them).
        """
        if node.is_asset and node.asset_link:
            if node.display_type == EmbedStyle.DOWNLOAD:
                return self.embedded_download(node, children, ctx)
            return self.asset_figure(node, node.asset_link)
        return ""


_TEXT_BLOCKS = frozenset(
    {
        RTENodeType.DOC,
        RTENodeType.PARAGRAPH,
        RTENodeType.H1,
        RTENodeType.H2,
        RTENodeType.H3,
        RTENodeType.H4,
        RTENodeType.H5,
        RTENodeType.H6,
        RTENodeType.ORDERED_LIST,
        RTENodeType.UNORDERED_LIST,
        RTENodeType.LIST_ITEM,
        RTENodeType.HR,
        RTENodeType.TABLE,
        RTENodeType.THEAD,
        RTENodeType.TBODY,
        RTENodeType.TFOOT,
        RTENodeType.TR,
        RTENodeType.BLOCKQUOTE,
        RTENodeType.CODE,
        RTENodeType.EMBED,
        RTENodeType.COLGROUP,
        RTENodeType.COL,
    }
)


def _is_text_block(node: RTENode) -> bool:
    if isinstance(node, RTEText):
        return False
    if isinstance(node, RTEReference):
        return node.display_type in (EmbedStyle.BLOCK, EmbedStyle.DISPLAY) or (
            node.display_type is None and not node.is_asset
        )
    if node.type in _TEXT_BLOCKS:
        return True
    # Unknown wrappers around blocks are blocks; around text they are inline.
    return not node.known and any(_is_text_block(child) for child in node.children)


class PlainTextRenderer(RTERenderer[str]):
    """Renders JSON RTE to plain text: blocks on their own lines, table cells tab-separated.

    Embedded entries render as their title, links as their text, images as their alt text.
    ``nodes`` overrides what an element type renders to, like :class:`HTMLRenderer`'s.
    """

    def __init__(self, *, nodes: Mapping[str, NodeRenderer] | None = None) -> None:
        """Configure per-type overrides."""
        self.nodes: Mapping[str, NodeRenderer] = dict(nodes or {})

    def render_text(self, node: RTEText, ctx: RenderContext) -> str:
        """The leaf's text; a ``break`` mark starts a new line."""
        if RTEMark.BREAK in node.marks and not (node.text and node.text.strip("\n") == ""):
            return "\n" + node.text
        return node.text

    def render_element(self, node: RTEElement, children: Sequence[str], ctx: RenderContext) -> str:
        """Join the children (lines between blocks), then apply overrides or the defaults."""
        if node.type == RTENodeType.TR:
            inner = "\t".join(
                text
                for child, text in zip(node.children, children, strict=True)
                if not (isinstance(child, RTETableCell) and child.void)
            )
        else:
            inner = self.join(node, children)
        override = self.nodes.get(node.type)
        if override is not None:
            return override(node, inner, ctx)
        if isinstance(node, RTEReference):
            return self.reference(node, inner, ctx)
        if isinstance(node, RTEImage):
            return node.alt or ""
        if node.type in (RTENodeType.HR, RTENodeType.EMBED):
            return ""
        return inner

    def join(self, node: RTEElement, children: Sequence[str]) -> str:
        """Concatenate inline children; put each non-empty block child on its own line(s)."""
        lines: list[str] = []
        run: list[str] = []
        for child, text in zip(node.children, children, strict=True):
            if _is_text_block(child):
                if "".join(run):
                    lines.append("".join(run))
                run = []
                # Empty blocks (spacer paragraphs, images without alt text) add no blank lines.
                if text:
                    lines.append(text)
            else:
                run.append(text)
        if "".join(run):
            lines.append("".join(run))
        return "\n".join(lines)

    def reference(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
        """An embedded item: link text, the entry's title or the asset's caption."""
        item = ctx.item or {}
        if node.display_type in (EmbedStyle.LINK, EmbedStyle.DOWNLOAD):
            return children or _first_text(item.get("title"), item.get("filename"), node.asset_name)
        if node.is_asset:
            return _first_text(node.asset_caption, node.asset_alt)
        return _first_text(item.get("title"), children)


def rte_to_html(
    document: RTENode | Mapping[str, Any],
    embedded_items: EmbeddedItems | Mapping[str, Any] | None = None,
    *,
    renderer: HTMLRenderer | None = None,
) -> str:
    """Render a JSON RTE document to HTML (text and attributes escaped).

    ``embedded_items`` is the entry's ``_embedded_items`` (or an :class:`EmbeddedItems`),
    used to resolve embedded entries and assets.
    """
    return (renderer or _DEFAULT_HTML).render(document, embedded_items)


def rte_to_text(
    document: RTENode | Mapping[str, Any],
    embedded_items: EmbeddedItems | Mapping[str, Any] | None = None,
    *,
    renderer: PlainTextRenderer | None = None,
) -> str:
    """Render a JSON RTE document to plain text."""
    return (renderer or _DEFAULT_TEXT).render(document, embedded_items)


_DEFAULT_HTML = HTMLRenderer()
_DEFAULT_TEXT = PlainTextRenderer()
