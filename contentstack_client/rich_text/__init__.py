"""JSON rich text (JSON RTE): typed immutable nodes, and renderers to HTML, text or anything.

    from contentstack_client import render_rte_field

    html = render_rte_field(entry, "body")  # one string per JSON RTE document at the path

Parse with :func:`parse_rte` to walk the tree yourself, or subclass :class:`RTERenderer` to
build framework elements instead of strings.
"""

from __future__ import annotations

from ._embedded import EmbeddedItem, EmbeddedItems
from ._entry import render_rte_entry, render_rte_field, rte_documents
from ._html_rte import render_html_rte
from ._nodes import (
    EmbedStyle,
    JSONValue,
    RTEDocument,
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
    is_rte_document,
    parse_rte,
    parse_rte_node,
    walk_rte,
)
from ._render import (
    CLASS_NAME_MARK,
    EmbedKey,
    EmbedRenderer,
    HTMLRenderer,
    MarkRenderer,
    NodeRenderer,
    PlainTextRenderer,
    RenderContext,
    RTERenderer,
    escape_text,
    is_safe_url,
    rte_to_html,
    rte_to_text,
    safe_url,
)

__all__ = [
    "CLASS_NAME_MARK",
    "EmbedKey",
    "EmbedRenderer",
    "EmbedStyle",
    "EmbeddedItem",
    "EmbeddedItems",
    "HTMLRenderer",
    "JSONValue",
    "MarkRenderer",
    "NodeRenderer",
    "PlainTextRenderer",
    "RTEDocument",
    "RTEElement",
    "RTEEmbed",
    "RTEImage",
    "RTELink",
    "RTEMark",
    "RTENode",
    "RTENodeType",
    "RTEReference",
    "RTERenderer",
    "RTETable",
    "RTETableCell",
    "RTEText",
    "RenderContext",
    "escape_text",
    "is_rte_document",
    "is_safe_url",
    "parse_rte",
    "parse_rte_node",
    "render_html_rte",
    "render_rte_entry",
    "render_rte_field",
    "rte_documents",
    "rte_to_html",
    "rte_to_text",
    "safe_url",
    "walk_rte",
]
