"""What the management side keeps beside the published stack: drafts, versions, environments.

The kit's delivery side holds what is published to its delivery environment
(``InMemoryStack.entries`` and ``.assets``). Management works on drafts: every entry locale
and every asset keeps its versions here, with a record of where each is published. Seeded
content (``add_entry``, ``publish_entry``, ``add_asset``...) shows up here as published
drafts, so both sides agree on what exists.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._cma_auth import new_uid

if TYPE_CHECKING:
    from ._memory import InMemoryStack

JSON = dict[str, Any]

SEED_USER = "blt_kit_seed_user"
"""``created_by`` of content seeded from Python rather than created through the API."""

_ENTRY_SYSTEM = frozenset(
    {"uid", "locale", "created_at", "updated_at", "created_by", "updated_by", "_version"}
)
ENTRY_READ_ONLY = _ENTRY_SYSTEM | {"publish_details", "_in_progress", "ACL", "_rules"}
"""Keys an update body cannot change (the API ignores them)."""


class ManagementStore:
    """Drafts and their versions, publish records, environments and bulk jobs."""

    def __init__(self, kit: InMemoryStack) -> None:
        self.kit = kit
        # content type -> entry uid -> locale -> versions, oldest first
        self.entries: dict[str, dict[str, dict[str, list[JSON]]]] = {}
        # (content type, entry uid, locale) -> environment name -> publish record
        self.entry_publishes: dict[tuple[str, str, str], dict[str, JSON]] = {}
        self.assets: dict[str, list[JSON]] = {}
        # asset uid -> (environment name, locale) -> publish record
        self.asset_publishes: dict[str, dict[tuple[str, str], JSON]] = {}
        self.content_type_authors: dict[str, tuple[str, str]] = {}
        self.environments: dict[str, JSON] = {}
        self.jobs: dict[str, JSON] = {}
        self.add_environment(kit.environment, SEED_USER, "2024-01-01T00:00:00.000Z")

    # -- environments -----------------------------------------------------------------------

    def add_environment(
        self, name: str, user: str, when: str, urls: list[Any] | None = None
    ) -> JSON:
        """Create an environment (its uid is new)."""
        environment: JSON = {
            "name": name,
            "urls": urls if urls is not None else [],
            "uid": new_uid(),
            "created_by": user,
            "updated_by": user,
            "created_at": when,
            "updated_at": when,
            "ACL": [],
            "_version": 1,
        }
        self.environments[name] = environment
        return environment

    def environment_uid(self, name: str) -> str:
        """The uid of an environment, or its name when it has been deleted since."""
        found = self.environments.get(name)
        return str(found["uid"]) if found else name

    # -- entries ----------------------------------------------------------------------------

    def chains(self, content_type_uid: str, uid: str) -> dict[str, list[JSON]]:
        """The version chains of an entry, by locale (empty if there is no such entry)."""
        return self.entries.get(content_type_uid, {}).get(uid, {})

    def latest_version(self, content_type_uid: str, uid: str, locale: str) -> int:
        """The newest draft version of one locale of an entry (0 if there is none)."""
        chain = self.chains(content_type_uid, uid).get(locale)
        return int(chain[-1]["_version"]) if chain else 0

    def draft(
        self, content_type_uid: str, uid: str, locale: str, version: int | None = None
    ) -> JSON | None:
        """A version of an entry in ``locale`` or, unlocalized, in its fallback chain."""
        chains = self.chains(content_type_uid, uid)
        for candidate in self.kit.fallback_chain(locale):
            chain = chains.get(candidate)
            if chain:
                if version is None:
                    return chain[-1]
                # Only the requested locale's own versions can be asked for by number.
                return next((v for v in chain if v["_version"] == version), None)
        return None

    def entry_view(self, content_type_uid: str, draft: Mapping[str, Any]) -> JSON:
        """An entry as the CMA answers it: system fields and its publish records."""
        result = copy.deepcopy(dict(draft))
        result.setdefault("created_by", SEED_USER)
        result.setdefault("updated_by", result["created_by"])
        result.setdefault("tags", [])
        result.setdefault("ACL", {})
        result["_in_progress"] = False
        records = self.entry_publishes.get((content_type_uid, result["uid"], result["locale"]), {})
        result["publish_details"] = [copy.deepcopy(r) for r in records.values()]
        return result

    def observe_entry(self, content_type_uid: str, published: Mapping[str, Any]) -> None:
        """Seeding published an entry: keep it as a draft version, published in the kit's env."""
        uid, locale = str(published["uid"]), str(published["locale"])
        chain = self.entries.setdefault(content_type_uid, {}).setdefault(uid, {})
        versions = chain.setdefault(locale, [])
        version = int(published.get("_version", 1))
        if not versions or versions[-1]["_version"] < version:
            draft = {k: copy.deepcopy(v) for k, v in published.items() if k != "publish_details"}
            versions.append(draft)
        details = published.get("publish_details") or {}
        self.entry_publishes.setdefault((content_type_uid, uid, locale), {})[
            self.kit.environment
        ] = {
            "environment": self.environment_uid(self.kit.environment),
            "locale": locale,
            "time": details.get("time", published.get("updated_at")),
            "user": details.get("user", SEED_USER),
            "version": version,
        }

    def forget_entry(self, content_type_uid: str, uid: str, locale: str, deleted: bool) -> None:
        """An entry locale left the kit's environment (unpublished) or the stack (deleted)."""
        if deleted:
            self.entry_publishes.pop((content_type_uid, uid, locale), None)
            chains = self.entries.get(content_type_uid, {}).get(uid)
            if chains is not None:
                chains.pop(locale, None)
                if not chains:
                    del self.entries[content_type_uid][uid]
        else:
            self.entry_publishes.get((content_type_uid, uid, locale), {}).pop(
                self.kit.environment, None
            )

    def forget_content_type(self, uid: str) -> None:
        """A content type and its entries were deleted."""
        self.entries.pop(uid, None)
        self.content_type_authors.pop(uid, None)
        for key in [k for k in self.entry_publishes if k[0] == uid]:
            del self.entry_publishes[key]

    # -- assets -----------------------------------------------------------------------------

    def asset(self, uid: str, version: int | None = None) -> JSON | None:
        """The newest (or a numbered) version of an asset."""
        versions = self.assets.get(uid)
        if not versions:
            return None
        if version is None:
            return versions[-1]
        return next((v for v in versions if v["_version"] == version), None)

    def asset_view(self, asset: Mapping[str, Any]) -> JSON:
        """An asset as the CMA answers it."""
        result = copy.deepcopy(dict(asset))
        result.setdefault("created_by", SEED_USER)
        result.setdefault("updated_by", result["created_by"])
        result.setdefault("tags", [])
        result.setdefault("ACL", {})
        result.setdefault("is_dir", False)
        result.setdefault("parent_uid", None)
        records = self.asset_publishes.get(result["uid"], {})
        result["publish_details"] = [copy.deepcopy(r) for r in records.values()]
        return result

    def observe_asset(self, published: Mapping[str, Any]) -> None:
        """Seeding published an asset: keep it as a draft version, published in the kit's env."""
        uid = str(published["uid"])
        versions = self.assets.setdefault(uid, [])
        version = int(published.get("_version", 1))
        if not versions or versions[-1]["_version"] < version:
            versions.append(
                {k: copy.deepcopy(v) for k, v in published.items() if k != "publish_details"}
            )
        details = published.get("publish_details") or {}
        locale = str(published.get("locale", self.kit.master_locale))
        self.asset_publishes.setdefault(uid, {})[(self.kit.environment, locale)] = {
            "environment": self.environment_uid(self.kit.environment),
            "locale": locale,
            "time": details.get("time", published.get("updated_at")),
            "user": details.get("user", SEED_USER),
            "version": version,
        }

    def forget_asset(self, uid: str, deleted: bool) -> None:
        """An asset left the kit's environment (unpublished) or the stack (deleted)."""
        if deleted:
            self.assets.pop(uid, None)
            self.asset_publishes.pop(uid, None)
            return
        records = self.asset_publishes.get(uid, {})
        for key in [k for k in records if k[0] == self.kit.environment]:
            del records[key]
