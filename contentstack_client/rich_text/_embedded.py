"""Looking up the entries and assets embedded in rich text (an entry's ``_embedded_items``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from .._generated.cda.models.entry import Entry
    from ._nodes import RTEReference

EmbeddedItem: TypeAlias = Mapping[str, Any]
"""An embedded entry or asset as delivered: ``uid``, ``_content_type_uid``, ``title``, ``url``..."""

ASSET_CONTENT_TYPE = "sys_assets"


def _plain(item: object) -> EmbeddedItem | None:
    # Generated models keep unknown keys in additional_properties; plain dicts are used as is.
    if isinstance(item, Mapping):
        return item
    extra = getattr(item, "additional_properties", None)
    return extra if isinstance(extra, Mapping) else None


class EmbeddedItems:
    """An index of embedded entries and assets, by uid and content type.

    Built from ``_embedded_items`` (``{field_path: [item, ...]}``) as the CDA returns it with
    ``include_embedded_items[]=BASE``. Every item of every field is indexed, so a reference is
    found whichever field path it was listed under.
    """

    __slots__ = ("_by_key", "_by_uid")

    def __init__(self, items: Iterable[EmbeddedItem] = ()) -> None:
        self._by_key: dict[tuple[str, str], EmbeddedItem] = {}
        self._by_uid: dict[str, EmbeddedItem] = {}
        for item in items:
            uid = item.get("uid")
            if not isinstance(uid, str):
                continue
            content_type = item.get("_content_type_uid")
            # The first occurrence wins: the same item listed under two fields is identical.
            if isinstance(content_type, str):
                self._by_key.setdefault((uid, content_type), item)
            self._by_uid.setdefault(uid, item)

    @classmethod
    def from_field_map(cls, embedded: object) -> EmbeddedItems:
        """Index an ``_embedded_items`` value (a mapping of field path to item lists, or its model)."""
        if embedded is None:
            return cls()
        fields = _plain(embedded)
        if fields is None:
            return cls()
        found: list[EmbeddedItem] = []
        for value in fields.values():
            for raw in value if isinstance(value, list | tuple) else (value,):
                item = _plain(raw)
                if item is not None:
                    found.append(item)
        return cls(found)

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any] | Entry) -> EmbeddedItems:
        """Index the ``_embedded_items`` of an entry (a dict or a generated ``Entry``)."""
        if isinstance(entry, Mapping):
            return cls.from_field_map(entry.get("_embedded_items"))
        return cls.from_field_map(getattr(entry, "field_embedded_items", None))

    def get(self, uid: str, content_type_uid: str | None = None) -> EmbeddedItem | None:
        """The item with this uid (and content type, when given), or None."""
        if content_type_uid is not None:
            found = self._by_key.get((uid, content_type_uid))
            if found is not None:
                return found
            # Assets are often listed without ``_content_type_uid``; entries never are.
            if content_type_uid != ASSET_CONTENT_TYPE:
                return None
        return self._by_uid.get(uid)

    def find(self, reference: RTEReference) -> EmbeddedItem | None:
        """The item a reference node points to, or None when it was not delivered."""
        uid = reference.item_uid
        if uid is None:
            return None
        if reference.is_asset:
            return self.get(uid, ASSET_CONTENT_TYPE)
        return self.get(uid, reference.content_type_uid)

    def __len__(self) -> int:
        return len(self._by_uid)

    def __bool__(self) -> bool:
        return bool(self._by_uid)
