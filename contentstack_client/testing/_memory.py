"""An in-memory stack that answers Content Delivery API requests as Contentstack does."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx

if TYPE_CHECKING:
    from .._delivery import AsyncStack, Stack
    from ._server import LoopbackServer

JSON = dict[str, Any]

_EPOCH = "2024-01-01T00:00:00.000Z"


class KitError(Exception):
    """An error answer, in Contentstack's shape and with its codes."""

    def __init__(
        self, status: int, code: int, message: str, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"error_message": message, "error_code": code}
        if errors is not None:
            self.body["errors"] = dict(errors)


def _values(item: Any, path: list[str]) -> list[Any]:
    """Every value at a dot path, descending into lists as MongoDB-style queries do."""
    if not path:
        return item if isinstance(item, list) else [item]
    if isinstance(item, list):
        return [v for element in item for v in _values(element, path)]
    if isinstance(item, Mapping) and path[0] in item:
        return _values(item[path[0]], path[1:])
    return []


def _matches(item: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    for key, expected in query.items():
        if key.startswith("$") or isinstance(expected, Mapping):
            operator = key if key.startswith("$") else next(iter(expected), "{}")
            # Refuse rather than ignore: a silently dropped condition would make tests pass
            # against data the real API would not return.
            raise KitError(
                400, 141, f"The testing kit does not support the {operator!r} operator yet."
            )
        if expected not in _values(item, key.split(".")):
            return False
    return True


class InMemoryStack:
    """A stack held in memory that answers the Content Delivery API.

    Use it as an httpx transport (:meth:`transport`), as a server on 127.0.0.1
    (:meth:`serve`), or build a client for it directly (:meth:`stack`, :meth:`async_stack`).
    It checks ``api_key``, ``access_token`` and ``environment`` like the real API, and
    answers unknown content types, entries and assets with Contentstack's error codes.

    This first version supports equality filters in ``query``, ``locale`` with fallback to
    the master locale, ``skip``/``limit``/``include_count``; anything it does not support
    is refused with a 400 rather than ignored.
    """

    def __init__(
        self,
        *,
        api_key: str = "demo_api_key",
        delivery_token: str = "demo_delivery_token",
        environment: str = "development",
        master_locale: str = "en-us",
    ) -> None:
        self.api_key = api_key
        self.delivery_token = delivery_token
        self.environment = environment
        self.master_locale = master_locale
        self.content_types: dict[str, JSON] = {}
        self.global_fields: dict[str, JSON] = {}
        self.entries: dict[str, dict[tuple[str, str], JSON]] = {}
        self.assets: dict[str, JSON] = {}
        self.taxonomies: dict[str, JSON] = {}
        self.terms: dict[str, dict[str, JSON]] = {}

    def __repr__(self) -> str:
        n = sum(len(e) for e in self.entries.values())
        return f"InMemoryStack(environment={self.environment!r}, content_types={len(self.content_types)}, entries={n}, assets={len(self.assets)})"

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

    def add_content_type(self, content_type: Mapping[str, Any]) -> None:
        """Add (or replace) a content type."""
        data = self._published(content_type)
        data.pop("publish_details")
        data.setdefault("schema", [])
        self.content_types[data["uid"]] = data
        self.entries.setdefault(data["uid"], {})

    def add_global_field(self, global_field: Mapping[str, Any]) -> None:
        """Add (or replace) a global field."""
        data = self._published(global_field)
        data.pop("publish_details")
        self.global_fields[data["uid"]] = data

    def add_entry(self, content_type_uid: str, entry: Mapping[str, Any]) -> None:
        """Publish an entry (one locale of it; ``locale`` defaults to the master locale)."""
        if content_type_uid not in self.content_types:
            raise KeyError(f"add the content type {content_type_uid!r} before its entries")
        data = self._published(entry, self.master_locale)
        self.entries[content_type_uid][(data["uid"], data["locale"])] = data

    def add_asset(self, asset: Mapping[str, Any]) -> None:
        """Publish an asset."""
        data = self._published(asset)
        self.assets[data["uid"]] = data

    def add_taxonomy(
        self, taxonomy: Mapping[str, Any], terms: Iterable[Mapping[str, Any]] = ()
    ) -> None:
        """Publish a taxonomy and its terms."""
        data = self._published(taxonomy)
        self.taxonomies[data["uid"]] = data
        self.terms[data["uid"]] = {
            t["uid"]: {**self._published(t), "taxonomy_uid": data["uid"]} for t in terms
        }

    def load(self, content: Mapping[str, Any]) -> InMemoryStack:
        """Seed from a mapping shaped like the bundled demo content; returns ``self``."""
        for ct in content.get("content_types", []):
            self.add_content_type(ct)
        for gf in content.get("global_fields", []):
            self.add_global_field(gf)
        for ct_uid, entries in content.get("entries", {}).items():
            for entry in entries:
                self.add_entry(ct_uid, entry)
        for asset in content.get("assets", []):
            self.add_asset(asset)
        for taxonomy in content.get("taxonomies", []):
            self.add_taxonomy(
                {k: v for k, v in taxonomy.items() if k != "terms"}, taxonomy.get("terms", [])
            )
        return self

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: str) -> InMemoryStack:
        """A stack seeded from a JSON file (see :meth:`load` for the shape)."""
        return cls(**kwargs).load(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def demo(cls) -> InMemoryStack:
        """A small blog (authors, posts, assets, a taxonomy) bundled with the package."""
        text = (
            resources.files(__package__).joinpath("demo_content.json").read_text(encoding="utf-8")
        )
        return cls().load(json.loads(text))

    # -- answering -------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, params: httpx.QueryParams, headers: Mapping[str, str]
    ) -> tuple[int, JSON]:
        """Answer one request: ``(status, JSON body)``."""
        try:
            self._authorize(params, headers)
            if method != "GET":
                raise KitError(405, 0, "The Content Delivery API only answers GET requests.")
            parts = [unquote(p) for p in path.strip("/").split("/")]
            if not parts or parts[0] != "v3":
                raise KitError(404, 0, f"Unknown path {path!r}.")
            return 200, self._route(parts[1:], params)
        except KitError as exc:
            return exc.status, exc.body

    def _authorize(self, params: httpx.QueryParams, headers: Mapping[str, str]) -> None:
        if headers.get("api_key") != self.api_key:
            raise KitError(
                412, 109, "Bad Request: api_key is not valid.", {"api_key": ["is not valid."]}
            )
        if headers.get("access_token") != self.delivery_token:
            raise KitError(
                401, 105, "Access token is not valid.", {"access_token": ["is not valid."]}
            )
        environment = params.get("environment")
        if environment is not None and environment != self.environment:
            raise KitError(
                401, 161, "Environment doesn't exists or insufficient permission to access it."
            )

    def _route(self, parts: list[str], params: httpx.QueryParams) -> JSON:
        match parts:
            case ["content_types"]:
                return self._page("content_types", list(self.content_types.values()), params)
            case ["content_types", uid]:
                return {"content_type": self._content_type(uid)}
            case ["global_fields"]:
                return self._page("global_fields", list(self.global_fields.values()), params)
            case ["global_fields", uid]:
                if uid not in self.global_fields:
                    raise KitError(
                        422, 115, f"Global Field '{uid}' was not found.", {"uid": ["is not valid."]}
                    )
                return {"global_field": self.global_fields[uid]}
            case ["content_types", ct, "entries"]:
                self._content_type(ct)
                return self._page("entries", self._localized(ct, params), params)
            case ["content_types", ct, "entries", uid]:
                self._content_type(ct)
                for entry in self._localized(ct, params):
                    if entry["uid"] == uid:
                        return {"entry": entry}
                raise KitError(
                    422, 141, "The requested object doesn't exist.", {"uid": ["is not valid."]}
                )
            case ["assets"]:
                return self._page("assets", list(self.assets.values()), params)
            case ["assets", uid]:
                if uid not in self.assets:
                    raise KitError(404, 145, "Asset was not found.", {"uid": ["is not valid."]})
                return {"asset": self.assets[uid]}
            case ["taxonomies"]:
                return self._page("taxonomies", list(self.taxonomies.values()), params)
            case ["taxonomies", uid]:
                return {"taxonomy": self._taxonomy(uid)}
            case ["taxonomies", uid, "terms"]:
                self._taxonomy(uid)
                return self._page("terms", list(self.terms[uid].values()), params)
            case ["taxonomies", uid, "terms", term]:
                self._taxonomy(uid)
                if term not in self.terms[uid]:
                    raise KitError(
                        404, 404, f"Term '{term}' was not found.", {"uid": ["is not valid."]}
                    )
                return {"term": self.terms[uid][term]}
        raise KitError(404, 0, f"The testing kit does not serve /v3/{'/'.join(parts)} yet.")

    def _content_type(self, uid: str) -> JSON:
        if uid not in self.content_types:
            raise KitError(
                422,
                118,
                f"The Content Type '{uid}' was not found. Please try again.",
                {"uid": ["is not valid."]},
            )
        return self.content_types[uid]

    def _taxonomy(self, uid: str) -> JSON:
        if uid not in self.taxonomies:
            raise KitError(404, 404, f"Taxonomy '{uid}' was not found.", {"uid": ["is not valid."]})
        return self.taxonomies[uid]

    def _localized(self, ct: str, params: httpx.QueryParams) -> list[JSON]:
        locale = params.get("locale") or self.master_locale
        fallback = params.get("include_fallback") == "true"
        result: list[JSON] = []
        seen: set[str] = set()
        for (uid, entry_locale), entry in self.entries[ct].items():
            if entry_locale == locale and uid not in seen:
                result.append(entry)
                seen.add(uid)
        if fallback and locale != self.master_locale:
            for (uid, entry_locale), entry in self.entries[ct].items():
                if entry_locale == self.master_locale and uid not in seen:
                    result.append(entry)
                    seen.add(uid)
        return result

    def _page(self, key: str, items: list[JSON], params: httpx.QueryParams) -> JSON:
        raw_query = params.get("query")
        if raw_query:
            try:
                query = json.loads(raw_query)
            except ValueError as exc:
                raise KitError(400, 141, f"query is not valid JSON: {exc}") from exc
            if not isinstance(query, dict):
                raise KitError(400, 141, "query must be a JSON object.")
            items = [i for i in items if _matches(i, query)]
        skip = _int_param(params, "skip", 0, 0)
        limit = _int_param(params, "limit", 100, 1)
        if limit > 100:
            raise KitError(400, 141, "limit must not exceed 100.")
        body: JSON = {key: items[skip : skip + limit]}
        if params.get("include_count") == "true":
            body["count"] = len(items)
        return body

    # -- ways in -----------------------------------------------------------------------------

    def _respond(self, request: httpx.Request) -> httpx.Response:
        status, body = self.handle(
            request.method, request.url.path, request.url.params, request.headers
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

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
        """Serve this stack over HTTP on a loopback address (a free port by default)."""
        from ._server import LoopbackServer

        return LoopbackServer(self, host, port)


def _int_param(params: httpx.QueryParams, name: str, default: int, minimum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise KitError(400, 141, f"{name} must be an integer.") from exc
    if value < minimum:
        raise KitError(400, 141, f"{name} must be >= {minimum}.")
    return value
