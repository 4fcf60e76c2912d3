"""JSON rich text: typed nodes, HTML and plain-text rendering, embedded items, overrides.

Expected HTML follows contentstack-utils (JS) where it is right; tests whose name says
``unlike_utils`` pin a deliberate difference (escaping, resolved entries, valid HTML).
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, assert_type

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contentstack_client._generated.cda.models.entry import Entry
from contentstack_client.rich_text import (
    CLASS_NAME_MARK,
    EmbeddedItem,
    EmbeddedItems,
    EmbedStyle,
    HTMLRenderer,
    PlainTextRenderer,
    RenderContext,
    RTEDocument,
    RTEElement,
    RTEEmbed,
    RTEImage,
    RTELink,
    RTEMark,
    RTENode,
    RTENodeType,
    RTEReference,
    RTERenderer,
    RTETable,
    RTETableCell,
    RTEText,
    is_rte_document,
    is_safe_url,
    parse_rte,
    parse_rte_node,
    render_html_rte,
    render_rte_entry,
    render_rte_field,
    rte_documents,
    rte_to_html,
    rte_to_text,
    safe_url,
    walk_rte,
)

FIXTURES = Path(__file__).parent / "fixtures" / "rich_text"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def doc(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "uid": "bltdoc", "attrs": {}, "children": list(children)}


def p(*children: dict[str, Any], **attrs: Any) -> dict[str, Any]:
    return {"type": "p", "attrs": attrs, "children": list(children)}


def text(value: str, **marks: Any) -> dict[str, Any]:
    return {"text": value, **marks}


def ref(children: list[dict[str, Any]] | None = None, **attrs: Any) -> dict[str, Any]:
    return {
        "type": "reference",
        "attrs": {k.replace("_", "-"): v for k, v in attrs.items()},
        "children": children or [{"text": ""}],
    }


CASES = load("nodes.json") + load("marks.json")


@pytest.fixture
def entry() -> dict[str, Any]:
    data: dict[str, Any] = load("entry_with_embedded_items.json")
    return data


# --- every node type and mark --------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_node_and_mark_to_html(case: dict[str, Any]) -> None:
    assert rte_to_html(case["doc"]) == case["html"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_node_and_mark_to_text(case: dict[str, Any]) -> None:
    assert rte_to_text(case["doc"]) == case["text"]


def test_fixtures_cover_every_node_type_and_mark() -> None:
    seen_types: set[str] = set()
    seen_marks: set[RTEMark] = set()
    for case in CASES:
        for node in walk_rte(parse_rte(case["doc"])):
            if isinstance(node, RTEText):
                seen_marks |= node.marks
            else:
                seen_types.add(node.type)
    # reference is covered by the embedded-item tests and their entry fixture.
    assert {t.value for t in RTENodeType} - seen_types == {"reference"}
    assert seen_marks == set(RTEMark)


# --- the node model ----------------------------------------------------------------------


def test_parse_gives_typed_nodes() -> None:
    document = parse_rte(
        doc(
            p(
                text("Hi ", bold=True, classname="c", id="i", attrs={"style": {"color": "red"}}),
                {"type": "a", "attrs": {"href": "/x", "target": "_blank"}, "children": []},
            ),
            {"type": "img", "attrs": {"url": "/i.png"}, "children": []},
            {"type": "embed", "attrs": {"src": "https://v.example/1"}, "children": []},
            {"type": "table", "attrs": {"colWidths": [100, "bad", 50.5]}, "children": []},
            {"type": "th", "attrs": {"rowSpan": "2", "colSpan": 0}, "children": []},
            ref(entry_uid="e1", content_type_uid="product", display_type="block", type="entry"),
        )
    )
    assert isinstance(document, RTEDocument)
    assert document.uid == "bltdoc"
    para, image, embed, table, cell, reference = document.children
    assert isinstance(para, RTEElement) and para.type == RTENodeType.PARAGRAPH
    leaf, link = para.children
    assert isinstance(leaf, RTEText)
    assert leaf.marks == {RTEMark.BOLD} and leaf.has(RTEMark.BOLD)
    assert (leaf.class_name, leaf.id) == ("c", "i")
    assert leaf.attrs == {"attrs": {"style": {"color": "red"}}}
    assert isinstance(link, RTELink) and (link.href, link.target) == ("/x", "_blank")
    assert isinstance(image, RTEImage) and image.src == "/i.png"
    assert isinstance(embed, RTEEmbed) and embed.src == "https://v.example/1"
    assert isinstance(table, RTETable) and table.col_widths == (100.0, 50.5)
    assert isinstance(cell, RTETableCell)
    assert (cell.header, cell.row_span, cell.col_span, cell.void) == (True, 2, None, False)
    assert isinstance(reference, RTEReference)
    assert (reference.item_type, reference.item_uid, reference.content_type_uid) == (
        "entry",
        "e1",
        "product",
    )
    assert reference.display_type == EmbedStyle.BLOCK


def test_nodes_are_immutable_and_hashable() -> None:
    data = doc(p(text("a", bold=True)), {"type": "p", "attrs": {"style": {"x": [1]}}})
    document = parse_rte(data)
    para = document.children[0]
    assert isinstance(para, RTEElement)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        para.type = "h1"  # type: ignore[misc]
    with pytest.raises(TypeError):
        para.attrs["id"] = "x"  # type: ignore[index]
    styled = document.children[1]
    assert isinstance(styled, RTEElement)
    assert styled.attrs["style"] == {"x": (1,)}
    # Parsing copies: changing the input later does not change the tree.
    data["children"][1]["attrs"]["style"]["x"].append(2)
    assert styled.attrs["style"] == {"x": (1,)}
    assert hash(document) == hash(parse_rte(doc(p(text("a", bold=True)), styled.to_dict())))
    assert document == parse_rte(doc(p(text("a", bold=True)), styled.to_dict()))


def test_unknown_node_type_is_kept_as_generic_element() -> None:
    document = parse_rte(doc({"type": "x-widget", "attrs": {"a": 1}, "children": [text("in")]}))
    (node,) = document.children
    assert type(node) is RTEElement
    assert node.type == "x-widget" and not node.known
    assert node.text_content() == "in"
    assert rte_to_html(document) == "in"


def test_to_dict_round_trips_canonical_json() -> None:
    data = doc(
        {
            "type": "p",
            "uid": "p1",
            "attrs": {"style": {"text-align": "left"}, "class-name": "x"},
            "children": [text("a", bold=True, italic=True), text("b", classname="c", id="d")],
        }
    )
    assert parse_rte(data).to_dict() == data


def test_malformed_input_does_not_crash() -> None:
    document = parse_rte(
        {
            "type": "doc",
            "children": [
                "not a node",
                {"type": "p", "attrs": "nope", "children": None},
                {"text": None},
                {"type": "", "text": 5},
                {"type": "td", "attrs": {"rowSpan": "x", "colSpan": True}, "children": []},
            ],
        }
    )
    assert len(document.children) == 4
    assert rte_to_html(document) == "<p></p>5<td></td>"
    with pytest.raises(TypeError):
        parse_rte("<p>html</p>")  # type: ignore[arg-type]


def test_non_doc_node_is_wrapped_in_a_document() -> None:
    document = parse_rte(p(text("x")))
    assert isinstance(document, RTEDocument)
    assert rte_to_html(document) == "<p>x</p>"
    assert isinstance(parse_rte_node(text("y")), RTEText)


def test_walk_is_depth_first_in_document_order() -> None:
    document = parse_rte(doc(p(text("a"), text("b")), p(text("c"))))
    kinds = [n.text if isinstance(n, RTEText) else n.type for n in walk_rte(document)]
    assert kinds == ["doc", "p", "a", "b", "p", "c"]
    assert document.text_content() == "abc"


def test_is_rte_document() -> None:
    assert is_rte_document(doc())
    assert not is_rte_document({"type": "p"})
    assert not is_rte_document("<p>x</p>")


# --- escaping ----------------------------------------------------------------------------


def test_text_is_escaped_unlike_python_utils() -> None:
    html_out = rte_to_html(doc(p(text("<script>alert('x')</script> & \"q\"", bold=True))))
    assert html_out == (
        "<p><strong>&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;</strong></p>"
    )


def test_attribute_values_are_escaped() -> None:
    node = {
        "type": "a",
        "attrs": {
            "href": '/x" onclick="alert(1)',
            "target": '_blank"><script>',
            "class-name": 'a" onmouseover="x',
            "id": "<id>",
            "style": {"color": 'red"'},
        },
        "children": [text("t", classname='c"><b>', id="i'")],
    }
    out = rte_to_html(doc(node))
    assert out == (
        '<a style="color:red&quot;;" class="a&quot; onmouseover=&quot;x" id="&lt;id&gt;"'
        ' href="/x&quot; onclick=&quot;alert(1)" target="_blank&quot;&gt;&lt;script&gt;">'
        '<span class="c&quot;&gt;&lt;b&gt;" id="i&#x27;">t</span></a>'
    )


def test_escaping_can_be_turned_off_for_trusted_text() -> None:
    renderer = HTMLRenderer(escape=False)
    assert rte_to_html(doc(p(text("<b>ok</b>"))), renderer=renderer) == "<p><b>ok</b></p>"
    # Attribute values stay escaped: there is no legitimate raw-attribute use.
    out = rte_to_html(doc({"type": "p", "attrs": {"id": '"x'}, "children": []}), renderer=renderer)
    assert out == '<p id="&quot;x"></p>'


def test_embedded_item_titles_are_escaped() -> None:
    author = {"uid": "a1", "_content_type_uid": "author", "title": "<img src=x onerror=alert(1)>"}
    out = rte_to_html(
        doc(ref(entry_uid="a1", content_type_uid="author", display_type="inline", type="entry")),
        {"x": [author]},
    )
    assert out == "<span>&lt;img src=x onerror=alert(1)&gt;</span>"


UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "livescript:x",
]
SAFE_URLS = [
    "https://example.com/a?b=1&c=2",
    "http://example.com",
    "/relative/path",
    "relative.html",
    "#anchor",
    "mailto:ada@example.com",
    "tel:+15551234",
    "//cdn.example.com/x.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "/search?q=javascript:alert(1)",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_url_schemes_are_dropped(url: str) -> None:
    assert safe_url(url) is None and not is_safe_url(url)
    nodes: list[dict[str, Any]] = [
        {"type": "a", "attrs": {"href": url}, "children": [text("link")]},
        {"type": "img", "attrs": {"src": url}, "children": []},
        {"type": "embed", "attrs": {"src": url}, "children": []},
        ref([text("entry")], entry_uid="e", display_type="link", type="entry", href=url),
        ref(asset_uid="a", asset_link=url, display_type="display", type="asset", link=url),
        ref(asset_uid="a", asset_link=url, display_type="download", type="asset"),
    ]
    out = rte_to_html(doc(*nodes))
    assert "script:" not in out.lower().replace("\t", "").replace("\n", "")
    assert "href" not in out and "src" not in out
    assert out == (
        "<a>link</a><img /><iframe></iframe><a>entry</a>"
        '<figure><img asset_uid="a" /></figure><a>a</a>'
    )


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url.strip()
    out = rte_to_html(doc({"type": "a", "attrs": {"href": url}, "children": [text("x")]}))
    assert out == f'<a href="{html.escape(url)}">x</a>'


def test_url_filter_is_pluggable() -> None:
    renderer = HTMLRenderer(url_filter=lambda u: u if u.startswith("https://") else None)
    out = rte_to_html(
        doc(
            {"type": "a", "attrs": {"href": "/local"}, "children": [text("a")]},
            {"type": "a", "attrs": {"href": "https://ok"}, "children": [text("b")]},
        ),
        renderer=renderer,
    )
    assert out == '<a>a</a><a href="https://ok">b</a>'


# --- tables and lists --------------------------------------------------------------------


def test_table_col_widths_with_fractional_total() -> None:
    table = {"type": "table", "attrs": {"colWidths": [100.5, 100]}, "children": []}
    assert rte_to_html(doc(table)) == (
        '<table><colgroup data-width="200.5"><col style="width:50.12%"/>'
        '<col style="width:49.88%"/></colgroup></table>'
    )


def test_table_without_usable_widths_has_no_colgroup() -> None:
    for widths in ([], [0, 0], "100,200", [True]):
        table = {"type": "table", "attrs": {"colWidths": widths}, "children": []}
        assert rte_to_html(doc(table)) == "<table></table>"


def test_spans_from_redactor_attributes() -> None:
    cell = {"type": "th", "attrs": {"redactor-attributes": {"colSpan": 3}}, "children": []}
    assert rte_to_html(doc(cell)) == '<th colspan="3"></th>'


def test_deeply_nested_lists() -> None:
    def li(label: str, *nested: dict[str, Any]) -> dict[str, Any]:
        return {"type": "li", "attrs": {}, "children": [text(label), *nested]}

    tree = {
        "type": "ol",
        "attrs": {},
        "children": [
            li(
                "1",
                {
                    "type": "ul",
                    "attrs": {},
                    "children": [li("1.1", {"type": "ol", "attrs": {}, "children": [li("1.1.1")]})],
                },
            ),
            li("2"),
        ],
    }
    assert rte_to_html(doc(tree)) == (
        "<ol><li>1<ul><li>1.1<ol><li>1.1.1</li></ol></li></ul></li><li>2</li></ol>"
    )
    assert rte_to_text(doc(tree)) == "1\n1.1\n1.1.1\n2"


def test_list_folding_can_be_turned_off_for_exact_utils_output() -> None:
    legacy = {
        "type": "ul",
        "attrs": {},
        "children": [
            {"type": "li", "attrs": {}, "children": [text("One")]},
            {"type": "ul", "attrs": {}, "children": [{"type": "li", "children": [text("n")]}]},
        ],
    }
    out = rte_to_html(doc(legacy), renderer=HTMLRenderer(fold_nested_lists=False))
    assert out == "<ul><li>One</li><ul><li>n</li></ul></ul>"


# --- embedded entries and assets ---------------------------------------------------------

BODY_HTML = [
    "<p>Our favourite mug: <span>Stoneware Mug</span>.</p>",
    "<div><p>Stoneware Mug</p><p>Content type: <span>product</span></p></div>",
    '<p>Written by <a class="embedded-entry redactor-component inline-entry" href="/authors/ada"'
    ' target="_self"><strong>Ada</strong></a></p>',
    '<img src="https://images.contentstack.io/v3/assets/blt1111/blt9e8d7c6b5a4f3e20/'
    '6601a2b3c4d5e6f7/mug.jpg" alt="Mug on a table" />',
    '<figure style="text-align:right;max-width:137px;"><a href="https://shop.example.com/mug"'
    ' target="_blank"><img asset_uid="blt9e8d7c6b5a4f3e20" class="embedded-asset"'
    ' src="https://images.contentstack.io/v3/assets/blt1111/blt9e8d7c6b5a4f3e20/'
    '6601a2b3c4d5e6f7/mug.jpg" alt="Blue mug" style="text-align:right;max-width:137px;" />'
    "</a><figcaption>The mug</figcaption></figure>",
    '<p><a href="https://assets.contentstack.io/v3/assets/blt1111/blt2a3b4c5d6e7f8a90/'
    '6601a2b3c4d5e6f8/care.pdf">Care instructions</a></p>',
    "",
    '<figure><img asset_uid="blt_missing_asset" src="https://images.contentstack.io/v3/'
    'assets/blt1111/blt_missing_asset/x/gone.png" /></figure>',
    "<div><p>Cold Brew</p><p>Content type: <span>recipe</span></p></div>",
]


def test_every_embed_in_a_field_is_resolved_unlike_python_utils(entry: dict[str, Any]) -> None:
    assert render_rte_field(entry, "body") == ["".join(BODY_HTML)]


def test_embedded_entry_inline_and_block(entry: dict[str, Any]) -> None:
    embedded = entry["_embedded_items"]
    product = ref(entry_uid="blt5d1f0a1c2b3e4f50", content_type_uid="product", type="entry")
    inline = dict(product, attrs={**product["attrs"], "display-type": "inline"})
    assert rte_to_html(doc(inline), embedded) == "<span>Stoneware Mug</span>"
    assert rte_to_html(doc(product), embedded) == BODY_HTML[1]  # block is the default


def test_embedded_entry_link_uses_item_url_without_href_unlike_utils_undefined(
    entry: dict[str, Any],
) -> None:
    node = ref(
        entry_uid="blt7a8b9c0d1e2f3a40",
        content_type_uid="author",
        display_type="link",
        type="entry",
    )
    out = rte_to_html(doc(node), entry["_embedded_items"])
    assert out == '<a href="/authors/ada">Ada &lt;Barista&gt;</a>'


def test_embedded_link_keeps_editor_href_and_children_when_item_missing() -> None:
    node = ref([text("Read")], entry_uid="gone", display_type="link", type="entry", href="/x")
    assert rte_to_html(doc(node)) == '<a href="/x">Read</a>'


def test_embedded_asset_link_has_utils_download_attributes() -> None:
    node = ref(
        [text("Manual")],
        asset_uid="blt1",
        display_type="link",
        type="asset",
        href="/m.pdf",
        target="_blank",
    )
    assert rte_to_html(doc(node)) == (
        '<a href="/m.pdf" target="_blank" type="asset" content-type-uid="sys_assets"'
        ' data-sys-asset-uid="blt1" sys-style-type="download">Manual</a>'
    )


def test_embedded_asset_display_and_download(entry: dict[str, Any]) -> None:
    embedded = entry["_embedded_items"]
    image = ref(asset_uid="blt9e8d7c6b5a4f3e20", display_type="display", type="asset")
    pdf = ref(
        [text("Care guide")], asset_uid="blt2a3b4c5d6e7f8a90", display_type="download", type="asset"
    )
    assert rte_to_html(doc(image), embedded) == BODY_HTML[3]
    assert rte_to_html(doc(pdf), embedded) == (
        '<a href="https://assets.contentstack.io/v3/assets/blt1111/blt2a3b4c5d6e7f8a90/'
        '6601a2b3c4d5e6f8/care.pdf">Care guide</a>'
    )


def test_asset_figure_matches_utils_when_not_resolved() -> None:
    node = ref(
        asset_uid="bltb87e",
        asset_link="https://images.contentstack.io/v3/assets/k/bltb87e/v/batman.png",
        display_type="display",
        type="asset",
        class_name="embedded-asset",
        link="https://batman.com",
        target="_blank",
        style={"text-align": "right", "width": "137px"},
        redactor_attributes={"alt": "batman", "asset-caption": "The Batman"},
    )
    # Same as contentstack-utils except that <img> carries no target (it means nothing there).
    assert rte_to_html(doc(node)) == (
        '<figure style="text-align:right;width:137px;"><a href="https://batman.com"'
        ' target="_blank"><img asset_uid="bltb87e" class="embedded-asset"'
        ' src="https://images.contentstack.io/v3/assets/k/bltb87e/v/batman.png" alt="batman"'
        ' style="text-align:right;width:137px;" /></a><figcaption>The Batman</figcaption></figure>'
    )


def test_missing_items_render_safe_fallbacks() -> None:
    nodes = [
        ref(entry_uid="nope", content_type_uid="product", display_type="block", type="entry"),
        ref(entry_uid="nope", content_type_uid="product", display_type="inline", type="entry"),
        ref([text("Read")], entry_uid="nope", display_type="link", type="entry"),
        ref(asset_uid="nope", display_type="display", type="asset"),
        ref(
            asset_uid="nope",
            asset_link="/f.pdf",
            asset_name="f.pdf",
            display_type="download",
            type="asset",
        ),
        ref(),
    ]
    assert rte_to_html(doc(*nodes), {"body": []}) == '<a>Read</a><a href="/f.pdf">f.pdf</a>'
    assert rte_to_text(doc(*nodes)) == "Read\nf.pdf"


def test_entry_reference_needs_matching_content_type() -> None:
    items = {"body": [{"uid": "e1", "_content_type_uid": "author", "title": "Ada"}]}
    wrong = ref(entry_uid="e1", content_type_uid="product", display_type="inline", type="entry")
    right = ref(entry_uid="e1", content_type_uid="author", display_type="inline", type="entry")
    assert rte_to_html(doc(wrong), items) == ""
    assert rte_to_html(doc(right), items) == "<span>Ada</span>"


def test_embedded_items_index() -> None:
    index = EmbeddedItems.from_field_map(
        {
            "a": [{"uid": "x", "_content_type_uid": "ct", "title": "first"}],
            "b": [
                {"uid": "x", "_content_type_uid": "ct", "title": "dup"},
                {"uid": "as"},
                {"no": "uid"},
            ],
            "c": "not a list",
        }
    )
    assert len(index) == 2 and index
    found = index.get("x", "ct")
    assert found is not None and found["title"] == "first"
    assert index.get("as", "sys_assets") == {"uid": "as"}
    assert index.get("x", "other") is None
    assert not EmbeddedItems.from_field_map(None)


def test_several_embeds_and_several_documents_in_one_field(entry: dict[str, Any]) -> None:
    assert render_rte_field(entry, "summary") == [
        "<p>First summary with <span>Cold Brew</span></p>",
        "<p>Second summary.</p>",
    ]


# --- overrides ---------------------------------------------------------------------------


def test_override_per_node_type() -> None:
    def paragraph(node: RTEElement, children: str, ctx: RenderContext) -> str:
        parent = ctx.parent.type if ctx.parent else None
        return f"<p data-parent='{parent}'>{children}</p>"

    renderer = HTMLRenderer(
        nodes={"p": paragraph, "x-callout": lambda n, c, ctx: f"<aside>{c}</aside>"}
    )
    document = doc(p(text("a")), {"type": "x-callout", "attrs": {}, "children": [p(text("b"))]})
    assert rte_to_html(document, renderer=renderer) == (
        "<p data-parent='doc'>a</p><aside><p data-parent='x-callout'>b</p></aside>"
    )


def test_override_per_mark_and_class_span() -> None:
    renderer = HTMLRenderer(
        marks={
            RTEMark.BOLD: lambda inner, leaf: f"<b>{inner}</b>",
            "italic": lambda inner, leaf: f"<i data-len='{len(leaf.text)}'>{inner}</i>",
            CLASS_NAME_MARK: lambda inner, leaf: f"<mark class='{leaf.class_name}'>{inner}</mark>",
        }
    )
    out = rte_to_html(
        doc(p(text("<x>", bold=True, italic=True, classname="hl"))), renderer=renderer
    )
    assert out == "<p><b><i data-len='3'><mark class='hl'>&lt;x&gt;</mark></i></b></p>"


def test_override_per_embed_style_and_content_type(entry: dict[str, Any]) -> None:
    def card(node: RTEReference, children: str, ctx: RenderContext) -> str:
        assert ctx.item is not None
        return f"<article>{html.escape(ctx.item['title'])} ${ctx.item['price']}</article>"

    def any_block(node: RTEReference, children: str, ctx: RenderContext) -> str:
        return "<div>block</div>"

    def any_recipe(node: RTEReference, children: str, ctx: RenderContext) -> str:
        return "<div>recipe</div>"

    renderer = HTMLRenderer(
        embeds={("block", "product"): card, "block": any_block, ("*", "recipe"): any_recipe}
    )
    out = render_rte_field(entry, "body", renderer)[0]
    assert "<article>Stoneware Mug $18</article>" in out
    assert "<div>recipe</div>" in out  # ("*", ct) beats the bare style
    assert "<span>Stoneware Mug</span>" in out  # inline: not overridden
    assert "<div>block</div>" not in out  # the only other block is missing: never overridden
    assert out.count("<article>") == 1


def test_reference_node_override_handles_missing_items() -> None:
    seen: list[tuple[str | None, bool]] = []

    def reference(node: RTEElement, children: str, ctx: RenderContext) -> str:
        assert isinstance(node, RTEReference)
        seen.append((node.item_uid, ctx.item is not None))
        return "[embed]"

    items = {"f": [{"uid": "e1", "_content_type_uid": "ct", "title": "T"}]}
    document = doc(
        ref(entry_uid="e1", content_type_uid="ct", type="entry", display_type="block"),
        ref(entry_uid="e2", content_type_uid="ct", type="entry", display_type="block"),
    )
    assert rte_to_html(document, items, renderer=HTMLRenderer(nodes={"reference": reference})) == (
        "[embed][embed]"
    )
    assert seen == [("e1", True), ("e2", False)]


def test_subclass_overrides_methods() -> None:
    class Custom(HTMLRenderer):
        def link(self, node: RTELink, children: str, ctx: RenderContext) -> str:
            base = super().link(node, children, ctx)
            return base.replace("<a ", '<a rel="nofollow" ', 1)

        def embedded_inline(self, node: RTEReference, children: str, ctx: RenderContext) -> str:
            return f"<em>{(ctx.item or {}).get('title')}</em>"

        def mark(self, mark: RTEMark, html_text: str, node: RTEText) -> str:
            if mark is RTEMark.STRIKETHROUGH:
                return f"<s>{html_text}</s>"
            return super().mark(mark, html_text, node)

    document = doc(
        p(
            {"type": "a", "attrs": {"href": "/x"}, "children": [text("x", strikethrough=True)]},
            ref(entry_uid="e", content_type_uid="c", display_type="inline", type="entry"),
        )
    )
    out = Custom().render(document, {"f": [{"uid": "e", "_content_type_uid": "c", "title": "E"}]})
    assert out == '<p><a rel="nofollow" href="/x"><s>x</s></a><em>E</em></p>'


def test_plain_text_override() -> None:
    renderer = PlainTextRenderer(nodes={"li": lambda node, children, ctx: f"* {children}"})
    document = doc(
        {
            "type": "ul",
            "attrs": {},
            "children": [
                {"type": "li", "children": [text("a")]},
                {"type": "li", "children": [text("b")]},
            ],
        }
    )
    assert rte_to_text(document, renderer=renderer) == "* a\n* b"


def test_plain_text_of_embedded_items(entry: dict[str, Any]) -> None:
    assert rte_to_text(entry["body"], entry["_embedded_items"]) == (
        "Our favourite mug: Stoneware Mug.\nStoneware Mug\nWritten by Ada\nThe mug\n"
        "Care instructions\nCold Brew"
    )


# --- a framework-neutral renderer ---------------------------------------------------------

Element = tuple[str, dict[str, str], list[Any]]


class TupleRenderer(RTERenderer[Element | str]):
    """Builds (tag, props, children) tuples, the shape a React/htpy-style adapter would use."""

    def render_text(self, node: RTEText, ctx: RenderContext) -> Element | str:
        if RTEMark.BOLD in node.marks:
            return ("strong", {}, [node.text])
        return node.text

    def render_element(
        self, node: RTEElement, children: Sequence[Element | str], ctx: RenderContext
    ) -> Element | str:
        props = {"href": node.href or ""} if isinstance(node, RTELink) else {}
        if isinstance(node, RTEReference):
            props = {"title": str((ctx.item or {}).get("title", ""))}
        return (node.type, props, list(children))


def test_generic_renderer_builds_any_output(entry: dict[str, Any]) -> None:
    renderer = TupleRenderer()
    out = renderer.render(
        doc(
            p(text("a", bold=True), {"type": "a", "attrs": {"href": "/h"}, "children": [text("b")]})
        )
    )
    assert out == ("doc", {}, [("p", {}, [("strong", {}, ["a"]), ("a", {"href": "/h"}, ["b"])])])
    rendered = render_rte_field(entry, "sections.hero.text", renderer)
    assert rendered[0] == (
        "doc",
        {},
        [("p", {}, ["Hero one ", ("reference", {"title": "Stoneware Mug"}, [""])])],
    )


# --- entry-level rendering --------------------------------------------------------------


def test_field_paths_through_groups_modular_blocks_and_indexes(entry: dict[str, Any]) -> None:
    assert render_rte_field(entry, "seo.description") == ["<p>Handmade mugs &amp; cups</p>"]
    assert render_rte_field(entry, "sections.hero.text") == [
        "<p>Hero one <span>Stoneware Mug</span></p>",
        "<p>Hero two</p>",
    ]
    assert render_rte_field(entry, "sections.1.quote.text") == [
        "<blockquote>Not a hero</blockquote>"
    ]
    assert render_rte_field(entry, "sections.9.hero.text") == []
    assert render_rte_field(entry, "legacy_html") == []  # HTML RTE strings are not JSON RTE
    assert render_rte_field(entry, "no.such.field") == []
    assert len(rte_documents(entry, "sections.hero.text")) == 2
    with pytest.raises(ValueError, match="invalid field path"):
        render_rte_field(entry, "seo..description")


def test_entry_level_render_through_generated_entry_model(entry: dict[str, Any]) -> None:
    model = Entry.from_dict(copy.deepcopy(entry))
    assert render_rte_field(model, "body") == ["".join(BODY_HTML)]
    assert render_rte_field(model, "sections.hero.text")[0] == (
        "<p>Hero one <span>Stoneware Mug</span></p>"
    )
    rendered = render_rte_entry(model, ["body", "summary"])
    assert rendered["uid"] == entry["uid"]
    assert rendered["body"] == "".join(BODY_HTML)
    assert rendered["summary"][0] == "<p>First summary with <span>Cold Brew</span></p>"


def test_render_entry_returns_a_copy_and_leaves_the_entry_alone(entry: dict[str, Any]) -> None:
    before = copy.deepcopy(entry)
    rendered = render_rte_entry(entry, ["body", "summary", "seo.description", "sections.hero.text"])
    assert entry == before
    assert rendered["body"] == "".join(BODY_HTML)
    assert rendered["summary"] == [
        "<p>First summary with <span>Cold Brew</span></p>",
        "<p>Second summary.</p>",
    ]
    assert rendered["seo"] == {
        "meta_title": "Mugs",
        "description": "<p>Handmade mugs &amp; cups</p>",
    }
    assert rendered["sections"][0]["hero"]["text"] == "<p>Hero one <span>Stoneware Mug</span></p>"
    assert rendered["sections"][1] == entry["sections"][1]  # not on a rendered path
    assert rendered["legacy_html"] == "<p>Old field</p>"
    text_version = render_rte_entry(entry, "seo.description", PlainTextRenderer())
    assert text_version["seo"]["description"] == "Handmade mugs & cups"


# --- HTML RTE (string) fields -------------------------------------------------------------

HTML_RTE_RESULT = (
    "<p>Intro &amp; welcome</p>\n"
    "<div><p>Stoneware Mug</p><p>Content type: <span>product</span></p></div>\n"
    '<p>See <span>Stoneware Mug</span> or <a href="/products/stoneware-mug">buy it</a>.</p>\n'
    '<img src="https://images.contentstack.io/v3/assets/blt1111/blt9e8d7c6b5a4f3e20/'
    '6601a2b3c4d5e6f7/mug.jpg" alt="Mug on a table" />\n'
    '<p><a href="https://assets.contentstack.io/v3/assets/blt1111/blt2a3b4c5d6e7f8a90/'
    '6601a2b3c4d5e6f8/care.pdf">Care PDF</a></p>\n'
)


def test_html_rte_replaces_every_embedded_element_unlike_python_utils() -> None:
    entry = load("html_rte_entry.json")
    out = render_html_rte(entry["rich_text_editor"], EmbeddedItems.from_entry(entry))
    assert out == HTML_RTE_RESULT
    # The raw _embedded_items mapping works as well as an index.
    assert render_html_rte(entry["rich_text_editor"], entry["_embedded_items"]) == HTML_RTE_RESULT


def test_html_rte_uses_the_renderer_overrides() -> None:
    entry = load("html_rte_entry.json")
    renderer = HTMLRenderer(
        embeds={"inline": lambda node, children, ctx: f"[{(ctx.item or {}).get('title')}]"}
    )
    out = render_html_rte(entry["rich_text_editor"], entry["_embedded_items"], renderer=renderer)
    assert "<p>See [Stoneware Mug] or" in out


def test_html_rte_leaves_other_markup_untouched() -> None:
    source = '<div class="x">\n<p>&lt;b&gt; stays <br>escaped</p><img src="/a.png"></div>'
    assert render_html_rte(source) == source
    assert render_html_rte("") == ""


def test_html_rte_nested_same_tag_void_and_unclosed_elements() -> None:
    items = {"f": [{"uid": "e1", "_content_type_uid": "c", "title": "E"}]}
    entry_attrs = 'data-sys-entry-uid="e1" data-sys-content-type-uid="c" type="entry"'
    source = (
        f'<figure class="embedded-entry" {entry_attrs} sys-style-type="block">'
        "<figure>inner</figure><p>still inside</p></figure>|"
        f'<img class="embedded-asset" data-sys-asset-uid="a9" src="/x.png" sys-style-type="display">|'
        f'<span class="embedded-entry" {entry_attrs} sys-style-type="inline">x'
    )
    out = render_html_rte(source, items)
    assert out == (
        "<div><p>E</p><p>Content type: <span>c</span></p></div>|"
        '<figure><img asset_uid="a9" src="/x.png" /></figure>|<span>E</span>x'
    )


def test_html_rte_link_text_is_escaped_and_javascript_href_dropped() -> None:
    source = (
        '<a class="embedded-entry" href="javascript:alert(1)" data-sys-entry-uid="e"'
        ' sys-style-type="link" type="entry">&lt;b&gt;hi</a>'
    )
    assert render_html_rte(source) == "<a>&lt;b&gt;hi</a>"


# --- properties --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(),
            st.sets(st.sampled_from([m.value for m in RTEMark if m is not RTEMark.BREAK])),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_text_leaves_are_escaped_and_kept(leaves: list[tuple[str, set[str]]]) -> None:
    document = doc(p(*[text(value, **dict.fromkeys(marks, True)) for value, marks in leaves]))
    out = rte_to_html(document)
    # Every "<" in the output starts one of our tags; none comes from the input text.
    stripped = out
    for tag in ("p", "strong", "em", "u", "strike", "code", "sub", "sup"):
        stripped = stripped.replace(f"<{tag}>", "").replace(f"</{tag}>", "")
    stripped = stripped.replace("<br />", "")
    assert "<" not in stripped
    assert html.unescape(stripped) == "".join(v for v, _ in leaves).replace("\n", "")
    plain = rte_to_text(document)
    for value, _ in leaves:
        assert value in plain


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00")))
def test_any_attribute_value_stays_inside_its_quotes(value: str) -> None:
    node = {
        "type": "p",
        "attrs": {"class-name": value, "id": value, "style": value},
        "children": [text(value, classname=value)],
    }
    parser = _Tags()
    parser.feed(rte_to_html(doc(node)))
    parser.close()
    expected = {"style": value, "class": value, "id": value} if value else {}
    assert parser.starts[0] == ("p", expected)
    tags = [tag for tag, _ in parser.starts if tag != "br"]  # newlines in the text become <br />
    assert tags == (["p", "span"] if value else ["p"])
    assert "".join(parser.data) == value.replace("\n", "")


# --- static types --------------------------------------------------------------------------


def test_public_types(entry: dict[str, Any]) -> None:
    document = parse_rte(entry["body"])
    assert_type(document, RTEDocument)
    assert_type(document.children, tuple[RTENode, ...])
    assert_type(rte_to_html(document), str)
    assert_type(rte_to_text(document), str)
    assert_type(render_rte_field(entry, "body"), list[str])
    assert_type(render_rte_field(entry, "body", TupleRenderer()), list[Element | str])
    assert_type(render_rte_entry(entry, "body"), dict[str, Any])
    assert_type(render_html_rte("<p></p>"), str)
    assert_type(RenderContext().item, EmbeddedItem | None)
    assert_type(EmbeddedItems.from_entry(entry).get("x"), Mapping[str, Any] | None)
    assert_type(parse_rte_node(text("x")), RTEElement | RTEText)
