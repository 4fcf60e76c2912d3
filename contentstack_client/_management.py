"""Management clients: the user/organization scope and the stack scope, sync and async.

- :class:`ManagementClient` acts as a user (authtoken from :meth:`ManagementClient.login`,
  or OAuth): organizations, stacks, the user's own account.
- :class:`ManagementStack` acts on one stack (``api_key``, optional ``branch``) with a
  management token, an authtoken or OAuth; ``client.stack(api_key)`` derives one from a
  user client that shares its pool and credentials.

Every operation of the spec is reachable as ``client.api.<tag>.<operation>(...)``: bound,
typed methods generated from ``openapi/cma.yaml`` that raise typed errors. The few
hand-written methods (login, upload, publish, bulk jobs, pages) exist only where the raw
API is awkward. Credentials live in an ``httpx.Auth`` so that login, logout and OAuth
refreshes change what the next request carries without rebuilding the pool.
"""

from __future__ import annotations

import datetime
import inspect
import mimetypes
import os
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Generator,
    Iterator,
    Mapping,
)
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TypeVar

import anyio
import attrs
import httpx

from ._base import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    AsyncPool,
    CallOptions,
    EventHooks,
    HTTPSettings,
    LazyAsyncClient,
    LazySyncClient,
    SyncPool,
    Views,
    achecked,
    call_options,
    checked,
    event_hooks_of,
    features_of,
    host_url,
    non_empty_header,
    retry_of,
    timeout_of,
)
from ._regions import Region, resolve_region
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._secrets import mask
from ._throttle import DEFAULT_RATE_LIMIT, RateLimit, bucket_for

if TYPE_CHECKING:
    from ._generated.cma.api import AsyncOperations, Operations
    from ._generated.cma.client import Client as GeneratedClient
    from ._generated.cma.models import (
        Asset,
        AssetPublishResponse,
        BulkJobResponse,
        BulkOperationResponse,
        EntryPublishResponse,
    )
    from ._oauth import OAuthFlow

R = TypeVar("R")
S = TypeVar("S", bound="_Scope")

__all__ = [
    "BulkJobTimeoutError",
    "FileSource",
    "apages",
    "pages",
    "AsyncManagementClient",
    "AsyncManagementStack",
    "ManagementClient",
    "ManagementConfig",
    "ManagementStack",
]

UNKNOWN_ORGANIZATION: Final = "(organization not given)"
"""Rate-limit bucket shared by every client created without ``organization_uid``.

Sharing one bucket is the safe default: clients of one organization can never go over its
limit together, at the cost of pacing clients of different organizations jointly."""


@attrs.frozen(repr=False)
class ManagementConfig:
    """Settings of a management client; ``repr`` never shows credentials."""

    region: Region
    """Region whose management host is used (OAuth tokens may name another, see below)."""
    host: str | None
    """Host overriding the region's (and the OAuth token's) management host."""
    organization_uid: str | None
    """Organization of the calls; selects the rate-limit bucket shared with its other clients."""
    rate_limit: RateLimit
    """Client-side pacing of the organization's requests."""
    early_access: tuple[str, ...]
    """Early-access features, sent as ``x-header-ea``."""
    timeout: httpx.Timeout
    """Connect, read, write and pool timeouts."""
    retry: RetryPolicy
    """When and how requests are retried."""

    @property
    def base_url(self) -> str:
        """Scheme and host of the management API, without the ``/v3`` prefix."""
        host = self.host or self.region.cma
        return host.rstrip("/") if "://" in host else f"https://{host}"

    def http_settings(self, auth: httpx.Auth, hooks: EventHooks | None) -> HTTPSettings:
        """What the httpx client needs: base URL, common headers, auth, pacing, hooks."""
        headers = {"user-agent": USER_AGENT, "x-user-agent": USER_AGENT}
        if self.early_access:
            headers["x-header-ea"] = ",".join(self.early_access)
        return HTTPSettings(
            base_url=self.base_url,
            headers=headers,
            params={},
            timeout=self.timeout,
            retry=self.retry,
            throttle=bucket_for(self.organization_uid or UNKNOWN_ORGANIZATION, self.rate_limit),
            event_hooks=event_hooks_of(hooks),
            auth=auth,
        )

    def __repr__(self) -> str:
        return (
            f"ManagementConfig(region={self.region.name!r}, base_url={self.base_url!r}, "
            f"organization_uid={self.organization_uid!r})"
        )


def _config(
    region: str | Region,
    host: str | None,
    organization_uid: str | None,
    rate_limit: RateLimit | None,
    early_access: Collection[str],
    timeout: float | httpx.Timeout,
    retry: RetryPolicy | int,
) -> ManagementConfig:
    if host is not None:
        host_url(host, "host")
    if organization_uid is not None:
        non_empty_header("organization_uid", organization_uid)
    return ManagementConfig(
        region=resolve_region(region),
        host=host,
        organization_uid=organization_uid,
        rate_limit=RateLimit.off() if rate_limit is None else rate_limit,
        early_access=features_of(early_access),
        timeout=timeout_of(timeout),
        retry=retry_of(retry),
    )


