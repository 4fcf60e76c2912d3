"""The Sync API over a log of publish events recorded by the in-memory stack.

Every publish, unpublish and delete is appended to a log with a sequence number. An initial
sync pages through a snapshot of the latest event of each item; its last page issues a sync
token remembering how far the log had grown, and a later call with that token pages
through what changed since. Tokens are random and only mean something to the log that
issued them, like the real API's.
"""

from __future__ import annotations

import copy
import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from .._params import SyncType
from ._errors import KitError, invalid_parameter
from ._filters import as_instant

JSON = dict[str, Any]

EVENT_TYPES = frozenset(get_args(SyncType))
ASSETS = "sys_assets"
"""``content_type_uid`` of asset events."""


@dataclass(frozen=True)
class Event:
    """One recorded change."""

    seq: int
    type: str
    content_type_uid: str
    event_at: str
    data: JSON
    uid: str | None
    locale: str | None

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """Identity of the item the event is about (later events supersede earlier ones)."""
        return (self.content_type_uid, self.uid, self.locale)

    def as_item(self) -> JSON:
        """The item of a sync page."""
        return {
            "type": self.type,
            "event_at": self.event_at,
            "content_type_uid": self.content_type_uid,
            "data": copy.deepcopy(self.data),
        }


@dataclass(frozen=True)
class _Filters:
    content_type_uid: str | None = None
    locale: str | None = None
    start_from: datetime.datetime | None = None
    types: frozenset[str] | None = None

    def accepts(self, event: Event, initial: bool) -> bool:
        if self.types is not None:
            if event.type not in self.types:
                return False
        elif initial and not event.type.endswith("_published"):
            # Without ``type`` an initial sync lists what is published now; deltas also
            # report unpublishing and deletion, which a mirror needs to apply.
            return False
        if self.content_type_uid is not None and event.content_type_uid != self.content_type_uid:
            return False
        if self.locale is not None and event.locale not in (None, self.locale):
            return False
        if initial and self.start_from is not None:
            instant = as_instant(event.event_at)
            if instant is None or instant < self.start_from:
                return False
        return True


@dataclass
class _Page:
    items: list[Event]
    skip: int
    cursor: int
    filters: _Filters


@dataclass
class SyncLog:
    """Recorded events and the tokens issued over them."""

    page_size: int = 100
    events: list[Event] = field(default_factory=list)
    _pages: dict[str, _Page] = field(default_factory=dict)
    _syncs: dict[str, tuple[int, _Filters]] = field(default_factory=dict)

    def record(
        self,
        type_: str,
        content_type_uid: str,
        event_at: str,
        data: Mapping[str, Any],
        uid: str | None = None,
        locale: str | None = None,
    ) -> Event:
        """Append an event (``data`` is copied, so later changes to the item do not leak in)."""
        event = Event(
            len(self.events) + 1,
            type_,
            content_type_uid,
            event_at,
            copy.deepcopy(dict(data)),
            uid,
            locale,
        )
        self.events.append(event)
        return event

    def answer(self, params: Mapping[str, str]) -> JSON:
        """Answer ``GET /v3/stacks/sync`` for its query parameters."""
        modes = [m for m in ("init", "pagination_token", "sync_token") if params.get(m)]
        if len(modes) != 1:
            raise invalid_parameter(
                "sync data", "init", "exactly one of init, pagination_token, sync_token is needed."
            )
        if modes[0] == "pagination_token":
            token = params["pagination_token"]
            if token not in self._pages:
                raise _bad_token("pagination_token")
            return self._page(self._pages[token])
        if modes[0] == "sync_token":
            token = params["sync_token"]
            if token not in self._syncs:
                raise _bad_token("sync_token")
            cursor, filters = self._syncs[token]
            changes = self._latest(filters, after=cursor, initial=False)
            if not changes:
                # Recorded: a delta without changes is ``{items: [], sync_token}``, same token.
                return {"items": [], "sync_token": token}
            return self._page(_Page(changes, 0, len(self.events), filters))
        if params["init"] != "true":
            raise invalid_parameter("sync data", "init", "must be true.")
        filters = _filters(params)
        return self._page(
            _Page(self._latest(filters, after=0, initial=True), 0, len(self.events), filters)
        )

    def _latest(self, filters: _Filters, after: int, initial: bool) -> list[Event]:
        latest: dict[tuple[str, str | None, str | None], Event] = {}
        dropped_types: dict[str, int] = {}
        for event in self.events:
            if event.type == "content_type_deleted":
                dropped_types[event.content_type_uid] = event.seq
            latest[event.key] = event
        chosen = [
            e
            for e in latest.values()
            if e.seq > after
            and filters.accepts(e, initial)
            # An initial sync must not list entries of a content type deleted since.
            and not (
                initial
                and e.type.startswith("entry_")
                and e.seq < dropped_types.get(e.content_type_uid, 0)
            )
        ]
        # Newest first, as the recorded pages are.
        chosen.sort(key=lambda e: (as_instant(e.event_at) or _EPOCH, e.seq), reverse=True)
        return chosen

    def _page(self, page: _Page) -> JSON:
        items = page.items[page.skip : page.skip + self.page_size]
        body: JSON = {
            "items": [e.as_item() for e in items],
            "skip": page.skip,
            "limit": self.page_size,
            "total_count": len(page.items),
        }
        following = page.skip + self.page_size
        if following < len(page.items):
            token = secrets.token_hex(16)
            self._pages[token] = _Page(page.items, following, page.cursor, page.filters)
            body["pagination_token"] = token
        else:
            token = secrets.token_hex(16)
            self._syncs[token] = (page.cursor, page.filters)
            body["sync_token"] = token
        return body


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _bad_token(name: str) -> KitError:
    # Guessed: the same 422/141 "valid parameters" answer as other rejected parameters.
    return invalid_parameter("sync data", name, "is not valid.")


def _filters(params: Mapping[str, str]) -> _Filters:
    start_from = None
    if params.get("start_from"):
        start_from = as_instant(params["start_from"])
        if start_from is None:
            raise invalid_parameter("sync data", "start_from", "is not an ISO 8601 date-time.")
    types = None
    if params.get("type"):
        types = frozenset(t.strip() for t in params["type"].split(",") if t.strip())
        unknown = types - EVENT_TYPES
        if unknown:
            raise invalid_parameter("sync data", "type", f"has unknown values {sorted(unknown)}.")
    return _Filters(
        content_type_uid=params.get("content_type_uid") or None,
        locale=params.get("locale") or None,
        start_from=start_from,
        types=types,
    )
