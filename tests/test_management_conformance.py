"""Conformance of the management requests we send, against the official Python SDK.

For each call, the request ``contentstack-management`` (1.11.2) sends is captured at the
``requests`` transport (nothing leaves the machine; every request is answered with a small
JSON 200) and compared with the one our client sends through an ``httpx.MockTransport``:
method, path, query parameters (as multisets), the JSON body (parsed), and the credential
and scope headers. Where the SDK follows the API reference the two must be equal; where it
does not (``/work/shared/research/management.md``), a ``..._unlike_the_sdk`` test pins both
what the SDK sends and what we send, ours being what the reference documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import contentstack_management  # type: ignore[import-untyped]
import httpx
import pytest
import requests
from contentstack_management.endpoint import Endpoint  # type: ignore[import-untyped]

from contentstack_client import ManagementClient, ManagementStack
from contentstack_client._generated.cma import models
from contentstack_client._generated.cma.types import File

API_KEY = "blt_api_key_0001"
MANAGEMENT_TOKEN = "cs_management_token_0001"
AUTHTOKEN = "cs_authtoken_0001"
ORG_UID = "blt_org_0001"

SCOPE_HEADERS = (
    "api_key",
    "authorization",
    "authtoken",
    "branch",
    "organization_uid",
    "api_version",
    "release_version",
)
"""The headers compared: credentials, the stack, branch and organization selectors, and the
API-version selectors some calls take."""

# The SDK resolves its host from a regions registry it does not ship (research §1 item 2):
# every Client() would try to download it. A one-region registry stands in for it.
REGIONS = {
    "regions": [
        {
            "id": "na",
            "alias": ["us", "aws-na"],
            "endpoints": {"contentManagement": "https://api.contentstack.io"},
        }
    ]
}


@dataclass(frozen=True)
class Sent:
    """What one request said, in a form both clients' requests compare in."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = field(default=None, compare=False)
    """Not compared: the SDK sends ``application/json`` on every request, bodiless or not."""

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


def _body(content: bytes | str | None) -> Any:
    """The parsed JSON body, ``None`` when empty, the raw bytes when not JSON."""
    if not content:
        return None
    raw = content.encode() if isinstance(content, str) else content
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _sent(method: str, url: str, headers: Mapping[str, str], content: Any) -> Sent:
    parts = urlsplit(url)
    lowered = {k.lower(): v for k, v in headers.items()}
    return Sent(
        method=method,
        path=parts.path,
        query=tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))),
        body=_body(content),
        headers={k: lowered[k] for k in SCOPE_HEADERS if k in lowered},
        content_type=lowered.get("content-type"),
    )


def _form_fields(content: bytes) -> list[str]:
    return re.findall(r'form-data; name="([^"]+)"', content.decode("latin-1"))


class OfficialSDK:
    """The official SDK with ``requests`` stopped at its transport adapter."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: dict[str, Any]) -> None:
        self.sent: list[Sent] = []
        self.raw: list[Any] = []
        self.hosts: list[str | None] = []
        self._answer = answer
        monkeypatch.setattr(Endpoint, "_regions_data", REGIONS)
        # login() computes a two-factor code from this variable when it is set.
        monkeypatch.delenv("MFA_SECRET", raising=False)
        # A ~/.netrc entry for the host would replace the authorization header.
        monkeypatch.setattr(requests.sessions, "get_netrc_auth", lambda *a, **k: None)
        monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", self._send)

    def _send(self, request: Any, **_kwargs: Any) -> Any:
        # A bound method set on the class: called as ``adapter.send(request, ...)`` without
        # the adapter.
        self.raw.append(request)
        self.hosts.append(urlsplit(request.url).hostname)
        self.sent.append(_sent(request.method, request.url, request.headers, request.body))
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(self._answer).encode()
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        return response

    def client(self, **kwargs: Any) -> Any:
        return contentstack_management.Client(**kwargs)

    def stack(self) -> Any:
        return self.client(management_token=MANAGEMENT_TOKEN).stack(API_KEY)

    @property
    def last(self) -> Sent:
        assert len(self.sent) == 1, f"the SDK sent {len(self.sent)} requests"
        return self.sent[0]


class Ours:
    """Our clients, sending through a mock transport that answers like :class:`OfficialSDK`."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.sent: list[Sent] = []
        self.raw: list[httpx.Request] = []
        self._answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        self.raw.append(request)
        self.sent.append(_sent(request.method, str(request.url), request.headers, content))
        created = request.method == "POST" and request.url.path in CREATED
        return httpx.Response(201 if created else 200, json=self._answer)

    def stack(self, *, branch: str | None = None) -> ManagementStack:
        return ManagementStack(
            API_KEY,
            management_token=MANAGEMENT_TOKEN,
            branch=branch,
            transport=httpx.MockTransport(self),
            rate_limit=None,
        )

    def client(self, *, authtoken: str | None = AUTHTOKEN) -> ManagementClient:
        return ManagementClient(
            authtoken=authtoken, transport=httpx.MockTransport(self), rate_limit=None
        )

    @property
    def last(self) -> Sent:
        assert len(self.sent) == 1, f"we sent {len(self.sent)} requests"
        return self.sent[0]