class _Credential(httpx.Auth):
    """The session credential of a client: an authtoken or a management token, or none yet.

    Held here rather than in the client's default headers so that login and logout change
    what the next request carries, for every view sharing the pool.
    """

    def __init__(self, authtoken: str | None = None, management_token: str | None = None) -> None:
        self._authtoken = authtoken
        self._management_token = management_token

    def __repr__(self) -> str:
        return f"_Credential(authtoken={mask(self._authtoken)}, management_token={mask(self._management_token)})"

    @property
    def authtoken(self) -> str | None:
        return self._authtoken

    def set_authtoken(self, token: str | None) -> None:
        self._authtoken = token

    def sign(self, request: httpx.Request) -> None:
        token, management = self._authtoken, self._management_token
        if management is not None:
            # Sent raw: the management API takes the token itself, not "Bearer <token>".
            request.headers["authorization"] = management
        elif token is not None:
            request.headers["authtoken"] = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


def _credential(
    authtoken: str | None, management_token: str | None, oauth: OAuthFlow | None
) -> tuple[_Credential | None, OAuthFlow | None]:
    given = [
        n
        for n, v in (
            ("authtoken", authtoken),
            ("management_token", management_token),
            ("oauth", oauth),
        )
        if v is not None
    ]
    if len(given) > 1:
        raise ValueError(f"pass one credential, not {' and '.join(given)}")
    if oauth is not None:
        from ._oauth import OAuthFlow

        if not isinstance(oauth, OAuthFlow):
            raise TypeError(f"oauth must be an OAuthFlow, got {type(oauth).__name__}")
        return None, oauth
    return _Credential(
        None if authtoken is None else non_empty_header("authtoken", authtoken),
        None
        if management_token is None
        else non_empty_header("management_token", management_token),
    ), None


class _Scope(Views):
    """What every management client has: config, credentials, per-call options."""

    config: ManagementConfig
    _credential: _Credential | None
    _oauth: OAuthFlow | None

    def _auth(self) -> httpx.Auth:
        if self._oauth is not None:
            # An explicit host wins over the region the token names.
            return self._oauth.auth(follow_region=self.config.host is None)
        assert self._credential is not None
        return self._credential

    def _configure(
        self,
        config: ManagementConfig,
        credential: _Credential | None,
        oauth: OAuthFlow | None,
        event_hooks: EventHooks | None,
        defaults: CallOptions | None,
    ) -> HTTPSettings:
        self.config = config
        self._credential, self._oauth = credential, oauth
        self._generated: GeneratedClient | None = None
        self._defaults = defaults
        self._owns_http = True
        return config.http_settings(self._auth(), event_hooks)

    def _generated_for(self, attach: Callable[[GeneratedClient], object]) -> GeneratedClient:
        client = self._generated
        if client is None:
            from ._generated.cma.client import Client

            client = Client(base_url=self.config.base_url)
            attach(client)
            self._generated = client
        return client


def _scope_options(api_key: str, branch: str | None) -> CallOptions:
    headers = [("api_key", non_empty_header("api_key", api_key))]
    if branch is not None:
        headers.append(("branch", non_empty_header("branch", branch)))
    # Defaults, not overrides: an operation's own ``branch=`` argument wins.
    return CallOptions(default_headers=tuple(headers))


class _SyncCore(_Scope, SyncPool):
    """The sync pool, the generated client and the bound operations."""

    def _setup(
        self,
        config: ManagementConfig,
        credential: _Credential | None,
        oauth: OAuthFlow | None,
        transport: httpx.BaseTransport | None,
        http_client: httpx.Client | None,
        event_hooks: EventHooks | None,
        defaults: CallOptions | None,
    ) -> None:
        settings = self._configure(config, credential, oauth, event_hooks, defaults)
        self._http = LazySyncClient(lambda: settings.sync_client(transport, http_client))

    @property
    def generated_client(self) -> GeneratedClient:
        """A generated-package client bound to this client, for ``_generated.cma.api`` functions."""
        return self._generated_for(lambda client: client.set_httpx_client(self._http.get()))

    def _call(self, endpoint: Any, expected: Any, *args: Any, **kwargs: Any) -> Any:
        client = self.generated_client

        def call() -> Any:
            return endpoint.sync_detailed(*args, client=client, **kwargs)

        with call_options(self._defaults):
            return checked(call, expected)

    @property
    def api(self) -> Operations:
        """Every management operation, by tag: ``client.api.entries.get_entries(...)``."""
        from ._generated.cma.api import Operations

        return Operations(self._call)


class _AsyncCore(_Scope, AsyncPool):
    """Async twin of :class:`_SyncCore`."""

    def _setup(
        self,
        config: ManagementConfig,
        credential: _Credential | None,
        oauth: OAuthFlow | None,
        transport: httpx.AsyncBaseTransport | None,
        http_client: httpx.AsyncClient | None,
        event_hooks: EventHooks | None,
        defaults: CallOptions | None,
    ) -> None:
        settings = self._configure(config, credential, oauth, event_hooks, defaults)
        self._http = LazyAsyncClient(lambda: settings.async_client(transport, http_client))

    @property
    def generated_client(self) -> GeneratedClient:
        """A generated-package client bound to this client, for ``_generated.cma.api`` functions."""
        return self._generated_for(lambda client: client.set_async_httpx_client(self._http.get()))

    async def _call(self, endpoint: Any, expected: Any, *args: Any, **kwargs: Any) -> Any:
        client = self.generated_client

        def call() -> Awaitable[Any]:
            return endpoint.asyncio_detailed(*args, client=client, **kwargs)  # type: ignore[no-any-return]

        with call_options(self._defaults):
            return await achecked(call, expected)

    @property
    def api(self) -> AsyncOperations:
        """Every management operation, by tag: ``await client.api.entries.get_entries(...)``."""
        from ._generated.cma.api import AsyncOperations

        return AsyncOperations(self._call)


