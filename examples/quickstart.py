"""Quickstart: read published content with contentstack-client.

With CONTENTSTACK_API_KEY, CONTENTSTACK_DELIVERY_TOKEN and CONTENTSTACK_ENVIRONMENT set
(and optionally CONTENTSTACK_REGION, CONTENTSTACK_CONTENT_TYPE) it reads your stack.
Without them it serves the bundled demo blog on 127.0.0.1 and reads that instead.

    make demo        # or: python examples/quickstart.py
"""

from __future__ import annotations

import os
from contextlib import ExitStack

from contentstack_client import NotFoundError, Stack, UnprocessableEntityError
from contentstack_client.testing import InMemoryStack


def connect(resources: ExitStack) -> tuple[Stack, str]:
    """A Stack for your credentials, or for the demo stack served on loopback."""
    api_key = os.environ.get("CONTENTSTACK_API_KEY")
    token = os.environ.get("CONTENTSTACK_DELIVERY_TOKEN")
    environment = os.environ.get("CONTENTSTACK_ENVIRONMENT")
    if api_key and token and environment:
        region = os.environ.get("CONTENTSTACK_REGION", "na")
        print(f"Reading stack {api_key[:4]}... ({environment}, region {region})")
        stack = resources.enter_context(Stack(api_key, token, environment, region=region))
        content_type = os.environ.get("CONTENTSTACK_CONTENT_TYPE", "")
        return stack, content_type
    kit = InMemoryStack.demo()
    server = resources.enter_context(kit.serve())
    print(f"No CONTENTSTACK_* credentials set: reading the demo stack served at {server.url}")
    stack = resources.enter_context(
        Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url)
    )
    return stack, "blog_post"


def main() -> None:
    """List content types, a page of entries, one entry and the assets."""
    with ExitStack() as resources:
        stack, content_type = connect(resources)

        types = stack.find_content_types(include_count=True)
        print(f"\n{types.count} content types:")
        for ct in types.content_types:
            print(f"  {ct.uid:<20} {ct.title} ({len(ct.schema or [])} fields)")
        content_type = content_type or types.content_types[0].uid

        page = stack.find_entries(content_type, limit=5, include_count=True)
        print(f"\nFirst {len(page.entries)} of {page.count} '{content_type}' entries:")
        for entry in page.entries:
            print(f"  {entry.uid}  {entry.title!s:<45} updated {entry.updated_at}")

        if page.entries:
            first = stack.fetch_entry(content_type, page.entries[0].uid)
            custom = sorted(first.additional_keys)
            print(f"\nEntry {first.uid}: version {first.field_version}, custom fields {custom}")

        try:
            stack.fetch_entry(content_type, "no_such_entry")
        except (NotFoundError, UnprocessableEntityError) as exc:
            print(
                f"\nA missing entry raises {type(exc).__name__}: error_code {exc.error_code}, {exc.error_message!r}"
            )

        assets = stack.find_assets(limit=3)
        print(f"\n{len(assets.assets)} assets:")
        for asset in assets.assets:
            print(f"  {asset.filename}  {asset.content_type}  {asset.url}")


if __name__ == "__main__":
    main()