ANSWER: dict[str, Any] = {
    "notice": "ok",
    "user": {"uid": "blt_user", "authtoken": AUTHTOKEN},
    "environments": [],
    "environment": {"name": "production"},
    "locales": [],
    "locale": {"code": "fr-fr"},
    "assets": [],
    "asset": {"uid": "blt_asset"},
}
"""The one answer to everything: a minimal JSON body with the keys our response models
require for the calls below (the SDK parses nothing but the login's authtoken)."""

CREATED = {
    "/v3/content_types",
    "/v3/content_types/blog/entries",
    "/v3/environments",
    "/v3/locales",
    "/v3/global_fields",
    "/v3/assets/folders",
}
"""Collections whose POST the reference answers with 201 Created (ours expects just that)."""


@pytest.fixture
def sdk(monkeypatch: pytest.MonkeyPatch) -> Iterator[OfficialSDK]:
    official = OfficialSDK(monkeypatch, ANSWER)
    yield official
    # Only API calls were captured: no regions download, no other host.
    assert set(official.hosts) <= {"api.contentstack.io"}


@pytest.fixture
def ours() -> Ours:
    return Ours(ANSWER)


def same(sdk: OfficialSDK, ours: Ours, route: str) -> None:
    """Both sent one request, the same, to the route the API reference documents."""
    assert ours.last == sdk.last
    assert ours.last.route == route
    if ours.last.body is not None:
        assert ours.last.content_type == sdk.last.content_type == "application/json"
    else:
        # The API refuses a JSON content type on some bodiless calls (research §4.14).
        assert ours.last.content_type is None


STACK_HEADERS = {"api_key": API_KEY, "authorization": MANAGEMENT_TOKEN}
USER_HEADERS = {"authtoken": AUTHTOKEN}