def _totp(secret: str) -> str:
    import pyotp

    try:
        return pyotp.TOTP(secret.replace(" ", "")).now()
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        raise ValueError("totp_secret is not a valid base32 TOTP secret") from None


def _login_body(email: str, password: str, tfa_token: str | None, totp_secret: str | None) -> Any:
    from ._generated.cma.models import UserSessionCreateRequest, UserSessionCredentials
    from ._generated.cma.types import UNSET

    non_empty_header("email", email)
    if not isinstance(password, str) or not password:
        raise ValueError("password must be a non-empty string")
    if tfa_token is not None and totp_secret is not None:
        raise ValueError("pass tfa_token or totp_secret, not both")
    if totp_secret is not None:
        tfa_token = _totp(totp_secret)
    elif tfa_token is not None:
        tfa_token = non_empty_header("tfa_token", tfa_token)
    credentials = UserSessionCredentials(
        email=email, password=password, tfa_token=UNSET if tfa_token is None else tfa_token
    )
    return UserSessionCreateRequest(user=credentials)


def _authtoken_of(session: Any) -> str:
    token = getattr(session.user, "authtoken", None)
    if not isinstance(token, str) or not token:
        raise ValueError("the login response carried no authtoken")
    return token


class _UserScope:
    """Login/logout state shared by the sync and async user clients."""

    _credential: _Credential | None
    _oauth: OAuthFlow | None

    def _session_credential(self, action: str) -> _Credential:
        if self._oauth is not None or self._credential is None:
            raise ValueError(f"{action} is for authtoken sessions; this client uses OAuth")
        return self._credential


