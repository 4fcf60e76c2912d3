"""An in-memory stack that answers Content Delivery API requests as Contentstack does."""

from __future__ import annotations

import copy
import datetime
import json
import threading
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

from . import _cma_routes, _taxonomy
from ._cma_auth import Sessions, is_management
from ._cma_store import ManagementStore
from ._errors import KitError
from ._routes import route
from ._sync import ASSETS, SyncLog

if TYPE_CHECKING:
    from .._delivery import AsyncStack, Stack
    from .._management import (
        AsyncManagementClient,
        AsyncManagementStack,
        ManagementClient,
        ManagementStack,
    )
    from ._server import LoopbackServer

JSON = dict[str, Any]

_EPOCH = "2024-01-01T00:00:00.000Z"

__all__ = ["InMemoryStack", "KitError"]


def _format_time(moment: datetime.datetime) -> str:
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


_MANAGEMENT_ONLY = frozenset({"user", "user-session", "organizations"})
"""First path segments after ``/v3`` that only the management API serves."""


class InMemoryStack:
    """A stack held in memory that answers the Content Delivery API and the core of the CMA.

    Use it as an httpx transport (:meth:`transport`), as a server on 127.0.0.1
    (:meth:`serve`), or build a client for it directly (:meth:`stack`, :meth:`async_stack`;
    :meth:`management_stack`, :meth:`management_client` and their async twins).
    It checks ``api_key``, ``access_token`` (or ``preview_token``) and ``environment`` like
    the real API and answers in Contentstack's shapes: every ``query`` operator, references
    with ``include[]``, projections, locales with fallback chains, ordering, pagination and
    count, the Sync API over recorded changes, taxonomies and their term hierarchies, and
    errors with Contentstack's codes. A query it cannot evaluate is refused, never ignored.

    Seed it with :meth:`load` (or the ``add_*`` methods); change it the way publishing does
    with :meth:`publish_entry`, :meth:`unpublish_entry`, :meth:`delete_entry`, the asset
    twins and :meth:`delete_content_type`, so a delta sync sees exactly those changes.

    Requests with ``authtoken`` or ``authorization`` (management token, or ``Bearer`` with
    a token from :meth:`add_oauth_token`) go to the Content Management API: login with
    2FA (:meth:`add_user`), content types, entries with versions, assets (multipart),
    environments, locales, publishing and bulk jobs. Publishing to :attr:`environment`
    shows through the delivery API and the Sync API at once; other environments only get
    publish records, as the delivery token is scoped to that one environment.
    """

    def __init__(
        self,
        *,
        api_key: str = "demo_api_key",
        delivery_token: str = "demo_delivery_token",
        environment: str = "development",
        master_locale: str = "en-us",
        preview_token: str = "demo_preview_token",
        sync_page_size: int = 100,
        management_token: str = "demo_management_token",
    ) -> None:
        self.api_key = api_key
        self.delivery_token = delivery_token
        self.preview_token = preview_token
        self.environment = environment
        self.master_locale = master_locale
        self.locales: dict[str, JSON] = {
            master_locale: {"code": master_locale, "name": master_locale, "fallback_locale": None}
        }
        self.content_types: dict[str, JSON] = {}
        self.global_fields: dict[str, JSON] = {}
        self.entries: dict[str, dict[tuple[str, str], JSON]] = {}
        self.assets: dict[str, JSON] = {}
        self.taxonomies: dict[str, JSON] = {}
        self.terms: dict[str, dict[str, JSON]] = {}
        self.term_translations: dict[str, dict[tuple[str, str], JSON]] = {}
        self.sync_log = SyncLog(page_size=sync_page_size)
        # The loopback server answers from several threads; one lock keeps each request
        # and each change atomic.
        self.lock = threading.RLock()
        self._last_time: datetime.datetime | None = None
        self._sessions = Sessions(management_token)
        self._cma = ManagementStore(self)

    def __repr__(self) -> str:
        n = sum(len(e) for e in self.entries.values())
        return f"InMemoryStack(environment={self.environment!r}, content_types={len(self.content_types)}, entries={n}, assets={len(self.assets)})"

    # -- management credentials ------------------------------------------------------------

    @property
    def management_token(self) -> str:
        """The stack's management token (``authorization: <token>`` with ``api_key``)."""
        return self._sessions.management_token

    @management_token.setter
    def management_token(self, value: str) -> None:
        self._sessions.management_token = value

    def add_user(self, email: str, password: str, *, totp_secret: str | None = None) -> str:
        """Add a user who can log in (``POST /v3/user-session``); returns a valid authtoken.

        With ``totp_secret`` (base32, e.g. ``pyotp.random_base32()``) login asks for a
        ``tfa_token`` and checks it as an authenticator app's code.
        """
        with self.lock:
            return self._sessions.add_user(email, password, totp_secret)

    def add_oauth_token(self, token: str, *, email: str | None = None) -> None:
        """Accept ``authorization: Bearer <token>`` (acting for the user ``email``, if given)."""
        with self.lock:
            self._sessions.add_oauth_token(token, email)

    # -- seeding -------------------------------------------------------------------------

    def _published(self, item: Mapping[str, Any], locale: str | None = None) -> JSON:
        if not isinstance(item.get("uid"), str) or not item["uid"]:
            raise ValueError("every item needs a non-empty string 'uid'")
        data = copy.deepcopy(dict(item))
        data.setdefault("created_at", _EPOCH)
        data.setdefault("updated_at", data["created_at"])
        data.setdefault("_version", 1)
        if locale is not None:
            data.setdefault("locale", locale)
        data.setdefault(
            "publish_details",
            {
                "environment": self.environment,
                "locale": data.get("locale", self.master_locale),
                "time": data["updated_at"],
                "user": "demo_user",
            },
        )
        return data

    def add_locale(
        self, code: str, fallback_locale: str | None = None, name: str | None = None
    ) -> None:
        """Add a locale; ``include_fallback`` follows ``fallback_locale`` links from it."""
        with self.lock:
            if fallback_locale is not None and fallback_locale not in self.locales:
                raise KeyError(f"add the fallback locale {fallback_locale!r} first")
            self.locales[code] = {
                "code": code,
                "name": name or code,
                "fallback_locale": fallback_locale,
            }

    def fallback_chain(self, locale: str) -> list[str]:
        """``locale`` then its fallback locales in order (an unknown one falls back to master)."""
        chain = [locale]
        current = self.locales.get(locale, {"fallback_locale": self.master_locale})
        while (following := current.get("fallback_locale")) and following not in chain:
            chain.append(following)
            current = self.locales.get(following, {})
        return chain

    def add_content_type(self, content_type: Mapping[str, Any]) -> None:
        """Add (or replace) a content type."""
        with self.lock:
            data = self._published(content_type)
            data.pop("publish_details")
            data.setdefault("schema", [])
            self.content_types[data["uid"]] = data
            self.entries.setdefault(data["uid"], {})

    def add_global_field(self, global_field: Mapping[str, Any]) -> None:
        """Add (or replace) a global field."""
        with self.lock:
            data = self._published(global_field)
            data.pop("publish_details")
            self.global_fields[data["uid"]] = data

    def add_entry(self, content_type_uid: str, entry: Mapping[str, Any]) -> None:
        """Publish an entry as given (one locale of it; ``locale`` defaults to the master locale).

        Timestamps the entry lacks default to 2024-01-01; use :meth:`publish_entry` to
        publish "now" with the version bumped.
        """
        with self.lock:
            if content_type_uid not in self.content_types:
                raise KeyError(f"add the content type {content_type_uid!r} before its entries")
            data = self._store_entry(content_type_uid, entry)
            self._cma.observe_entry(content_type_uid, data)

    def _store_entry(self, content_type_uid: str, entry: Mapping[str, Any]) -> JSON:
        # Publishing without touching drafts: management publishes go straight here.
        data = self._published(entry, self.master_locale)
        self.entries[content_type_uid][(data["uid"], data["locale"])] = data
        self.sync_log.record(
            "entry_published",
            content_type_uid,
            data["publish_details"].get("time", data["updated_at"]),
            data,
            data["uid"],
            data["locale"],
        )
        return data

    def add_asset(self, asset: Mapping[str, Any]) -> None:
        """Publish an asset as given."""
        with self.lock:
            self._cma.observe_asset(self._store_asset(asset))

    def _store_asset(self, asset: Mapping[str, Any]) -> JSON:
        data = self._published(asset)
        self.assets[data["uid"]] = data
        self.sync_log.record(
            "asset_published",
            ASSETS,
            data["publish_details"].get("time", data["updated_at"]),
            data,
            data["uid"],
            data.get("locale", self.master_locale),
        )
        return data

    def add_taxonomy(
        self, taxonomy: Mapping[str, Any], terms: Iterable[Mapping[str, Any]] = ()
    ) -> None:
        """Publish a taxonomy and its terms.

        Terms name their parent with ``parent_uid`` (``depth`` is derived); a term given again
        with another ``locale`` is a translation of it.
        """
        with self.lock:
            data = self._published(taxonomy, self.master_locale)
            uid = data["uid"]
            masters: dict[str, JSON] = {}
            translations: dict[tuple[str, str], JSON] = {}
            for order, term in enumerate(terms, start=1):
                seeded = self._published(term, self.master_locale)
                seeded["taxonomy_uid"] = uid
                seeded.setdefault("order", order)
                if seeded["locale"] == self.master_locale:
                    masters[seeded["uid"]] = seeded
                else:
                    translations[(seeded["uid"], seeded["locale"])] = seeded
            _taxonomy.with_depths(masters)
            for (term_uid, _), translated in translations.items():
                if term_uid not in masters:
                    raise ValueError(f"term {term_uid!r} is translated but has no master version")
                for key in ("parent_uid", "depth", "order"):
                    translated[key] = masters[term_uid][key]
            self.taxonomies[uid] = data
            self.terms[uid] = masters
            self.term_translations[uid] = translations

    def load(self, content: Mapping[str, Any]) -> InMemoryStack:
        """Seed from a mapping shaped like the bundled demo content; returns ``self``.

        Keys: ``locales`` (``[{code, fallback_locale, name}]``), ``content_types``,
        ``global_fields``, ``entries`` (``{content_type_uid: [entry, ...]}``), ``assets``,
        ``taxonomies`` (each with its ``terms``).
        """
        for locale in content.get("locales", []):
            if locale["code"] != self.master_locale:
                self.add_locale(locale["code"], locale.get("fallback_locale"), locale.get("name"))
        for ct in content.get("content_types", []):
            self.add_content_type(ct)
        for gf in content.get("global_fields", []):
            self.add_global_field(gf)
        for asset in content.get("assets", []):
            self.add_asset(asset)
        for ct_uid, entries in content.get("entries", {}).items():
            for entry in entries:
                self.add_entry(ct_uid, entry)
        for taxonomy in content.get("taxonomies", []):
            self.add_taxonomy(
                {k: v for k, v in taxonomy.items() if k != "terms"}, taxonomy.get("terms", [])
            )
        return self

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> InMemoryStack:
        """A stack seeded from a JSON file (see :meth:`load` for the shape)."""
        return cls(**kwargs).load(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def demo(cls, **kwargs: Any) -> InMemoryStack:
        """A small blog bundled with the package (see ``demo_content.json``).

        Authors, posts and pages with single and multi content type references, a group
        field, JSON rich text with embedded entries and assets, tags, numbers and dates, an
        ``en-us`` → ``fr-fr`` → ``fr-ca`` fallback chain, a three-level taxonomy and assets.
        """
        text = (
            resources.files(__package__).joinpath("demo_content.json").read_text(encoding="utf-8")
        )
        return cls(**kwargs).load(json.loads(text))

    # -- changes, as publishing makes them ----------------------------------------------------

    def _timestamp(self, at: datetime.datetime | str | None) -> str:
        if isinstance(at, str):
            return at
        if at is not None:
            return _format_time(at)
        now = datetime.datetime.now(datetime.UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        # Strictly increasing, so events made in the same millisecond still order.
        if self._last_time is not None and now <= self._last_time:
            now = self._last_time + datetime.timedelta(milliseconds=1)
        self._last_time = now
        return _format_time(now)

    def publish_entry(
        self,
        content_type_uid: str,
        entry: Mapping[str, Any],
        *,
        at: datetime.datetime | str | None = None,
    ) -> JSON:
        """Publish (or republish) one locale of an entry now: bumps ``_version`` and times.

        Returns the entry as stored; a delta sync reports it as ``entry_published``.
        """
        with self.lock:
            if content_type_uid not in self.content_types:
                raise KeyError(f"add the content type {content_type_uid!r} before its entries")
            when = self._timestamp(at)
            data = dict(entry)
            locale = data.setdefault("locale", self.master_locale)
            previous = self.entries[content_type_uid].get((data.get("uid", ""), locale))
            data.setdefault("created_at", previous["created_at"] if previous else when)
            data["updated_at"] = when
            data["_version"] = (previous["_version"] + 1) if previous else data.get("_version", 1)
            # Past any draft saved through the management API, as saving then publishing is.
            drafted = self._cma.latest_version(content_type_uid, data.get("uid", ""), locale)
            if drafted >= data["_version"]:
                data["_version"] = drafted + 1
            data["publish_details"] = {
                "environment": self.environment,
                "locale": locale,
                "time": when,
                "user": "demo_user",
            }
            self.add_entry(content_type_uid, data)
            return copy.deepcopy(self.entries[content_type_uid][(data["uid"], locale)])

    def _remove_entry(
        self,
        event: str,
        content_type_uid: str,
        uid: str,
        locale: str | None,
        at: datetime.datetime | str | None,
    ) -> None:
        with self.lock:
            entries = self.entries.get(content_type_uid)
            if entries is None:
                raise KeyError(f"no content type {content_type_uid!r}")
            keys = [k for k in entries if k[0] == uid and locale in (None, k[1])]
            if not keys:
                raise KeyError(f"no published entry {uid!r} of {content_type_uid!r}")
            when = self._timestamp(at)
            for key in keys:
                del entries[key]
                self.sync_log.record(
                    event, content_type_uid, when, {"uid": uid, "locale": key[1]}, uid, key[1]
                )
                self._cma.forget_entry(
                    content_type_uid, uid, key[1], deleted=event == "entry_deleted"
                )

    def unpublish_entry(
        self,
        content_type_uid: str,
        uid: str,
        locale: str | None = None,
        *,
        at: datetime.datetime | str | None = None,
    ) -> None:
        """Unpublish an entry (one locale, or every locale when ``locale`` is None)."""
        self._remove_entry("entry_unpublished", content_type_uid, uid, locale, at)

    def delete_entry(
        self,
        content_type_uid: str,
        uid: str,
        locale: str | None = None,
        *,
        at: datetime.datetime | str | None = None,
    ) -> None:
        """Delete an entry (one locale, or every locale when ``locale`` is None)."""
        self._remove_entry("entry_deleted", content_type_uid, uid, locale, at)

    def publish_asset(
        self, asset: Mapping[str, Any], *, at: datetime.datetime | str | None = None
    ) -> JSON:
        """Publish (or republish) an asset now; returns it as stored."""
        with self.lock:
            when = self._timestamp(at)
            data = dict(asset)
            previous = self.assets.get(data.get("uid", ""))
            data.setdefault("created_at", previous["created_at"] if previous else when)
            data["updated_at"] = when
            data["_version"] = (previous["_version"] + 1) if previous else data.get("_version", 1)
            drafted = self._cma.asset(data.get("uid", ""))
            if drafted is not None and drafted["_version"] >= data["_version"]:
                data["_version"] = drafted["_version"] + 1
            data["publish_details"] = {
                "environment": self.environment,
                "locale": data.get("locale", self.master_locale),
                "time": when,
                "user": "demo_user",
            }
            self.add_asset(data)
            return copy.deepcopy(self.assets[data["uid"]])

    def _remove_asset(self, event: str, uid: str, at: datetime.datetime | str | None) -> None:
        with self.lock:
            if uid not in self.assets:
                raise KeyError(f"no published asset {uid!r}")
            asset = self.assets.pop(uid)
            locale = asset.get("locale", self.master_locale)
            self.sync_log.record(
                event, ASSETS, self._timestamp(at), {"uid": uid, "locale": locale}, uid, locale
            )
            self._cma.forget_asset(uid, deleted=event == "asset_deleted")

    def unpublish_asset(self, uid: str, *, at: datetime.datetime | str | None = None) -> None:
        """Unpublish an asset."""
        self._remove_asset("asset_unpublished", uid, at)

    def delete_asset(self, uid: str, *, at: datetime.datetime | str | None = None) -> None:
        """Delete an asset."""
        self._remove_asset("asset_deleted", uid, at)

    def delete_content_type(self, uid: str, *, at: datetime.datetime | str | None = None) -> None:
        """Delete a content type and its entries (one ``content_type_deleted`` sync event)."""
        with self.lock:
            if uid not in self.content_types:
                raise KeyError(f"no content type {uid!r}")
            del self.content_types[uid]
            del self.entries[uid]
            self._cma.forget_content_type(uid)
            self.sync_log.record("content_type_deleted", uid, self._timestamp(at), {})

    # -- answering -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        params: httpx.QueryParams,
        headers: Mapping[str, str],
        body: bytes = b"",
    ) -> tuple[int, JSON]:
        """Answer one request: ``(status, JSON body)``.

        It goes to the management API when it carries ``authtoken`` or ``authorization``
        (or logs in, or carries no credential on a management-only path or method),
        otherwise to the delivery API.
        """
        try:
            parts = [unquote(p) for p in path.strip("/").split("/")]
            login = parts == ["v3", "user-session"] and method == "POST"
            # Without any credential, only the management API has these paths (or writes at
            # all): answer as it does (401, not logged in) rather than as the delivery API.
            bare = not any(h in headers for h in ("access_token", "preview_token"))
            management_only = len(parts) > 1 and parts[1] in _MANAGEMENT_ONLY
            if login or is_management(headers) or (bare and (management_only or method != "GET")):
                if parts[0] != "v3":
                    raise KitError(404, 0, f"Unknown path {path!r}.")
                with self.lock:
                    return _cma_routes.handle(
                        self, self._cma, method, parts[1:], params, headers, body
                    )
            self._authorize(params, headers)
            if method != "GET":
                raise KitError(405, 0, "The Content Delivery API only answers GET requests.")
            if not parts or parts[0] != "v3":
                raise KitError(404, 0, f"Unknown path {path!r}.")
            with self.lock:
                return 200, route(self, parts[1:], params, headers)
        except KitError as exc:
            return exc.status, exc.body

    def _authorize(self, params: httpx.QueryParams, headers: Mapping[str, str]) -> None:
        if headers.get("api_key") != self.api_key:
            raise KitError(
                412, 109, "Bad Request: api_key is not valid.", {"api_key": ["is not valid."]}
            )
        token_ok = headers.get("access_token") == self.delivery_token or (
            headers.get("preview_token") == self.preview_token
        )
        if not token_ok:
            raise KitError(
                401, 105, "Access token is not valid.", {"access_token": ["is not valid."]}
            )
        environment = params.get("environment")
        if environment is not None and environment != self.environment:
            raise KitError(
                401, 161, "Environment doesn't exists or insufficient permission to access it."
            )

    # -- ways in -----------------------------------------------------------------------------

    def _respond(self, request: httpx.Request) -> httpx.Response:
        status, body = self.handle(
            request.method, request.url.path, request.url.params, request.headers, request.read()
        )
        return httpx.Response(
            status, json=body, headers={"x-request-id": "kit-" + str(id(request))}
        )

    def transport(self) -> httpx.MockTransport:
        """An httpx transport (sync and async) answering from this stack, without sockets."""
        return httpx.MockTransport(self._respond)

    def stack(self, **kwargs: Any) -> Stack:
        """A :class:`~contentstack_client.Stack` wired to this stack through :meth:`transport`."""
        from .._delivery import Stack

        return Stack(
            self.api_key,
            self.delivery_token,
            self.environment,
            transport=self.transport(),
            **kwargs,
        )

    def async_stack(self, **kwargs: Any) -> AsyncStack:
        """An :class:`~contentstack_client.AsyncStack` wired to this stack through :meth:`transport`."""
        from .._delivery import AsyncStack

        return AsyncStack(
            self.api_key,
            self.delivery_token,
            self.environment,
            transport=self.transport(),
            **kwargs,
        )

    def management_stack(self, **kwargs: Any) -> ManagementStack:
        """A :class:`~contentstack_client.ManagementStack` for this stack, with its management token.

        Wired through :meth:`transport`; client-side pacing is off unless ``rate_limit`` is
        given. Other keyword arguments (``branch``, ``retry``, ...) go to the client;
        ``authtoken=`` (from :meth:`add_user`) replaces the management token.
        """
        from .._management import ManagementStack

        return ManagementStack(self.api_key, **self._management_kwargs(kwargs))

    def async_management_stack(self, **kwargs: Any) -> AsyncManagementStack:
        """An :class:`~contentstack_client.AsyncManagementStack` (see :meth:`management_stack`)."""
        from .._management import AsyncManagementStack

        return AsyncManagementStack(self.api_key, **self._management_kwargs(kwargs))

    def management_client(self, **kwargs: Any) -> ManagementClient:
        """A user-scope :class:`~contentstack_client.ManagementClient` wired to this stack.

        It has no credential: log in with a user from :meth:`add_user`, then
        ``client.stack(kit.api_key)``. Pacing is off unless ``rate_limit`` is given.
        """
        from .._management import ManagementClient

        return ManagementClient(**self._management_kwargs(kwargs, stack=False))

    def async_management_client(self, **kwargs: Any) -> AsyncManagementClient:
        """An :class:`~contentstack_client.AsyncManagementClient` (see :meth:`management_client`)."""
        from .._management import AsyncManagementClient

        return AsyncManagementClient(**self._management_kwargs(kwargs, stack=False))

    def _management_kwargs(self, kwargs: dict[str, Any], *, stack: bool = True) -> dict[str, Any]:
        # The kit's credentials and transport unless given; no pacing, as in a test it only slows.
        defaults: dict[str, Any] = {"transport": self.transport(), "rate_limit": None}
        if stack and not {"authtoken", "oauth"} & kwargs.keys():
            defaults["management_token"] = self.management_token
        return {**defaults, **kwargs}

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
        """Serve this stack over HTTP on a loopback address (a free port by default)."""
        from ._server import LoopbackServer

        return LoopbackServer(self, host, port)