def test_the_stack_credentials_are_compared(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().environments().find()
    ours.stack().api.environments.get_environments()
    same(sdk, ours, "GET /v3/environments")
    assert ours.last.headers == STACK_HEADERS


# -- content types ---------------------------------------------------------------------------

CONTENT_TYPE = {
    "content_type": {
        "title": "Blog",
        "uid": "blog",
        "schema": [
            {
                "display_name": "Title",
                "uid": "title",
                "data_type": "text",
                "mandatory": True,
                "unique": True,
                "field_metadata": {"_default": True},
            }
        ],
        "options": {"is_page": True, "singleton": False, "title": "title", "url_prefix": "/"},
    }
}


def test_content_types_list(sdk: OfficialSDK, ours: Ours) -> None:
    # The SDK always adds these three; ours sends what it is given.
    sdk.stack().content_types().find()
    ours.stack().api.content_types.get_content_types(
        include_count=False, include_global_field_schema=True, include_branch=False
    )
    same(sdk, ours, "GET /v3/content_types")
    assert ours.last.query == (
        ("include_branch", "false"),
        ("include_count", "false"),
        ("include_global_field_schema", "true"),
    )


def test_content_type_fetch(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").fetch()
    ours.stack().api.content_types.get_content_type(
        "blog", include_global_field_schema=True, include_branch=False
    )
    same(sdk, ours, "GET /v3/content_types/blog")


def test_content_type_create(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types().create(CONTENT_TYPE)
    ours.stack().api.content_types.create_content_type(
        body=models.ContentTypeRequest.from_dict(CONTENT_TYPE)
    )
    same(sdk, ours, "POST /v3/content_types")
    assert ours.last.body == CONTENT_TYPE


def test_content_type_update(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").update(CONTENT_TYPE)
    ours.stack().api.content_types.update_content_type(
        "blog", body=models.ContentTypeRequest.from_dict(CONTENT_TYPE)
    )
    same(sdk, ours, "PUT /v3/content_types/blog")


def test_content_type_delete(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").delete()
    ours.stack().api.content_types.delete_content_type("blog", force=True)
    same(sdk, ours, "DELETE /v3/content_types/blog")
    assert ours.last.query == (("force", "true"),)
    assert ours.last.body is None


# -- entries ---------------------------------------------------------------------------------

ENTRY = {"entry": {"title": "Hello", "url": "/hello", "tags": ["news"]}}
ENTRY_PATH = "/v3/content_types/blog/entries"


def test_entries_list(sdk: OfficialSDK, ours: Ours) -> None:
    entries = sdk.stack().content_types("blog").entry()
    entries.add_param_dict({"locale": "fr-fr", "include_count": "true", "skip": 20, "limit": 10})
    entries.find()
    ours.stack().api.entries.get_entries(
        "blog", locale="fr-fr", include_count=True, skip=20, limit=10
    )
    same(sdk, ours, f"GET {ENTRY_PATH}")


def test_entries_with_references(sdk: OfficialSDK, ours: Ours) -> None:
    # Array parameters are repeated `name[]=value` pairs in the reference.
    entries = sdk.stack().content_types("blog").entry()
    entries.add_param_dict(
        {"include[]": ["author", "related.author"], "asset_fields[]": ["embedded"]}
    )
    entries.find()
    ours.stack().api.entries.get_entries(
        "blog", include=["author", "related.author"], asset_fields=["embedded"]
    )
    same(sdk, ours, f"GET {ENTRY_PATH}")
    assert ours.last.query == (
        ("asset_fields[]", "embedded"),
        ("include[]", "author"),
        ("include[]", "related.author"),
    )


def test_entry_fetch(sdk: OfficialSDK, ours: Ours) -> None:
    entry = sdk.stack().content_types("blog").entry("blt_entry")
    entry.add_param_dict({"version": 2, "locale": "en-us"})
    entry.fetch()
    ours.stack().api.entries.get_entry("blog", "blt_entry", version=2, locale="en-us")
    same(sdk, ours, f"GET {ENTRY_PATH}/blt_entry")


def test_entry_create(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").entry().create(ENTRY, locale="en-us")
    ours.stack().api.entries.create_entry(
        "blog", body=models.EntryRequest.from_dict(ENTRY), locale="en-us"
    )
    same(sdk, ours, f"POST {ENTRY_PATH}")
    assert ours.last.query == (("locale", "en-us"),)
    assert ours.last.body == ENTRY


def test_entry_update(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").entry("blt_entry").update(ENTRY, locale="fr-fr")
    ours.stack().api.entries.update_entry(
        "blog", "blt_entry", body=models.EntryRequest.from_dict(ENTRY), locale="fr-fr"
    )
    same(sdk, ours, f"PUT {ENTRY_PATH}/blt_entry")


PUBLISH = {
    "entry": {"environments": ["production", "staging"], "locales": ["en-us", "fr-fr"]},
    "locale": "en-us",
    "version": 3,
}


def test_entry_publish(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").entry("blt_entry").publish(PUBLISH)
    ours.stack().publish_entry(
        "blog",
        "blt_entry",
        environments=["production", "staging"],
        locales=["en-us", "fr-fr"],
        locale="en-us",
        version=3,
    )
    same(sdk, ours, f"POST {ENTRY_PATH}/blt_entry/publish")
    assert ours.last.body == PUBLISH


def test_entry_unpublish(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().content_types("blog").entry("blt_entry").unpublish(PUBLISH)
    ours.stack().unpublish_entry(
        "blog",
        "blt_entry",
        environments=["production", "staging"],
        locales=["en-us", "fr-fr"],
        locale="en-us",
        version=3,
    )
    same(sdk, ours, f"POST {ENTRY_PATH}/blt_entry/unpublish")


def test_entry_version_name(sdk: OfficialSDK, ours: Ours) -> None:
    body = {"entry": {"_version_name": "Launch", "locale": "en-us", "force": True}}
    sdk.stack().content_types("blog").entry("blt_entry").version_naming(2, body)
    ours.stack().api.entries.set_entry_version_name(
        "blog", "blt_entry", 2, body=models.EntryVersionNameRequest.from_dict(body)
    )
    same(sdk, ours, f"POST {ENTRY_PATH}/blt_entry/versions/2/name")
    assert ours.last.body == body


# -- assets ----------------------------------------------------------------------------------


def test_assets_list(sdk: OfficialSDK, ours: Ours) -> None:
    assets = sdk.stack().assets()
    assets.add_param_dict({"folder": "blt_folder", "include_count": "true", "limit": 5})
    assets.find()
    ours.stack().api.assets.get_assets(folder="blt_folder", include_count=True, limit=5)
    same(sdk, ours, "GET /v3/assets")


def test_asset_fetch(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().assets("blt_asset").fetch()
    ours.stack().api.assets.get_asset("blt_asset")
    same(sdk, ours, "GET /v3/assets/blt_asset")


def test_asset_publish(sdk: OfficialSDK, ours: Ours) -> None:
    body = {"asset": {"environments": ["production"], "locales": ["en-us"]}, "version": 1}
    sdk.stack().assets("blt_asset").publish(body)
    ours.stack().publish_asset(
        "blt_asset", environments=["production"], locales=["en-us"], version=1
    )
    same(sdk, ours, "POST /v3/assets/blt_asset/publish")
    assert ours.last.body == body


# -- environments, locales, global fields ----------------------------------------------------

ENVIRONMENT = {
    "environment": {
        "name": "production",
        "urls": [{"locale": "en-us", "url": "https://www.example.com"}],
    }
}


def test_environment_crud(sdk: OfficialSDK, ours: Ours) -> None:
    sdk_stack, stack = sdk.stack(), ours.stack()
    api = stack.api.environments
    sdk_stack.environments().create(ENVIRONMENT)
    api.create_environment(body=models.EnvironmentCreateRequest.from_dict(ENVIRONMENT))
    sdk_stack.environments("production").fetch()
    api.get_environment("production")
    sdk_stack.environments("production").update(ENVIRONMENT)
    api.update_environment(
        "production", body=models.EnvironmentUpdateRequest.from_dict(ENVIRONMENT)
    )
    sdk_stack.environments("production").delete()
    api.delete_environment("production")
    assert ours.sent == sdk.sent
    assert [s.route for s in ours.sent] == [
        "POST /v3/environments",
        "GET /v3/environments/production",
        "PUT /v3/environments/production",
        "DELETE /v3/environments/production",
    ]
    assert [s.body for s in ours.sent] == [ENVIRONMENT, None, ENVIRONMENT, None]
    assert [s.content_type for s in ours.sent] == ["application/json", None] * 2


def test_locales_list_and_create(sdk: OfficialSDK, ours: Ours) -> None:
    body = {"locale": {"code": "fr-fr", "name": "French", "fallback_locale": "en-us"}}
    sdk_stack, stack = sdk.stack(), ours.stack()
    sdk_stack.locale().find()
    stack.api.locales.get_locales()
    sdk_stack.locale().create(body)
    stack.api.locales.create_locale(body=models.LocaleCreateRequest.from_dict(body))
    assert ours.sent == sdk.sent
    assert [s.route for s in ours.sent] == ["GET /v3/locales", "POST /v3/locales"]


def test_global_fields_list_and_create(sdk: OfficialSDK, ours: Ours) -> None:
    body = {
        "global_field": {
            "title": "SEO",
            "uid": "seo",
            "schema": [{"display_name": "Keywords", "uid": "keywords", "data_type": "text"}],
        }
    }
    sdk_stack, stack = sdk.stack(), ours.stack()
    sdk_stack.global_fields().find()
    stack.api.global_fields.get_global_fields()
    sdk_stack.global_fields().create(body)
    stack.api.global_fields.create_global_field(body=models.GlobalFieldRequest.from_dict(body))
    assert ours.sent == sdk.sent
    assert [s.route for s in ours.sent] == ["GET /v3/global_fields", "POST /v3/global_fields"]
    assert ours.sent[1].body == body


def test_global_fields_api_version(sdk: OfficialSDK, ours: Ours) -> None:
    # Nested global fields need `api_version: 3.2` (research §4.5); the SDK drops it after.
    sdk_stack, stack = sdk.stack(), ours.stack()
    sdk_stack.global_fields("seo", options={"api_version": 3.2}).fetch()
    sdk_stack.global_fields().find()
    stack.api.global_fields.get_global_field("seo", api_version="3.2")
    stack.api.global_fields.get_global_fields()
    assert ours.sent == sdk.sent
    assert [s.headers.get("api_version") for s in ours.sent] == ["3.2", None]


# -- webhooks, workflows, releases -----------------------------------------------------------


def test_webhooks_list(sdk: OfficialSDK, ours: Ours) -> None:
    webhooks = sdk.stack().webhooks()
    webhooks.add_param_dict({"include_count": "true", "asc": "created_at"})
    webhooks.find()
    ours.stack().api.webhooks.get_webhooks(include_count=True, asc="created_at")
    same(sdk, ours, "GET /v3/webhooks")


def test_webhook_executions(sdk: OfficialSDK, ours: Ours) -> None:
    webhook = sdk.stack().webhooks("blt_hook")
    webhook.add_param_dict({"from": "2024-01-01", "to": "2024-01-31"})
    webhook.executions()
    ours.stack().api.webhooks.get_webhook_executions(
        "blt_hook", from_="2024-01-01", to="2024-01-31"
    )
    same(sdk, ours, "GET /v3/webhooks/blt_hook/executions")
    assert ours.last.query == (("from", "2024-01-01"), ("to", "2024-01-31"))


def test_workflows_list(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().workflows().find()
    ours.stack().api.workflows.get_workflows()
    same(sdk, ours, "GET /v3/workflows")


def test_release_deploy(sdk: OfficialSDK, ours: Ours) -> None:
    body = {
        "release": {
            "environments": ["production"],
            "locales": ["en-us"],
            "scheduled_at": "2030-01-01T10:00:00.000Z",
            "action": "publish",
        }
    }
    sdk.stack().releases("blt_release").deploy(body)
    ours.stack().api.releases.deploy_release(
        "blt_release", body=models.ReleaseDeployRequest.from_dict(body)
    )
    same(sdk, ours, "POST /v3/releases/blt_release/deploy")
    assert ours.last.body == body


# -- bulk operations -------------------------------------------------------------------------

BULK_ENTRIES: list[dict[str, Any]] = [
    {"uid": "blt_entry", "content_type": "blog", "locale": "en-us"},
    {"uid": "blt_entry_2", "content_type": "blog", "locale": "fr-fr", "version": 2},
]
BULK = {
    "entries": BULK_ENTRIES,
    "assets": [{"uid": "blt_asset"}],
    "locales": ["en-us", "fr-fr"],
    "environments": ["production"],
}


def test_bulk_publish(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().bulk_operation().publish(BULK)
    ours.stack().bulk_publish(
        entries=BULK_ENTRIES,
        assets=["blt_asset"],
        environments=["production"],
        locales=["en-us", "fr-fr"],
    )
    same(sdk, ours, "POST /v3/bulk/publish")
    assert ours.last.body == BULK


def test_bulk_unpublish(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().bulk_operation().unpublish(BULK)
    ours.stack().bulk_unpublish(
        entries=BULK_ENTRIES,
        assets=["blt_asset"],
        environments=["production"],
        locales=["en-us", "fr-fr"],
    )
    same(sdk, ours, "POST /v3/bulk/unpublish")


def test_bulk_delete(sdk: OfficialSDK, ours: Ours) -> None:
    body = {"entries": BULK_ENTRIES, "assets": [{"uid": "blt_asset"}]}
    sdk.stack().bulk_operation().delete(body)
    ours.stack().bulk_delete(entries=BULK_ENTRIES, assets=["blt_asset"])
    same(sdk, ours, "POST /v3/bulk/delete")
    assert ours.last.body == body


# -- branches, tokens, roles, taxonomies -----------------------------------------------------


def test_branches_list(sdk: OfficialSDK, ours: Ours) -> None:
    branches = sdk.stack().branch()
    branches.add_param_dict({"limit": 10, "skip": 0})
    branches.find()
    ours.stack().api.branches.get_branches(limit=10, skip=0)
    same(sdk, ours, "GET /v3/stacks/branches")


def test_delivery_tokens_list(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.stack().delivery_token().find()
    ours.stack().api.delivery_tokens.get_delivery_tokens()
    same(sdk, ours, "GET /v3/stacks/delivery_tokens")


def test_roles_list(sdk: OfficialSDK, ours: Ours) -> None:
    roles = sdk.stack().roles()
    roles.add_param_dict({"include_rules": "true", "include_permissions": "true"})
    roles.find()
    ours.stack().api.roles.get_roles(include_rules=True, include_permissions=True)
    same(sdk, ours, "GET /v3/roles")


def test_taxonomies_list(sdk: OfficialSDK, ours: Ours) -> None:
    taxonomies = sdk.stack().taxonomy()
    taxonomies.add_param_dict({"include_terms_count": "true", "limit": 10})
    taxonomies.find()
    ours.stack().api.taxonomies.get_taxonomies(include_terms_count=True, limit=10)
    same(sdk, ours, "GET /v3/taxonomies")


def test_terms_list(sdk: OfficialSDK, ours: Ours) -> None:
    terms = sdk.stack().taxonomy("regions").terms()
    terms.add_param_dict({"depth": 2, "include_children_count": "true"})
    terms.find()
    ours.stack().api.terms.get_terms("regions", depth=2, include_children_count=True)
    same(sdk, ours, "GET /v3/taxonomies/regions/terms")


# -- user and organization scope -------------------------------------------------------------


def test_organizations_list(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.client(authtoken=AUTHTOKEN).organizations().find()
    ours.client().api.organizations.get_organizations()
    same(sdk, ours, "GET /v3/organizations")
    assert ours.last.headers == USER_HEADERS


def test_stack_fetch(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.client(authtoken=AUTHTOKEN).stack(API_KEY).fetch()
    ours.client().stack(API_KEY).api.stacks.get_stack()
    same(sdk, ours, "GET /v3/stacks")
    assert ours.last.headers == {"api_key": API_KEY, "authtoken": AUTHTOKEN}


def test_user_get(sdk: OfficialSDK, ours: Ours) -> None:
    sdk.client(authtoken=AUTHTOKEN).user().fetch()
    ours.client().api.users.get_user()
    same(sdk, ours, "GET /v3/user")
    assert ours.last.headers == USER_HEADERS


@pytest.mark.parametrize("tfa_token", [None, "123456"])
def test_login_body(sdk: OfficialSDK, ours: Ours, tfa_token: str | None) -> None:
    sdk.client().login("ada@example.com", "correct horse", tfa_token=tfa_token)
    ours.client(authtoken=None).login("ada@example.com", "correct horse", tfa_token=tfa_token)
    same(sdk, ours, "POST /v3/user-session")
    user = {"email": "ada@example.com", "password": "correct horse"}
    assert ours.last.body == {
        "user": user if tfa_token is None else {**user, "tfa_token": tfa_token}
    }
    assert ours.last.headers == {}


# -- where the SDK departs from the API reference --------------------------------------------


def test_stack_user_roles_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §4.3 "Update user roles": the reference documents POST; the SDK sends PUT.
    body = {"users": {"blt_user": ["blt_role_1", "blt_role_2"]}}
    sdk.client(authtoken=AUTHTOKEN).stack(API_KEY).update_user_role(body)
    ours.client().stack(API_KEY).api.stack_users.update_stack_user_roles(
        body=models.StackUserRolesUpdateRequest.from_dict(body)
    )
    assert sdk.last.route == "PUT /v3/stacks/users/roles"
    assert ours.last.route == "POST /v3/stacks/users/roles"
    assert ours.last.body == sdk.last.body == body


def test_publish_request_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §4.6 "Publish request / approval": the SDK sends GET without a body.
    body = {
        "workflow": {
            "publishing_rule": {
                "uid": "blt_rule",
                "action": "publish",
                "status": 1,
                "notify": False,
                "comment": "Please publish",
            }
        },
    }
    sdk.stack().workflows().publish_request_approval("blog", "blt_entry")
    ours.stack().api.entries.update_entry_workflow(
        "blog", "blt_entry", body=models.EntryWorkflowRequest.from_dict(body), locale="en-us"
    )
    route = f"{ENTRY_PATH}/blt_entry/workflow"
    assert (sdk.last.route, sdk.last.body) == (f"GET {route}", None)
    assert (ours.last.route, ours.last.body) == (f"POST {route}", body)
    assert ours.last.query == (("locale", "en-us"),)


def test_boolean_params_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 5: the SDK sends Python booleans as `True`; the API takes `true`.
    sdk.stack().assets().subfolders("blt_folder")
    ours.stack().api.assets.get_assets(include_folders=True, folder="blt_folder")
    assert sdk.last.query == (("folder", "blt_folder"), ("include_folders", "True"))
    assert ours.last.query == (("folder", "blt_folder"), ("include_folders", "true"))
    assert ours.last.route == sdk.last.route == "GET /v3/assets"


def test_entry_delete_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §4.6 "Delete": the SDK always adds `force=True`, a parameter the reference
    # does not document for entries (only `locale`, `delete_all_localized`), spelt `True`.
    sdk.stack().content_types("blog").entry("blt_entry").delete()
    ours.stack().api.entries.delete_entry("blog", "blt_entry", locale="en-us")
    assert sdk.last.route == ours.last.route == f"DELETE {ENTRY_PATH}/blt_entry"
    assert sdk.last.query == (("force", "True"),)
    assert ours.last.query == (("locale", "en-us"),)


def test_json_query_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §2.1 "Request model" and §1 item 5: a dict `query` becomes one `query=<key>`
    # per key; the reference takes the query as one JSON-encoded parameter.
    query = {"title": "Hello", "tags": {"$in": ["news"]}}
    entries = sdk.stack().content_types("blog").entry()
    entries.add_param("query", query)
    entries.find()
    ours.stack().api.entries.get_entries("blog", query=json.dumps(query))
    assert sdk.last.query == (("query", "tags"), ("query", "title"))
    assert ours.last.query == (("query", json.dumps(query)),)
    assert json.loads(ours.last.query[0][1]) == query


def test_folder_by_name_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §4.8 "Folder by name": the SDK hard-codes the name `folder_name`, and
    # flattens the query dict to its keys (§2.1).
    sdk.stack().assets().folder_by_name()
    query = json.dumps({"is_dir": True, "name": "Images"})
    ours.stack().api.assets.get_assets(query=query)
    assert sdk.last.query == (("query", "is_dir"), ("query", "name"))
    assert ours.last.query == (("query", query),)


def test_asset_folder_create_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §4.8 "Folder create": the SDK passes the dict as form data, not JSON, so
    # `requests` sends the nested dict's keys as form values under a JSON content type.
    body = {"asset": {"name": "Images", "parent_uid": "blt_parent"}}
    sdk.stack().assets().create_folder(body)
    ours.stack().api.asset_folders.create_asset_folder(
        body=models.AssetFolderCreateRequest.from_dict(body)
    )
    assert sdk.last.route == ours.last.route == "POST /v3/assets/folders"
    assert sdk.last.body == b"asset=name&asset=parent_uid"
    assert sdk.last.content_type == "application/json"
    assert ours.last.body == body
    assert ours.last.content_type == "application/json"


def test_stack_create_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 5 and §4.3 "Create": the SDK never sets the organization_uid header
    # (the API answers 422, error 110).
    body = {"stack": {"name": "Site", "description": "The site", "master_locale": "en-us"}}
    sdk.client(authtoken=AUTHTOKEN).stack().create(ORG_UID, body)
    ours.client().api.stacks.create_stack(
        body=models.StackCreateRequest.from_dict(body), organization_uid=ORG_UID
    )
    assert sdk.last.route == ours.last.route == "POST /v3/stacks"
    assert sdk.last.body == ours.last.body == body
    assert sdk.last.headers == USER_HEADERS
    assert ours.last.headers == {**USER_HEADERS, "organization_uid": ORG_UID}


def test_webhook_import_unlike_the_sdk(sdk: OfficialSDK, ours: Ours, tmp_path: Path) -> None:
    # research §4.12 "Import" and §1 item 4: the SDK names the file field `entry` (the
    # reference: `webhook`) and sets `multipart/form-data` without a boundary.
    exported = tmp_path / "webhook.json"
    exported.write_text(json.dumps({"name": "Deploy", "destinations": []}))
    sdk.stack().webhooks().imports(str(exported))
    with exported.open("rb") as handle:
        ours.stack().api.webhooks.import_webhook(
            body=models.WebhookImportRequest(
                webhook=File(payload=handle, file_name="webhook.json", mime_type="application/json")
            )
        )
    assert sdk.last.route == ours.last.route == "POST /v3/webhooks/import"
    assert _form_fields(sdk.raw[0].body) == ["entry"]
    assert sdk.last.content_type == "multipart/form-data"
    assert _form_fields(ours.raw[0].content) == ["webhook"]
    assert (ours.last.content_type or "").startswith("multipart/form-data; boundary=")


def test_term_move_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 5 and §4.16 "Move / reorder": the SDK PUTs to the term, not to /move.
    body = {"term": {"parent_uid": "europe", "order": 2}}
    sdk.stack().taxonomy("regions").terms("france").move(body)
    ours.stack().api.terms.move_term(
        "regions", "france", body=models.TermMoveRequest.from_dict(body), force=True
    )
    assert sdk.last.route == "PUT /v3/taxonomies/regions/terms/france"
    assert ours.last.route == "PUT /v3/taxonomies/regions/terms/france/move"
    assert sdk.last.body == ours.last.body == body
    assert ours.last.query == (("force", "true"),)


def test_sticky_headers_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 4: the SDK writes headers into one client-wide dict, so a branch given
    # for one call goes with every later call of that client.
    sdk_stack, stack = sdk.stack(), ours.stack()
    sdk_stack.content_types("blog", branch="development").fetch()
    sdk_stack.environments().find()
    stack.api.content_types.get_content_type("blog", branch="development")
    stack.api.environments.get_environments()
    assert [s.headers.get("branch") for s in sdk.sent] == ["development", "development"]
    assert [s.headers.get("branch") for s in ours.sent] == ["development", None]
    assert [s.route for s in ours.sent] == [s.route for s in sdk.sent]


def test_release_headers_stick_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 4: `release_version` given to one releases() call stays on the client.
    sdk_stack, stack = sdk.stack(), ours.stack()
    sdk_stack.releases(headers={"release_version": "2.0"}).find()
    sdk_stack.workflows().find()
    stack.api.releases.get_releases(release_version="2.0")
    stack.api.workflows.get_workflows()
    assert [s.headers.get("release_version") for s in sdk.sent] == ["2.0", "2.0"]
    assert [s.headers.get("release_version") for s in ours.sent] == ["2.0", None]
    assert [s.route for s in ours.sent] == ["GET /v3/releases", "GET /v3/workflows"]


def test_logout_unlike_the_sdk(sdk: OfficialSDK, ours: Ours) -> None:
    # research §1 item 5 and §3.2: the SDK's logout() raises TypeError before sending.
    with pytest.raises(TypeError):
        sdk.client(authtoken=AUTHTOKEN).logout()
    ours.client().logout()
    assert sdk.sent == []
    assert ours.last.route == "DELETE /v3/user-session"
    assert ours.last.headers == USER_HEADERS
    assert ours.last.body is None
