"""Serve Live Preview: one preview client per incoming request, sharing the pool.

A web framework view would take ``live_preview`` (and ``release_id``/``preview_timestamp``
for Timeline) from the preview iframe's query string. Here a loopback demo stack plays both
the delivery and the preview host:

    python examples/live_preview.py
"""

from __future__ import annotations

from collections.abc import Mapping

from contentstack_client import Stack
from contentstack_client.testing import InMemoryStack


def render_post(
    stack: Stack, uid: str, query_string: Mapping[str, str], preview_token: str, preview_host: str
) -> str:
    """What a view does: read through a preview client when the request carries a hash."""
    client = stack
    if "live_preview" in query_string:
        client = stack.preview(
            query_string["live_preview"],
            preview_token=preview_token,
            release_id=query_string.get("release_id"),
            preview_timestamp=query_string.get("preview_timestamp"),
            host=preview_host,  # omit for the region's rest-preview host
        )
    post = client.query("blog_post").include("author").fetch(uid)
    return f"{post.title} (locale {post.locale})"


if __name__ == "__main__":
    kit = InMemoryStack.demo()
    with (
        kit.serve() as server,
        Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url) as stack,
    ):
        print("published:", render_post(stack, "blt_post_01", {}, kit.preview_token, server.url))
        print(
            "preview:  ",
            render_post(
                stack,
                "blt_post_01",
                {"live_preview": "hash-from-iframe"},
                kit.preview_token,
                server.url,
            ),
        )
