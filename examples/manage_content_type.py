"""Create a content type from typed models, or update it when it already exists.

With CONTENTSTACK_API_KEY and CONTENTSTACK_MANAGEMENT_TOKEN set (and optionally
CONTENTSTACK_REGION) it writes the ``press_release`` content type to your stack. Without
them it runs against the bundled demo stack, in memory.

    python examples/manage_content_type.py
"""

from __future__ import annotations

import os
from contextlib import ExitStack

from contentstack_client import ManagementStack, UnprocessableEntityError, pages
from contentstack_client._generated.cma.models import (
    BooleanField,
    ContentTypeDefinition,
    ContentTypeFieldMetadata,
    ContentTypeOptions,
    ContentTypeRequest,
    IsodateField,
    TextField,
)
from contentstack_client.testing import InMemoryStack

# Contentstack's answer for a content type uid it does not know.
CONTENT_TYPE_NOT_FOUND = 118


def connect(resources: ExitStack) -> ManagementStack:
    """A management client for your stack, or for the in-memory demo stack."""
    api_key = os.environ.get("CONTENTSTACK_API_KEY")
    token = os.environ.get("CONTENTSTACK_MANAGEMENT_TOKEN")
    if api_key and token:
        region = os.environ.get("CONTENTSTACK_REGION", "na")
        print(f"Managing stack {api_key[:4]}... (region {region})")
        return resources.enter_context(
            ManagementStack(api_key, management_token=token, region=region)
        )
    print("No CONTENTSTACK_* credentials set: managing the in-memory demo stack")
    return resources.enter_context(InMemoryStack.demo().management_stack())


def press_release() -> ContentTypeDefinition:
    """The content type, field by field: each field type has its own typed model."""
    return ContentTypeDefinition(
        uid="press_release",
        title="Press release",
        description="Announcements for the newsroom",
        schema=[
            TextField(
                data_type="text", uid="title", display_name="Title", mandatory=True, unique=True
            ),
            TextField(data_type="text", uid="url", display_name="URL", mandatory=True),
            TextField(
                data_type="text",
                uid="summary",
                display_name="Summary",
                field_metadata=ContentTypeFieldMetadata(
                    multiline=True, instruction="One or two sentences"
                ),
            ),
            IsodateField(data_type="isodate", uid="embargo_until", display_name="Embargo until"),
            BooleanField(data_type="boolean", uid="featured", display_name="Featured"),
        ],
        options=ContentTypeOptions(
            is_page=True, singleton=False, title="title", url_prefix="/press/"
        ),
    )


def main() -> None:
    """Create (or update) the content type, then list the stack's content types."""
    with ExitStack() as resources:
        stack = connect(resources)
        definition = press_release()
        body = ContentTypeRequest(content_type=definition)
        try:
            stack.api.content_types.get_content_type(definition.uid)
        except UnprocessableEntityError as exc:
            if exc.error_code != CONTENT_TYPE_NOT_FOUND:
                raise
            answer = stack.api.content_types.create_content_type(body=body)
        else:
            answer = stack.api.content_types.update_content_type(definition.uid, body=body)
        print(f"\n{answer.notice}")
        created = answer.content_type
        if created:
            fields = [f.uid for f in created.schema or []]
            print(f"  {created.uid} (version {created.field_version}): fields {fields}")

        print("\nContent types of the stack:")
        for page in pages(stack.api.content_types.get_content_types, page_size=100):
            for content_type in page.content_types or []:
                print(f"  {content_type.uid:<20} {content_type.title}")


if __name__ == "__main__":
    main()
