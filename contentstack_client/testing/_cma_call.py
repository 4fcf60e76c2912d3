"""One management request as the route functions see it, and the body helpers they share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from ._cma_auth import Principal
from ._errors import KitError, bad_content_type, not_found, validation_failed
from ._routes import JSON, _int, _page, _Request, _select

if TYPE_CHECKING:
    from ._cma_store import ManagementStore
    from ._memory import InMemoryStack


class DraftRequest(_Request):
    """A request context whose reference lookups see drafts, not what is published."""

    def __init__(self, call: Call) -> None:
        super().__init__(call.kit, call.params, call.headers)
        self.store = call.store

    def entry(self, content_type_uid: str, uid: str) -> JSON | None:
        """The newest draft of an entry in this request's locale (or its fallback)."""
        return self.store.draft(content_type_uid, uid, self.locale)


@dataclass
class Call:
    """A management request: the stack, who is calling, and what they sent."""

    kit: InMemoryStack
    store: ManagementStore
    principal: Principal
    params: httpx.QueryParams
    headers: Mapping[str, str]
    body: bytes

    @property
    def user(self) -> str:
        """The uid that goes into ``created_by`` / ``updated_by`` / publish records."""
        return self.principal.uid

    def now(self) -> str:
        """A fresh timestamp (strictly after every earlier one of this stack)."""
        return self.kit._timestamp(None)

    def json(self) -> JSON:
        """The JSON object sent (``{}`` for an empty body)."""
        if not self.body.strip():
            return {}
        if not self.headers.get("content-type", "").lower().startswith("application/json"):
            raise bad_content_type()
        try:
            decoded = json.loads(self.body)
        except ValueError:
            # Guessed: the recorded 400 shape (only a message) for a body that is not JSON.
            error = KitError(400, 0, "Please send a valid JSON body.")
            del error.body["error_code"]
            raise error from None
        if not isinstance(decoded, dict):
            raise validation_failed("Request", "parsing", {"body": ["must be a JSON object."]})
        return decoded

    def locale(self, given: object = None) -> str:
        """``given`` or the ``locale`` parameter or the master locale; it must exist."""
        code = given if isinstance(given, str) and given else self.params.get("locale")
        code = code or self.kit.master_locale
        if code not in self.kit.locales:
            raise not_found("Language", "locale")
        return code

    def select(self, resource: str, items: list[JSON], default_order: str | None) -> JSON:
        """Filter (``query``), order, page (``skip``/``limit``) and count a list answer."""
        req = DraftRequest(self)
        page, count = _select(req, resource, items, default_order=default_order)
        return _page(req, resource.replace(" ", "_"), page, count)

    def int_param(self, resource: str, name: str) -> int | None:
        """A positive integer parameter such as ``version``, or ``None`` when absent."""
        return _int(self.params, resource, name, 0, 1) or None


def wrapped(body: Mapping[str, Any], key: str, resource: str, action: str) -> JSON:
    """``body[key]`` as an object (``{"entry": {...}}``); 422 when it is missing."""
    value = body.get(key)
    if not isinstance(value, dict):
        raise validation_failed(resource, action, {key: ["is required."]})
    return value


def names(
    body: Mapping[str, Any], key: str, resource: str, action: str, default: list[str] | None = None
) -> list[str]:
    """A non-empty list of strings such as ``environments`` or ``locales``."""
    value = body.get(key, default)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise validation_failed(resource, action, {key: ["must be a non-empty list of names."]})
    return list(dict.fromkeys(value))