class ManagementClient(_SyncCore, _UserScope):
    """Act as a user: organizations, stacks, the account (``api``), and ``stack()`` for one stack.

    Authenticate with an ``authtoken``, an OAuth flow (``oauth=OAuthFlow(...)``), or no
    credential and then :meth:`login`. Construction does no I/O.
    """

    def __init__(
        self,
        *,
        authtoken: str | None = None,
        oauth: OAuthFlow | None = None,
        region: str | Region = "na",
        host: str | None = None,
        organization_uid: str | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; nothing is sent or opened until the first call.

        Args:
            authtoken: A user session token (from a previous login).
            oauth: An :class:`~contentstack_client.OAuthFlow` whose tokens sign requests;
                its token's region (``location``) picks the host unless ``host`` is given.
            region: ``na`` (default), ``eu``, ``au``, ``azure-na``, ``azure-eu``, ``gcp-na``,
                ``gcp-eu``, or an alias.
            host: A host name or ``scheme://host[:port]`` overriding the region's CMA host.
            organization_uid: The organization; clients of one organization share one
                rate-limit bucket (all clients without it share another).
            rate_limit: Client-side pacing (default: the documented 10/s, bulk 1/s);
                ``None`` or ``RateLimit.off()`` to switch it off.
            early_access: Early-access feature names, sent as ``x-header-ea``.
            timeout: Seconds, or an ``httpx.Timeout``.
            retry: Retries after the first attempt, or a full :class:`RetryPolicy`.
            transport: An httpx transport to send through (a mock, or the testing kit's).
            http_client: Your own ``httpx.Client`` to send through.
            event_hooks: ``{"request": [...], "response": [...]}`` httpx hooks.

        """
        credential, flow = _credential(authtoken, None, oauth)
        config = _config(region, host, organization_uid, rate_limit, early_access, timeout, retry)
        self._setup(config, credential, flow, transport, http_client, event_hooks, None)
        self.user: Any = None
        """The user returned by :meth:`login` (a generated ``User`` model), else ``None``."""

    def __repr__(self) -> str:
        return f"ManagementClient({self.config!r}, credential={self._credential or self._oauth!r})"

    def login(
        self,
        email: str,
        password: str,
        *,
        tfa_token: str | None = None,
        totp_secret: str | None = None,
    ) -> Any:
        """Log in; later calls carry the session's authtoken. Returns the generated ``User``.

        Two-factor accounts need ``tfa_token`` (the current code) or ``totp_secret`` (to
        compute it); without either the API's error 294 is raised as
        :class:`~contentstack_client.TwoFactorRequiredError`, which says so.
        """
        credential = self._session_credential("login")
        body = _login_body(email, password, tfa_token, totp_secret)
        session = self.api.user_session.create_user_session(body=body)
        credential.set_authtoken(_authtoken_of(session))
        self.user = session.user
        return session.user

    def logout(self) -> None:
        """End the session on the server and forget its authtoken."""
        credential = self._session_credential("logout")
        if credential.authtoken is None:
            raise ValueError("this client has no session to log out of")
        self.api.user_session.delete_user_session()
        credential.set_authtoken(None)
        self.user = None

    def stack(self, api_key: str, *, branch: str | None = None) -> ManagementStack:
        """One stack, with this client's credentials and connection pool."""
        return _stack_view(ManagementStack, self, api_key, branch)


class AsyncManagementClient(_AsyncCore, _UserScope):
    """Async twin of :class:`ManagementClient`."""

    def __init__(
        self,
        *,
        authtoken: str | None = None,
        oauth: OAuthFlow | None = None,
        region: str | Region = "na",
        host: str | None = None,
        organization_uid: str | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; see :class:`ManagementClient` for the arguments."""
        credential, flow = _credential(authtoken, None, oauth)
        config = _config(region, host, organization_uid, rate_limit, early_access, timeout, retry)
        self._setup(config, credential, flow, transport, http_client, event_hooks, None)
        self.user: Any = None
        """The user returned by :meth:`login` (a generated ``User`` model), else ``None``."""

    def __repr__(self) -> str:
        return f"AsyncManagementClient({self.config!r}, credential={self._credential or self._oauth!r})"

    async def login(
        self,
        email: str,
        password: str,
        *,
        tfa_token: str | None = None,
        totp_secret: str | None = None,
    ) -> Any:
        """Log in; see :meth:`ManagementClient.login`."""
        credential = self._session_credential("login")
        body = _login_body(email, password, tfa_token, totp_secret)
        session = await self.api.user_session.create_user_session(body=body)
        credential.set_authtoken(_authtoken_of(session))
        self.user = session.user
        return session.user

    async def logout(self) -> None:
        """End the session on the server and forget its authtoken."""
        credential = self._session_credential("logout")
        if credential.authtoken is None:
            raise ValueError("this client has no session to log out of")
        await self.api.user_session.delete_user_session()
        credential.set_authtoken(None)
        self.user = None

    def stack(self, api_key: str, *, branch: str | None = None) -> AsyncManagementStack:
        """One stack, with this client's credentials and connection pool."""
        return _stack_view(AsyncManagementStack, self, api_key, branch)


def _stack_view(cls: type[S], parent: _Scope, api_key: str, branch: str | None) -> S:
    options = _scope_options(api_key, branch)
    view = object.__new__(cls)
    view.__dict__.update(parent.__dict__)
    view.__dict__.pop("user", None)
    view._owns_http = False
    view._defaults = options if parent._defaults is None else parent._defaults.merged(options)
    view.__dict__.update(api_key=api_key, branch=branch)
    return view


def _paging_extras(operation: Callable[..., Any]) -> dict[str, Any]:
    """Check once that ``operation`` pages with skip/limit; ask for the count where it can."""
    params = inspect.signature(operation).parameters
    missing = [p for p in ("skip", "limit") if p not in params]
    if missing:
        name = getattr(operation, "__name__", repr(operation))
        raise TypeError(f"{name} is not a paginated operation: it takes no {' or '.join(missing)}")
    return {"include_count": True} if "include_count" in params else {}


def _items_of(page: Any, name: str | None) -> list[Any]:
    from ._generated.cma.types import Unset

    if name is not None:
        value = getattr(page, name)
        if not isinstance(value, list | Unset):
            raise TypeError(f"{type(page).__name__}.{name} is not a list")
        return [] if isinstance(value, Unset) else value
    lists = {
        field.name: value
        for field in attrs.fields(type(page))
        if isinstance(value := getattr(page, field.name), list)
        and field.name not in ("errors", "additional_properties")
    }
    if len(lists) > 1:
        raise TypeError(
            f"{type(page).__name__} has several lists ({', '.join(sorted(lists))}): pass items=<name>"
        )
    return next(iter(lists.values()), [])


def _page_size(page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 100:
        raise ValueError(f"page_size must be an integer from 1 to 100, got {page_size!r}")
    return page_size


def _next_skip(page: Any, skip: int, page_size: int, items: list[Any]) -> int | None:
    """The offset of the next page, or ``None`` when this one was the last."""
    from ._generated.cma.types import Unset

    skip += len(items)
    count = getattr(page, "count", None)
    if len(items) < page_size or (
        isinstance(count, int) and not isinstance(count, Unset) and skip >= count
    ):
        return None
    return skip


def pages(
    operation: Callable[..., R],
    *args: Any,
    page_size: int = 100,
    items: str | None = None,
    **kwargs: Any,
) -> Iterator[R]:
    """Every page of a list operation, fetched lazily: ``pages(stack.api.entries.get_entries, "blog")``.

    Pages are requested with ``skip``/``limit`` (and ``include_count`` where the operation
    takes it) until a short page or the count says there are no more; only one page is
    held at a time. ``items`` names the list attribute when a page has several.
    """
    skip: int | None = 0
    size = _page_size(page_size)
    extras = _paging_extras(operation)
    while skip is not None:
        page = operation(*args, skip=skip, limit=size, **extras, **kwargs)
        yield page
        skip = _next_skip(page, skip, size, _items_of(page, items))


async def apages(
    operation: Callable[..., Awaitable[R]],
    *args: Any,
    page_size: int = 100,
    items: str | None = None,
    **kwargs: Any,
) -> AsyncIterator[R]:
    """Every page of an async list operation, fetched lazily (see :func:`pages`)."""
    skip: int | None = 0
    size = _page_size(page_size)
    extras = _paging_extras(operation)
    while skip is not None:
        page = await operation(*args, skip=skip, limit=size, **extras, **kwargs)
        yield page
        skip = _next_skip(page, skip, size, _items_of(page, items))


# -- conveniences where the raw API is awkward ------------------------------------------------

JOB_DONE: Final = frozenset(
    {"complete", "completed", "failed", "partially completed", "partially_completed", "success"}
)
"""Bulk job states after which nothing changes (compared case-insensitively)."""


class BulkJobTimeoutError(TimeoutError):
    """A bulk job did not finish within the time :meth:`ManagementStack.wait_for_job` allowed."""

    def __init__(self, job_id: str, waited: float, status: str | None) -> None:
        super().__init__(
            f"bulk job {job_id!r} still {status or 'unknown'!r} after {waited:.0f} s; "
            "poll again with wait_for_job() or get_bulk_job()"
        )
        self.job_id = job_id
        self.status = status


FileSource = str | os.PathLike[str] | BinaryIO
"""A path, or a binary file object (read in chunks, never whole)."""


@contextmanager
def _opened(source: FileSource, filename: str | None) -> Iterator[tuple[BinaryIO, str]]:
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as handle:
            yield handle, filename or os.path.basename(path)
        return
    if not hasattr(source, "read"):
        raise TypeError(f"file must be a path or a binary file object, got {type(source).__name__}")
    name = filename or os.path.basename(str(getattr(source, "name", "") or "")) or None
    if name is None:
        raise ValueError("filename= is needed for a file object without a name")
    yield source, name


def _asset_form(
    cls: Any,
    handle: BinaryIO,
    filename: str,
    content_type: str | None,
    title: str | None,
    description: str | None,
    tags: Collection[str],
    parent_uid: str | None,
) -> Any:
    from ._generated.cma.types import UNSET, File

    if isinstance(tags, str):
        raise TypeError("tags must be a collection of strings, not one string")
    for tag in tags:
        if not isinstance(tag, str) or not tag.strip() or "," in tag:
            raise ValueError(f"each tag must be a non-empty string without commas, got {tag!r}")
    mime = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return cls(
        File(payload=handle, file_name=filename, mime_type=mime),
        UNSET if title is None else title,
        UNSET if description is None else description,
        ",".join(tags) if tags else UNSET,
        UNSET if parent_uid is None else non_empty_header("parent_uid", parent_uid),
    )


def _names(name: str, values: Collection[str]) -> list[str]:
    if isinstance(values, str):
        raise TypeError(f"{name} must be a collection of strings, not one string")
    result = [non_empty_header(name, v) for v in values]
    if not result:
        raise ValueError(f"{name} must name at least one")
    return result


def _when(scheduled_at: datetime.datetime | None) -> datetime.datetime | None:
    if scheduled_at is not None and scheduled_at.tzinfo is None:
        raise ValueError("scheduled_at must carry a time zone")
    return scheduled_at


def _entry_publish_body(
    environments: Collection[str],
    locales: Collection[str],
    locale: str | None,
    version: int | None,
    scheduled_at: datetime.datetime | None,
) -> Any:
    from ._generated.cma.models import EntryPublishRequest, EntryPublishTarget
    from ._generated.cma.types import UNSET

    target = EntryPublishTarget(
        environments=_names("environments", environments), locales=_names("locales", locales)
    )
    return EntryPublishRequest(
        entry=target,
        locale=UNSET if locale is None else locale,
        version=UNSET if version is None else version,
        scheduled_at=_when(scheduled_at) or UNSET,
    )


def _asset_publish_body(
    environments: Collection[str],
    locales: Collection[str],
    version: int | None,
    scheduled_at: datetime.datetime | None,
) -> Any:
    from ._generated.cma.models import AssetPublishRequest, AssetPublishRequestAsset
    from ._generated.cma.types import UNSET

    target = AssetPublishRequestAsset(
        environments=_names("environments", environments), locales=_names("locales", locales)
    )
    return AssetPublishRequest(
        asset=target,
        version=UNSET if version is None else version,
        scheduled_at=_when(scheduled_at) or UNSET,
    )


BulkEntryRef = Mapping[str, Any]
"""An entry of a bulk request: ``{"uid", "content_type", "locale"[, "version"]}``."""


def _bulk_items(entries: Collection[BulkEntryRef], assets: Collection[str]) -> tuple[Any, Any]:
    from ._generated.cma.models import BulkAsset, BulkEntry

    if not entries and not assets:
        raise ValueError("a bulk request needs at least one entry or asset")
    if len(entries) > 10 or len(assets) > 10:
        # Documented per-request limit; more would be refused by the API after the fact.
        raise ValueError("a bulk request takes at most 10 entries and 10 assets")
    built = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry.get("uid") or not entry.get("content_type"):
            raise ValueError(f"each entry needs uid and content_type, got {entry!r}")
        built.append(BulkEntry.from_dict(dict(entry)))
    return built, [BulkAsset(uid=non_empty_header("asset uid", uid)) for uid in assets]


def _bulk_publish_body(
    entries: Collection[BulkEntryRef],
    assets: Collection[str],
    environments: Collection[str],
    locales: Collection[str],
    scheduled_at: datetime.datetime | None,
) -> Any:
    from ._generated.cma.models import BulkPublishRequest
    from ._generated.cma.types import UNSET

    built, asset_refs = _bulk_items(entries, assets)
    when = _when(scheduled_at)
    return BulkPublishRequest(
        locales=_names("locales", locales),
        environments=_names("environments", environments),
        entries=built or UNSET,
        assets=asset_refs or UNSET,
        scheduled_at=UNSET if when is None else when.isoformat(),
    )


def _job_status(job: Any) -> str | None:
    from ._generated.cma.types import Unset

    for candidate in (job, getattr(job, "job", None)):
        status = getattr(candidate, "status", None)
        if isinstance(status, str) and not isinstance(status, Unset):
            return status
    return None


def _job_done(status: str | None) -> bool:
    return status is not None and status.strip().lower() in JOB_DONE


def _poll_settings(poll_interval: float, timeout: float) -> None:
    if not poll_interval > 0 or not timeout > 0:
        raise ValueError("poll_interval and timeout must be positive numbers of seconds")


class _SyncStackHelpers:
    """Upload, publish and bulk jobs for :class:`ManagementStack`."""

    @property
    def api(self) -> Operations:
        """The bound operations (provided by the client class)."""
        raise NotImplementedError

    def upload_asset(
        self,
        file: FileSource,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: Collection[str] = (),
        parent_uid: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Asset:
        """Upload a file as a new asset, streamed (a large file is never read whole).

        ``file`` is a path or a binary file object; ``parent_uid`` puts it in a folder;
        ``content_type`` defaults to a guess from the file name.
        """
        from ._generated.cma.models import AssetUploadRequest

        with _opened(file, filename) as (handle, name):
            form = _asset_form(
                AssetUploadRequest, handle, name, content_type, title, description, tags, parent_uid
            )
            return _asset_of(self.api.assets.create_asset(body=form))

    def replace_asset(
        self,
        asset_uid: str,
        file: FileSource,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: Collection[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Asset:
        """Replace the file of an asset (it keeps its UID), streamed like :meth:`upload_asset`."""
        from ._generated.cma.models import AssetReplaceRequest

        with _opened(file, filename) as (handle, name):
            form = _asset_form(
                AssetReplaceRequest, handle, name, content_type, title, description, tags, None
            )
            return _asset_of(
                self.api.assets.update_asset(non_empty_header("asset_uid", asset_uid), body=form)
            )

    def publish_entry(
        self,
        content_type_uid: str,
        entry_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        locale: str | None = None,
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> EntryPublishResponse:
        """Publish an entry to environments and locales (now, or at ``scheduled_at``)."""
        body = _entry_publish_body(environments, locales, locale, version, scheduled_at)
        return self.api.entries.publish_entry(content_type_uid, entry_uid, body=body)

    def unpublish_entry(
        self,
        content_type_uid: str,
        entry_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        locale: str | None = None,
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> EntryPublishResponse:
        """Unpublish an entry from environments and locales (now, or at ``scheduled_at``)."""
        body = _entry_publish_body(environments, locales, locale, version, scheduled_at)
        return self.api.entries.unpublish_entry(content_type_uid, entry_uid, body=body)

    def publish_asset(
        self,
        asset_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> AssetPublishResponse:
        """Publish an asset to environments and locales (now, or at ``scheduled_at``)."""
        body = _asset_publish_body(environments, locales, version, scheduled_at)
        return self.api.assets.publish_asset(asset_uid, body=body)

    def unpublish_asset(
        self,
        asset_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> AssetPublishResponse:
        """Unpublish an asset from environments and locales (now, or at ``scheduled_at``)."""
        body = _asset_publish_body(environments, locales, version, scheduled_at)
        return self.api.assets.unpublish_asset(asset_uid, body=body)

    def bulk_publish(
        self,
        *,
        entries: Collection[BulkEntryRef] = (),
        assets: Collection[str] = (),
        environments: Collection[str],
        locales: Collection[str],
        scheduled_at: datetime.datetime | None = None,
    ) -> BulkOperationResponse:
        """Start a job publishing up to 10 entries and 10 assets; see :meth:`wait_for_job`."""
        body = _bulk_publish_body(entries, assets, environments, locales, scheduled_at)
        return self.api.bulk_operations.publish_in_bulk(body=body)

    def bulk_unpublish(
        self,
        *,
        entries: Collection[BulkEntryRef] = (),
        assets: Collection[str] = (),
        environments: Collection[str],
        locales: Collection[str],
        scheduled_at: datetime.datetime | None = None,
    ) -> BulkOperationResponse:
        """Start a job unpublishing up to 10 entries and 10 assets; see :meth:`wait_for_job`."""
        body = _bulk_publish_body(entries, assets, environments, locales, scheduled_at)
        return self.api.bulk_operations.unpublish_in_bulk(body=body)

    def bulk_delete(
        self, *, entries: Collection[BulkEntryRef] = (), assets: Collection[str] = ()
    ) -> BulkOperationResponse:
        """Delete up to 10 entries and 10 assets in one request."""
        from ._generated.cma.models import BulkDeleteRequest
        from ._generated.cma.types import UNSET

        built, asset_refs = _bulk_items(entries, assets)
        body = BulkDeleteRequest(entries=built or UNSET, assets=asset_refs or UNSET)
        return self.api.bulk_operations.delete_in_bulk(body=body)

    def wait_for_job(
        self, job_id: str, *, poll_interval: float = 2.0, timeout: float = 300.0
    ) -> BulkJobResponse:
        """Poll a bulk job until it completes or fails; returns its last state.

        Raises :class:`BulkJobTimeoutError` after ``timeout`` seconds. A failed job is
        returned, not raised: its ``status`` and counts say what failed.
        """
        _poll_settings(poll_interval, timeout)
        deadline = time.monotonic() + timeout
        while True:
            job = self.api.bulk_operations.get_bulk_job(non_empty_header("job_id", job_id))
            status = _job_status(job)
            if _job_done(status):
                return job
            if time.monotonic() + poll_interval > deadline:
                raise BulkJobTimeoutError(job_id, timeout, status)
            time.sleep(poll_interval)


class _AsyncStackHelpers:
    """Async twin of :class:`_SyncStackHelpers`."""

    @property
    def api(self) -> AsyncOperations:
        """The bound operations (provided by the client class)."""
        raise NotImplementedError

    async def upload_asset(
        self,
        file: FileSource,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: Collection[str] = (),
        parent_uid: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Asset:
        """Upload a file as a new asset, streamed (see :meth:`ManagementStack.upload_asset`)."""
        from ._generated.cma.models import AssetUploadRequest

        with _opened(file, filename) as (handle, name):
            form = _asset_form(
                AssetUploadRequest, handle, name, content_type, title, description, tags, parent_uid
            )
            return _asset_of(await self.api.assets.create_asset(body=form))

    async def replace_asset(
        self,
        asset_uid: str,
        file: FileSource,
        *,
        title: str | None = None,
        description: str | None = None,
        tags: Collection[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Asset:
        """Replace the file of an asset (it keeps its UID)."""
        from ._generated.cma.models import AssetReplaceRequest

        with _opened(file, filename) as (handle, name):
            form = _asset_form(
                AssetReplaceRequest, handle, name, content_type, title, description, tags, None
            )
            return _asset_of(
                await self.api.assets.update_asset(
                    non_empty_header("asset_uid", asset_uid), body=form
                )
            )

    async def publish_entry(
        self,
        content_type_uid: str,
        entry_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        locale: str | None = None,
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> EntryPublishResponse:
        """Publish an entry to environments and locales (now, or at ``scheduled_at``)."""
        body = _entry_publish_body(environments, locales, locale, version, scheduled_at)
        return await self.api.entries.publish_entry(content_type_uid, entry_uid, body=body)

    async def unpublish_entry(
        self,
        content_type_uid: str,
        entry_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        locale: str | None = None,
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> EntryPublishResponse:
        """Unpublish an entry from environments and locales (now, or at ``scheduled_at``)."""
        body = _entry_publish_body(environments, locales, locale, version, scheduled_at)
        return await self.api.entries.unpublish_entry(content_type_uid, entry_uid, body=body)

    async def publish_asset(
        self,
        asset_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> AssetPublishResponse:
        """Publish an asset to environments and locales (now, or at ``scheduled_at``)."""
        body = _asset_publish_body(environments, locales, version, scheduled_at)
        return await self.api.assets.publish_asset(asset_uid, body=body)

    async def unpublish_asset(
        self,
        asset_uid: str,
        *,
        environments: Collection[str],
        locales: Collection[str],
        version: int | None = None,
        scheduled_at: datetime.datetime | None = None,
    ) -> AssetPublishResponse:
        """Unpublish an asset from environments and locales (now, or at ``scheduled_at``)."""
        body = _asset_publish_body(environments, locales, version, scheduled_at)
        return await self.api.assets.unpublish_asset(asset_uid, body=body)

    async def bulk_publish(
        self,
        *,
        entries: Collection[BulkEntryRef] = (),
        assets: Collection[str] = (),
        environments: Collection[str],
        locales: Collection[str],
        scheduled_at: datetime.datetime | None = None,
    ) -> BulkOperationResponse:
        """Start a job publishing up to 10 entries and 10 assets; see :meth:`wait_for_job`."""
        body = _bulk_publish_body(entries, assets, environments, locales, scheduled_at)
        return await self.api.bulk_operations.publish_in_bulk(body=body)

    async def bulk_unpublish(
        self,
        *,
        entries: Collection[BulkEntryRef] = (),
        assets: Collection[str] = (),
        environments: Collection[str],
        locales: Collection[str],
        scheduled_at: datetime.datetime | None = None,
    ) -> BulkOperationResponse:
        """Start a job unpublishing up to 10 entries and 10 assets; see :meth:`wait_for_job`."""
        body = _bulk_publish_body(entries, assets, environments, locales, scheduled_at)
        return await self.api.bulk_operations.unpublish_in_bulk(body=body)

    async def bulk_delete(
        self, *, entries: Collection[BulkEntryRef] = (), assets: Collection[str] = ()
    ) -> BulkOperationResponse:
        """Delete up to 10 entries and 10 assets in one request."""
        from ._generated.cma.models import BulkDeleteRequest
        from ._generated.cma.types import UNSET

        built, asset_refs = _bulk_items(entries, assets)
        body = BulkDeleteRequest(entries=built or UNSET, assets=asset_refs or UNSET)
        return await self.api.bulk_operations.delete_in_bulk(body=body)

    async def wait_for_job(
        self, job_id: str, *, poll_interval: float = 2.0, timeout: float = 300.0
    ) -> BulkJobResponse:
        """Poll a bulk job until it completes or fails (see :meth:`ManagementStack.wait_for_job`)."""
        _poll_settings(poll_interval, timeout)
        deadline = time.monotonic() + timeout
        while True:
            job = await self.api.bulk_operations.get_bulk_job(non_empty_header("job_id", job_id))
            status = _job_status(job)
            if _job_done(status):
                return job
            if time.monotonic() + poll_interval > deadline:
                raise BulkJobTimeoutError(job_id, timeout, status)
            await anyio.sleep(poll_interval)


def _asset_of(response: Any) -> Asset:
    from ._generated.cma.types import Unset

    asset = response.asset
    if isinstance(asset, Unset):
        raise ValueError("the asset response carried no asset")
    return asset  # type: ignore[no-any-return]


class _StackScope:
    """What both stack clients know: the stack's API key and branch."""

    api_key: str
    """The stack's API key (a credential: never shown)."""
    branch: str | None
    """Branch every call applies to (``main`` when ``None``)."""

    def _stack_repr(self, config: ManagementConfig) -> str:
        return f"{type(self).__name__}(api_key={mask(self.api_key)}, branch={self.branch!r}, {config!r})"


class ManagementStack(_SyncCore, _StackScope, _SyncStackHelpers):
    """Manage one stack: ``stack.api.<tag>.<operation>(...)`` plus upload, publish, bulk helpers.

    Authenticate with a management token, an authtoken, or OAuth; or derive one from a
    user client with ``client.stack(api_key)``. Construction does no I/O.
    """

    def __init__(
        self,
        api_key: str,
        *,
        management_token: str | None = None,
        authtoken: str | None = None,
        oauth: OAuthFlow | None = None,
        branch: str | None = None,
        region: str | Region = "na",
        host: str | None = None,
        organization_uid: str | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; nothing is sent or opened until the first call.

        Args:
            api_key: The stack's API key.
            management_token: A management token of the stack (sent raw as ``authorization``).
            authtoken: A user session token instead.
            oauth: An :class:`~contentstack_client.OAuthFlow` instead.
            branch: Branch UID or alias for every call (``main`` when omitted).
            region: The stack's region (see :class:`ManagementClient`).
            host: A host overriding the region's CMA host.
            organization_uid: The stack's organization (shares its rate-limit bucket).
            rate_limit: Client-side pacing; ``None`` to switch it off.
            early_access: Early-access feature names, sent as ``x-header-ea``.
            timeout: Seconds, or an ``httpx.Timeout``.
            retry: Retries after the first attempt, or a full :class:`RetryPolicy`.
            transport: An httpx transport to send through (a mock, or the testing kit's).
            http_client: Your own ``httpx.Client`` to send through.
            event_hooks: ``{"request": [...], "response": [...]}`` httpx hooks.

        """
        credential, flow = _stack_credential(authtoken, management_token, oauth)
        config = _config(region, host, organization_uid, rate_limit, early_access, timeout, retry)
        self._setup(
            config,
            credential,
            flow,
            transport,
            http_client,
            event_hooks,
            _scope_options(api_key, branch),
        )
        self.api_key, self.branch = api_key, branch

    def __repr__(self) -> str:
        return self._stack_repr(self.config)


class AsyncManagementStack(_AsyncCore, _StackScope, _AsyncStackHelpers):
    """Async twin of :class:`ManagementStack`."""

    def __init__(
        self,
        api_key: str,
        *,
        management_token: str | None = None,
        authtoken: str | None = None,
        oauth: OAuthFlow | None = None,
        branch: str | None = None,
        region: str | Region = "na",
        host: str | None = None,
        organization_uid: str | None = None,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; see :class:`ManagementStack` for the arguments."""
        credential, flow = _stack_credential(authtoken, management_token, oauth)
        config = _config(region, host, organization_uid, rate_limit, early_access, timeout, retry)
        self._setup(
            config,
            credential,
            flow,
            transport,
            http_client,
            event_hooks,
            _scope_options(api_key, branch),
        )
        self.api_key, self.branch = api_key, branch

    def __repr__(self) -> str:
        return self._stack_repr(self.config)


def _stack_credential(
    authtoken: str | None, management_token: str | None, oauth: OAuthFlow | None
) -> tuple[_Credential | None, OAuthFlow | None]:
    if authtoken is None and management_token is None and oauth is None:
        raise ValueError("a stack client needs management_token=, authtoken= or oauth=")
    return _credential(authtoken, management_token, oauth)
