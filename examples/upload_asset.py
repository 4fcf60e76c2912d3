"""Upload a file as an asset (streamed, never read whole), publish it, build an image URL.

With CONTENTSTACK_API_KEY, CONTENTSTACK_MANAGEMENT_TOKEN and CONTENTSTACK_ENVIRONMENT set
(and optionally CONTENTSTACK_REGION, CONTENTSTACK_LOCALE) it uploads CONTENTSTACK_ASSET_FILE,
or a generated 1x1 PNG, to your stack. Without them it uploads to the bundled demo stack,
in memory.

    python examples/upload_asset.py
"""

from __future__ import annotations

import base64
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

from contentstack_client import ManagementStack, image
from contentstack_client.testing import InMemoryStack

# A 1x1 transparent PNG, used when no file is named.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def connect(resources: ExitStack) -> tuple[ManagementStack, str]:
    """A management client and the environment to publish to (yours, or the demo stack's)."""
    api_key = os.environ.get("CONTENTSTACK_API_KEY")
    token = os.environ.get("CONTENTSTACK_MANAGEMENT_TOKEN")
    environment = os.environ.get("CONTENTSTACK_ENVIRONMENT")
    if api_key and token and environment:
        region = os.environ.get("CONTENTSTACK_REGION", "na")
        print(f"Uploading to stack {api_key[:4]}... ({environment}, region {region})")
        stack = ManagementStack(api_key, management_token=token, region=region)
        return resources.enter_context(stack), environment
    print("No CONTENTSTACK_* credentials set: uploading to the in-memory demo stack")
    kit = InMemoryStack.demo()
    return resources.enter_context(kit.management_stack()), kit.environment


def file_to_upload(resources: ExitStack) -> Path:
    """CONTENTSTACK_ASSET_FILE, or a small PNG written to a temporary folder."""
    named = os.environ.get("CONTENTSTACK_ASSET_FILE")
    if named:
        return Path(named)
    folder = Path(resources.enter_context(tempfile.TemporaryDirectory()))
    path = folder / "pixel.png"
    path.write_bytes(PIXEL)
    return path


def main() -> None:
    """Upload, publish, and print where the file is served."""
    with ExitStack() as resources:
        stack, environment = connect(resources)
        locale = os.environ.get("CONTENTSTACK_LOCALE", "en-us")
        path = file_to_upload(resources)

        # The MIME type is guessed from the file name; pass content_type= to set it.
        asset = stack.upload_asset(
            path,
            title=f"Uploaded by the example: {path.name}",
            description="Uploaded with contentstack-client",
            tags=["example", "upload"],
        )
        print(f"\nUploaded {asset.filename} as {asset.uid}")
        print(f"  {asset.content_type}, {asset.file_size} bytes, version {asset.field_version}")
        print(f"  {asset.url}")

        answer = stack.publish_asset(asset.uid, environments=[environment], locales=[locale])
        print(f"\nPublish to {environment}: {answer.notice}")

        is_image = isinstance(asset.content_type, str) and asset.content_type.startswith("image/")
        if is_image and isinstance(asset.url, str):
            thumbnail = image(asset.url).width(320).format("webp").quality(80)
            print(f"A 320px WebP rendition: {thumbnail.url}")


if __name__ == "__main__":
    main()
