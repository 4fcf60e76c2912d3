"""Mirror published content into a local store with the Sync API, resumably.

The stream's cursor is saved after every event, so a run that stops half-way continues
where it left off, and the final sync token fetches only later changes:

    python examples/sync_to_store.py
"""

from __future__ import annotations

from typing import Any

from contentstack_client import (
    AssetDeleted,
    AssetPublished,
    AssetUnpublished,
    ContentTypeDeleted,
    EntryDeleted,
    EntryPublished,
    EntryUnpublished,
    Stack,
    SyncCursor,
    UnknownSyncEvent,
)
from contentstack_client.testing import InMemoryStack


class Store:
    """A stand-in for your database: entries and assets by uid, plus the saved cursor."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.cursor: dict[str, Any] | None = None

    def apply(self, event: object) -> None:
        """Apply one sync event."""
        match event:
            case EntryPublished(entry=entry):
                self.items[entry.uid] = entry.to_dict()
            case AssetPublished(asset=asset):
                self.items[asset.uid] = asset.to_dict()
            case EntryUnpublished(uid=uid) | EntryDeleted(uid=uid):
                self.items.pop(uid, None)
            case AssetUnpublished(uid=uid) | AssetDeleted(uid=uid):
                self.items.pop(uid, None)
            case ContentTypeDeleted(content_type_uid=ct):
                print(f"content type {ct} deleted")
            case UnknownSyncEvent(type=kind):
                print(f"skipping an event type this client does not know: {kind}")


def sync(stack: Stack, store: Store) -> None:
    """Run (or resume) a sync and keep the cursor after each event."""
    cursor = SyncCursor.from_dict(store.cursor) if store.cursor else None
    stream = stack.iter_sync(cursor=cursor)
    for event in stream:
        store.apply(event)
        store.cursor = stream.cursor.to_dict()
    store.cursor = stream.cursor.to_dict()
    print(f"{len(store.items)} items mirrored; next delta from sync token {stream.sync_token!r}")


if __name__ == "__main__":
    store = Store()
    with InMemoryStack.demo().stack() as demo:
        sync(demo, store)
        sync(demo, store)  # a second run asks only for what changed since
