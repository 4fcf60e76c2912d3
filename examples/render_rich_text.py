"""Render rich text to HTML and plain text, and build responsive image URLs.

Embedded entries and assets are resolved from the entry's ``_embedded_items``.

    python examples/render_rich_text.py
"""

from __future__ import annotations

from contentstack_client import Stack, image
from contentstack_client.rich_text import (
    HTMLRenderer,
    PlainTextRenderer,
    RenderContext,
    RTEElement,
    render_rte_field,
)
from contentstack_client.testing import InMemoryStack


def lead_paragraph(node: RTEElement, children: str, context: RenderContext) -> str:
    """Our own rendering of paragraphs: everything else stays the default (escaped) HTML."""
    return f'<p class="lead">{children}</p>'


def main(stack: Stack) -> None:
    """Fetch a post with its embedded items and render its ``content`` field."""
    post = stack.query("blog_post").include_embedded_items().fetch("blt_post_03")
    print("HTML:\n", render_rte_field(post, "content")[0])
    print("\nText:\n", render_rte_field(post, "content", renderer=PlainTextRenderer())[0])
    custom = HTMLRenderer(nodes={"p": lead_paragraph})
    print("\nCustom paragraphs:\n", render_rte_field(post, "content", renderer=custom)[0])

    asset = stack.asset_query().regex("content_type", "^image/").find_one()
    if asset is not None:
        hero = image(asset).width(1200).format("webp").quality(80)
        print(f"\nHero image: {hero.url}")
        print(f"srcset: {hero.srcset(widths=[320, 640, 1280])}")


if __name__ == "__main__":
    with InMemoryStack.demo().stack() as demo:
        main(demo)
