"""OAuth 2.0 for the Content Management API: authorization code with PKCE, refresh, revoke.

Contentstack's OAuth server belongs to Developer Hub apps (research/management.md 3.3):

- the user approves the app in the web app: ``https://{app host}/#!/apps/{app_id}/authorize``;
- codes and refresh tokens are exchanged at ``https://{developer hub host}/token``;
- a user's authorization is revoked through ``{developer hub}/manifests/{app_id}/authorizations``.

authlib does the OAuth protocol work (the PKCE verifier and its S256 challenge, the
authorization query and the token request bodies). The HTTP calls are ours, on a plain httpx
client, because the pieces the official SDKs got wrong are all about them: the token
endpoint must never pass through the bearer hook (the JS SDK refreshes recursively until it
runs out of memory, research 1.7), N concurrent callers must share one refresh, a 401 may
cause one refresh and one replay but never a loop, and error messages must not carry the
form body's secrets.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final, NamedTuple, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

try:
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
    from authlib.oauth2.rfc7636 import create_s256_code_challenge
except ImportError as exc:  # pragma: no cover - depends on how the package was installed
    # authlib (and its cryptography dependency) is an extra: delivery users never need it.
    raise ImportError(
        "OAuth needs authlib: install contentstack-client[oauth] (pip install 'contentstack-client[oauth]')"
    ) from exc

from ._base import OAUTH_REPLAY_EXTENSION as REPLAY_EXTENSION
from ._exceptions import (
    APIStatusError,
    ContentstackError,
    ResponseDecodeError,
    error_for_response,
)
from ._regions import REGIONS, Region, resolve_region
from ._retry import connection_error
from ._secrets import mask, mask_url, request_secrets, scrub

__all__ = [
    "AuthorizationRequest",
    "FileTokenStore",
    "MemoryTokenStore",
    "OAuthAuth",
    "OAuthAuthorizationError",
    "OAuthConfig",
    "OAuthError",
    "OAuthFlow",
    "OAuthStateError",
    "OAuthTokenError",
    "OAuthTokens",
    "TokenStore",
    "developer_hub_host",
]

logger = logging.getLogger("contentstack_client.oauth")

MIN_VERIFIER_LENGTH: Final = 43
"""Shortest PKCE code verifier RFC 7636 (section 4.1) allows."""
MAX_VERIFIER_LENGTH: Final = 128
"""Longest PKCE code verifier RFC 7636 allows (the Python SDK sends 171 characters)."""
DEFAULT_LEEWAY: Final = 60.0
"""Seconds before expiry at which a token is refreshed before it is used."""
_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)


def developer_hub_host(region: str | Region) -> str:
    """The Developer Hub API host of a region (``developerhub-api.contentstack.com`` for na).

    Contentstack publishes it beside the other hosts (research/api.md 2): the region's
    prefix, as for every other host, with NA unprefixed.
    """
    resolved = resolve_region(region)
    prefix = "" if resolved.name == "na" else f"{resolved.name}-"
    return f"{prefix}developerhub-api.contentstack.com"


def _scopes(value: str | Iterable[str]) -> tuple[str, ...]:
    # A single string is one scope, not its characters.
    return (value,) if isinstance(value, str) else tuple(value)


def _verifier_length(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not MIN_VERIFIER_LENGTH <= value <= MAX_VERIFIER_LENGTH:
        raise ValueError(
            f"{attribute.name} must be between {MIN_VERIFIER_LENGTH} and {MAX_VERIFIER_LENGTH}"
            f" (RFC 7636), got {value}"
        )


def _origin(value: str | None) -> str | None:
    return None if value is None else value.rstrip("/")


@attrs.frozen
class OAuthConfig:
    """A Developer Hub app's OAuth settings; hosts come from the region unless overridden."""

    app_id: str
    """The app's uid in Developer Hub."""
    client_id: str
    """The app's OAuth client id."""
    redirect_uri: str
    """Where Contentstack sends the user back with the code; must match the app's settings."""
    client_secret: str | None = attrs.field(default=None, repr=mask)
    """Set for a confidential app; without it the flow uses PKCE (as both official SDKs do)."""
    scopes: tuple[str, ...] = attrs.field(default=(), converter=_scopes)
    """Scopes to request, e.g. ``cm.entries.management:read``; if empty, no ``scope`` is sent
    (neither official SDK sends one)."""
    region: Region = attrs.field(default=REGIONS["na"], converter=resolve_region)
    """Region id or alias (``"eu"``, ``"azure-na"`` ...) or a :class:`Region`."""
    app_url: str | None = attrs.field(default=None, converter=_origin)
    """Origin of the authorization page instead of ``https://{region.app}``."""
    developer_hub_url: str | None = attrs.field(default=None, converter=_origin)
    """Origin of the Developer Hub API instead of the region's (a loopback stub in tests)."""
    token_url: str | None = None
    """Token endpoint instead of ``{developer hub}/token``."""
    verifier_length: int = attrs.field(default=64, validator=_verifier_length)
    """Length of generated PKCE verifiers, 43 to 128."""

    @property
    def authorize_base(self) -> str:
        """Origin of the web app that shows the consent page."""
        return self.app_url or f"https://{self.region.app}"

    @property
    def developer_hub_base(self) -> str:
        """Origin of the Developer Hub API (token and authorization endpoints)."""
        return self.developer_hub_url or f"https://{developer_hub_host(self.region)}"

    @property
    def token_endpoint(self) -> str:
        """Where codes and refresh tokens are exchanged."""
        # Both official SDKs post to {developer hub}/token; the OAuth guide documents
        # {app host}/apps-api/token. We follow the SDKs (their integration suites run
        # against it); token_url selects the other.
        return self.token_url or f"{self.developer_hub_base}/token"

    @property
    def uses_pkce(self) -> bool:
        """Whether codes are exchanged with a PKCE verifier rather than the client secret."""
        return self.client_secret is None


@attrs.frozen
class OAuthTokens:
    """The tokens and facts of one authorization, as the token endpoint returned them."""

    access_token: str = attrs.field(repr=mask)
    """Sent as ``authorization: Bearer <access_token>``."""
    refresh_token: str | None = attrs.field(default=None, repr=mask)
    """Exchanged for a new access token when this one expires."""
    expires_at: float | None = None
    """Expiry as Unix epoch seconds (wall clock, so it survives a restart); ``None`` if unknown."""
    token_type: str = "Bearer"
    """Always ``Bearer`` for Contentstack."""
    organization_uid: str | None = None
    """Organization the user authorized the app in; sent as the ``organization_uid`` header."""
    user_uid: str | None = None
    """The user who authorized (absent for app tokens); used to find the authorization to revoke."""
    location: str | None = None
    """Region the organization lives in (``NA``, ``EU``, ``AZURE_NA`` ...)."""
    authorization_type: str | None = None
    """``user`` or ``app``."""
    stack_api_key: str | None = None
    """Stack the app is installed in, for stack apps."""
    scope: str | None = None
    """Granted scopes, space separated, when the server says."""

    def expired(self, leeway: float = 0.0, *, now: float | None = None) -> bool:
        """Whether the token has expired, or will within ``leeway`` seconds (unknown: no)."""
        if self.expires_at is None:
            return False
        return (time.time() if now is None else now) + leeway >= self.expires_at

    @property
    def region(self) -> Region | None:
        """The :class:`Region` named by ``location``, if it names a known one."""
        if not self.location:
            return None
        try:
            return resolve_region(self.location)
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for token stores)."""
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OAuthTokens:
        """Rebuild tokens saved with :meth:`to_dict` (unknown keys are ignored)."""
        names = {a.name for a in attrs.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @classmethod
    def from_response(
        cls,
        data: Mapping[str, Any],
        *,
        previous: OAuthTokens | None = None,
        now: float | None = None,
    ) -> OAuthTokens:
        """Build tokens from a token endpoint answer; a refresh answer may omit what stays."""
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise ValueError("token response has no access_token")
        expires_in = data.get("expires_in")
        expires_at = (
            (time.time() if now is None else now) + float(expires_in)
            if isinstance(expires_in, int | float) and not isinstance(expires_in, bool)
            else None
        )

        def pick(key: str) -> str | None:
            value = data.get(key)
            if isinstance(value, str) and value:
                return value
            # A refresh answer can leave out the refresh token and the uids: they stay valid.
            return getattr(previous, key) if previous is not None else None

        return cls(
            access_token=access,
            refresh_token=pick("refresh_token"),
            expires_at=expires_at,
            token_type=str(data.get("token_type") or "Bearer"),
            organization_uid=pick("organization_uid"),
            user_uid=pick("user_uid"),
            location=pick("location") or pick("region"),
            authorization_type=pick("authorization_type"),
            stack_api_key=pick("stack_api_key"),
            scope=pick("scope"),
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where tokens live between requests and runs.

    The methods are synchronous and called under the refresh lock, from threads and from
    the event loop alike, so keep them quick (memory, a small file, a local keyring).
    """

    def load(self) -> OAuthTokens | None:
        """The saved tokens, or ``None``."""
        ...

    def save(self, tokens: OAuthTokens) -> None:
        """Replace the saved tokens."""
        ...

    def clear(self) -> None:
        """Forget the saved tokens."""
        ...


class MemoryTokenStore:
    """Keeps tokens in this process only (the default)."""

    def __init__(self, tokens: OAuthTokens | None = None) -> None:
        self._tokens = tokens

    def load(self) -> OAuthTokens | None:
        """The saved tokens, or ``None``."""
        return self._tokens

    def save(self, tokens: OAuthTokens) -> None:
        """Replace the saved tokens."""
        self._tokens = tokens

    def clear(self) -> None:
        """Forget the saved tokens."""
        self._tokens = None

    def __repr__(self) -> str:
        return f"MemoryTokenStore(tokens={'set' if self._tokens else None})"


class FileTokenStore:
    """Keeps tokens in a JSON file readable by the owner only (mode 0600).

    Writes go to a temporary file in the same folder, then replace the old file in one
    step, so a crash never leaves half a token file and a reader never sees one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        """The token file."""

    def load(self) -> OAuthTokens | None:
        """The saved tokens, or ``None`` if there is no file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return OAuthTokens.from_dict(json.loads(text))

    def save(self, tokens: OAuthTokens) -> None:
        """Write the tokens atomically with mode 0600."""
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600 from the start: the secret is never
        # readable by others, not even between creation and a chmod.
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(tokens.to_dict(), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        """Delete the file."""
        self.path.unlink(missing_ok=True)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


class OAuthError(ContentstackError):
    """The OAuth flow cannot go on: no tokens yet, no refresh token, a bad redirect."""


class OAuthStateError(OAuthError):
    """The redirect's ``state`` is not the one sent, or it carries no code (possible CSRF)."""


class OAuthAuthorizationError(OAuthError):
    """The redirect reports an error, e.g. the user denied access."""

    def __init__(self, error: str, description: str | None) -> None:
        super().__init__(
            f"authorization failed: {error}" + (f": {description}" if description else "")
        )
        self.error = error
        """The OAuth ``error`` code, e.g. ``access_denied``."""
        self.description = description
        """The ``error_description``, if any."""


class OAuthTokenError(APIStatusError):
    """The token endpoint refused a code or refresh token (e.g. ``invalid_grant``)."""

    error: str | None
    """The OAuth ``error`` code from the body, if any."""
    error_description: str | None
    """The ``error_description`` from the body, if any."""

    def __init__(self, response: httpx.Response, secrets: tuple[str, ...]) -> None:
        super().__init__(response)
        # The base class scrubs header and query credentials; the token endpoint's are in
        # the form body (code, verifier, refresh token, client secret).
        every = tuple(sorted({*secrets, *request_secrets(response.request)}, key=len, reverse=True))
        body = self.body if isinstance(self.body, dict) else {}
        error = body.get("error")
        description = body.get("error_description")
        self.error = error if isinstance(error, str) else None
        self.error_description = (
            str(scrub(description, every)) if isinstance(description, str) else None
        )
        if self.error and self.error_message in (response.reason_phrase, ""):
            self.error_message = self.error + (
                f": {self.error_description}" if self.error_description else ""
            )
        self.body = scrub(self.body, every)
        self.errors = {k: [str(scrub(v, every)) for v in vs] for k, vs in self.errors.items()}
        self.error_message = str(scrub(self.error_message, every))
        code = f" (error_code {self.error_code})" if self.error_code is not None else ""
        self.args = (
            f"{self.status_code} {response.reason_phrase}: {self.error_message}{code}"
            f" [{self.method} {self.url}]",
        )


class AuthorizationRequest(NamedTuple):
    """What :meth:`OAuthFlow.authorization_url` made.

    Keep ``state`` and ``code_verifier`` (server side, per user) until the redirect comes back.
    """

    url: str
    """Send the user's browser here."""
    state: str
    """Must come back unchanged in the redirect."""
    code_verifier: str | None
    """The PKCE secret behind the challenge in ``url``; ``None`` for a confidential app."""

    def __repr__(self) -> str:
        return (
            f"AuthorizationRequest(url={self.url!r}, state={self.state!r},"
            f" code_verifier={mask(self.code_verifier)})"
        )


class OAuthFlow:
    """Runs the OAuth flow of one app and keeps its tokens in a :class:`TokenStore`.

    Construction does no I/O. The sync methods use an internal ``httpx.Client`` and the
    ``a``-prefixed ones an ``httpx.AsyncClient``, each built on first use; pass your own to
    reuse a pool or proxy settings (the flow sends without their auth, see below).
    """

    def __init__(
        self,
        config: OAuthConfig,
        store: TokenStore | None = None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = config
        """The app's settings."""
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        """Where the tokens are kept."""
        self._client = http_client
        self._aclient = async_http_client
        self._owns_client = http_client is None
        self._owns_aclient = async_http_client is None
        # One refresh at a time: threads wait on this lock; tasks on their loop's asyncio
        # lock, then on this one too (see _single_flight).
        self._lock = threading.Lock()
        self._alocks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return f"OAuthFlow(config={self.config!r}, store={self.store!r})"

    # -- authorization ------------------------------------------------------------------

    def authorization_url(self, state: str | None = None) -> AuthorizationRequest:
        """Build the URL of the consent page, with a fresh state and PKCE verifier."""
        cfg = self.config
        state = state or generate_token(32)
        verifier = generate_token(cfg.verifier_length) if cfg.uses_pkce else None
        extra: dict[str, str] = {}
        if verifier is not None:
            extra = {
                "code_challenge": create_s256_code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        query = prepare_grant_uri(
            "", cfg.client_id, "code", cfg.redirect_uri, list(cfg.scopes) or None, state, **extra
        )
        # The consent page is a hash-bang route of the web app, which reads its parameters
        # from the fragment: the query goes after "#!/..." (as in the OAuth guide and the
        # Python SDK; the JS SDK's URL API puts it before the fragment, where the page
        # cannot see it).
        url = f"{cfg.authorize_base}/#!/apps/{cfg.app_id}/authorize{query}"
        return AuthorizationRequest(url, state, verifier)

    def parse_redirect(self, url: str, expected_state: str) -> str:
        """Check the redirect URL the user came back with and return its code."""
        if not expected_state:
            raise ValueError("expected_state is required: it is what defeats a forged redirect")
        params = dict(parse_qsl(urlsplit(url).query))
        if "error" in params:
            raise OAuthAuthorizationError(params["error"], params.get("error_description"))
        returned = params.get("state", "")
        # Constant time, so the comparison does not leak how much of a guess was right.
        if not hmac.compare_digest(returned.encode(), expected_state.encode()):
            raise OAuthStateError(
                "the redirect's state does not match the one sent; refusing the code"
            )
        code = params.get("code")
        if not code:
            raise OAuthStateError("the redirect carries no authorization code")
        return code

    def _code_form(self, code: str, code_verifier: str | None) -> dict[str, str]:
        cfg = self.config
        if cfg.uses_pkce and not code_verifier:
            raise OAuthError(
                "a PKCE code exchange needs the code_verifier from authorization_url()"
            )
        if (
            code_verifier is not None
            and not MIN_VERIFIER_LENGTH <= len(code_verifier) <= MAX_VERIFIER_LENGTH
        ):
            raise ValueError("code_verifier must be 43 to 128 characters (RFC 7636)")
        secret = {"client_secret": cfg.client_secret} if cfg.client_secret else {}
        pkce = {"code_verifier": code_verifier} if code_verifier and cfg.uses_pkce else {}
        return _form(
            "authorization_code",
            redirect_uri=cfg.redirect_uri,
            code=code,
            client_id=cfg.client_id,
            app_id=cfg.app_id,  # the Python SDK sends it (the JS SDK does not)
            **secret,
            **pkce,
        )

    def _refresh_form(self, tokens: OAuthTokens) -> dict[str, str]:
        cfg = self.config
        if not tokens.refresh_token:
            raise OAuthError("no refresh token: authorize again")
        secret = {"client_secret": cfg.client_secret} if cfg.client_secret else {}
        # The JS SDK never sends the client secret on refresh; a confidential client must.
        return _form(
            "refresh_token",
            redirect_uri=cfg.redirect_uri,
            refresh_token=tokens.refresh_token,
            client_id=cfg.client_id,
            app_id=cfg.app_id,
            **secret,
        )

    # -- sync ---------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=_TIMEOUT, follow_redirects=False)
        return self._client

    def _post_token(self, form: dict[str, str], previous: OAuthTokens | None) -> OAuthTokens:
        request = self._http().build_request("POST", self.config.token_endpoint, data=form)
        try:
            # An explicit no-op auth: the token call never passes through a bearer hook,
            # even on a client the caller configured with one (no refresh recursion).
            response = self._http().send(request, auth=_NO_AUTH)
        except httpx.TransportError as exc:
            # No cause chain: the httpx error holds the request and its form body of secrets.
            raise connection_error(exc, request) from None
        return _tokens_from(response, form, previous)

    def exchange_code(self, code: str, code_verifier: str | None = None) -> OAuthTokens:
        """Exchange an authorization code for tokens and save them in the store."""
        form = self._code_form(code, code_verifier)
        logger.debug("exchanging an authorization code at %s", self.config.token_endpoint)
        with self._lock:
            tokens = self._post_token(form, None)
            self.store.save(tokens)
        logger.debug("authorized: %r", tokens)
        return tokens

    def handle_redirect(self, url: str, request: AuthorizationRequest) -> OAuthTokens:
        """Check the redirect against ``request`` (state), then exchange its code."""
        code = self.parse_redirect(url, request.state)
        return self.exchange_code(code, request.code_verifier)

    def refresh(self) -> OAuthTokens:
        """Refresh the access token now, whatever its expiry, and save the new tokens."""
        with self._lock:
            return self._refresh_locked(self._current(), "requested")

    def _refresh_locked(self, tokens: OAuthTokens, reason: str) -> OAuthTokens:
        logger.debug("refreshing the OAuth access token (%s)", reason)
        new = self._post_token(self._refresh_form(tokens), tokens)
        self.store.save(new)
        logger.debug("refreshed: %r", new)
        return new

    def _current(self) -> OAuthTokens:
        tokens = self.store.load()
        if tokens is None:
            raise OAuthError("no OAuth tokens: run the authorization flow first")
        return tokens

    def valid_tokens(self, leeway: float = DEFAULT_LEEWAY) -> OAuthTokens:
        """The stored tokens, refreshed first if they expire within ``leeway`` seconds."""
        tokens = self._current()
        if not tokens.expired(leeway):
            return tokens
        with self._lock:
            # Whoever held the lock before us may have refreshed already.
            tokens = self._current()
            if not tokens.expired(leeway):
                return tokens
            return self._refresh_locked(tokens, "expired or about to")

    def _refresh_after_401(self, rejected: OAuthTokens) -> OAuthTokens:
        with self._lock:
            tokens = self._current()
            if tokens.access_token != rejected.access_token:
                return tokens  # another caller refreshed while we waited
            return self._refresh_locked(tokens, "rejected with 401")

    def revoke(self) -> bool:
        """Revoke this user's authorization of the app, then clear the store.

        Returns ``False`` if the server lists no authorization of this user (already
        revoked); the store is cleared then too. HTTP errors propagate and keep the store.
        """
        auth = self.auth()
        base = f"{self.config.developer_hub_base}/manifests/{self.config.app_id}/authorizations"
        client = self._http()
        response = client.get(base, auth=auth)
        _raise_for(response)
        uid = _find_authorization(response, self._current())
        if uid is not None:
            _raise_for(client.delete(f"{base}/{uid}", auth=auth))
        self.store.clear()
        logger.debug("OAuth authorization %s; tokens cleared", "revoked" if uid else "not found")
        return uid is not None

    def close(self) -> None:
        """Close the internal sync client (not one passed in)."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    # -- async --------------------------------------------------------------------------

    def _ahttp(self) -> httpx.AsyncClient:
        if self._aclient is None:
            self._aclient = httpx.AsyncClient(timeout=_TIMEOUT, follow_redirects=False)
        return self._aclient

    @asynccontextmanager
    async def _single_flight(self) -> AsyncIterator[None]:
        # Tasks of one loop queue on that loop's asyncio lock (asyncio locks belong to one
        # loop, so one per loop). The holder then also takes the threading lock, so sync
        # callers and other loops' tasks share the same single refresh. It is polled rather
        # than awaited in a worker thread: a cancelled wait must not leave it acquired.
        loop = asyncio.get_running_loop()
        lock = self._alocks.get(loop)
        if lock is None:
            lock = self._alocks[loop] = asyncio.Lock()
        async with lock:
            while not self._lock.acquire(blocking=False):
                await asyncio.sleep(0.005)
            try:
                yield
            finally:
                self._lock.release()

    async def _apost_token(self, form: dict[str, str], previous: OAuthTokens | None) -> OAuthTokens:
        client = self._ahttp()
        request = client.build_request("POST", self.config.token_endpoint, data=form)
        try:
            response = await client.send(request, auth=_NO_AUTH)
        except httpx.TransportError as exc:
            # No cause chain: the httpx error holds the request and its form body of secrets.
            raise connection_error(exc, request) from None
        return _tokens_from(response, form, previous)

    async def aexchange_code(self, code: str, code_verifier: str | None = None) -> OAuthTokens:
        """Async :meth:`exchange_code`."""
        form = self._code_form(code, code_verifier)
        logger.debug("exchanging an authorization code at %s", self.config.token_endpoint)
        async with self._single_flight():
            tokens = await self._apost_token(form, None)
            self.store.save(tokens)
        logger.debug("authorized: %r", tokens)
        return tokens

    async def ahandle_redirect(self, url: str, request: AuthorizationRequest) -> OAuthTokens:
        """Async :meth:`handle_redirect`."""
        code = self.parse_redirect(url, request.state)
        return await self.aexchange_code(code, request.code_verifier)

    async def arefresh(self) -> OAuthTokens:
        """Async :meth:`refresh`."""
        async with self._single_flight():
            return await self._arefresh_locked(self._current(), "requested")

    async def _arefresh_locked(self, tokens: OAuthTokens, reason: str) -> OAuthTokens:
        logger.debug("refreshing the OAuth access token (%s)", reason)
        new = await self._apost_token(self._refresh_form(tokens), tokens)
        self.store.save(new)
        logger.debug("refreshed: %r", new)
        return new

    async def avalid_tokens(self, leeway: float = DEFAULT_LEEWAY) -> OAuthTokens:
        """Async :meth:`valid_tokens`."""
        tokens = self._current()
        if not tokens.expired(leeway):
            return tokens
        async with self._single_flight():
            tokens = self._current()
            if not tokens.expired(leeway):
                return tokens
            return await self._arefresh_locked(tokens, "expired or about to")

    async def _arefresh_after_401(self, rejected: OAuthTokens) -> OAuthTokens:
        async with self._single_flight():
            tokens = self._current()
            if tokens.access_token != rejected.access_token:
                return tokens
            return await self._arefresh_locked(tokens, "rejected with 401")

    async def arevoke(self) -> bool:
        """Async :meth:`revoke`."""
        auth = self.auth()
        base = f"{self.config.developer_hub_base}/manifests/{self.config.app_id}/authorizations"
        client = self._ahttp()
        response = await client.get(base, auth=auth)
        _raise_for(response)
        uid = _find_authorization(response, self._current())
        if uid is not None:
            _raise_for(await client.delete(f"{base}/{uid}", auth=auth))
        self.store.clear()
        logger.debug("OAuth authorization %s; tokens cleared", "revoked" if uid else "not found")
        return uid is not None

    async def aclose(self) -> None:
        """Close the internal async client (not one passed in)."""
        if self._aclient is not None and self._owns_aclient:
            await self._aclient.aclose()
            self._aclient = None

    # -- httpx auth ---------------------------------------------------------------------

    def auth(self, leeway: float = DEFAULT_LEEWAY, *, follow_region: bool = False) -> OAuthAuth:
        """An ``httpx.Auth`` that signs requests with this flow's tokens (sync and async).

        With ``follow_region`` each request goes to the management host of the region the
        token response named (``location``), where the user's organization lives.
        """
        return OAuthAuth(self, leeway=leeway, follow_region=follow_region)


class OAuthAuth(httpx.Auth):
    """Adds ``authorization: Bearer`` (and ``organization_uid``) to each request.

    Refreshes first when the token expires within ``leeway`` seconds. On a 401 it refreshes
    once (shared with concurrent callers) and replays the request once; the answer to the
    replay is final, whatever it is, so a rejected token can never cause a refresh loop.
    """

    def __init__(
        self, flow: OAuthFlow, *, leeway: float = DEFAULT_LEEWAY, follow_region: bool = False
    ) -> None:
        self.flow = flow
        """The flow whose tokens sign requests."""
        self.leeway = leeway
        """Seconds before expiry at which the token is refreshed before use."""
        self.follow_region = follow_region
        """Send requests to the management host of the token's region (``location``)."""

    def __repr__(self) -> str:
        return f"OAuthAuth(leeway={self.leeway}, follow_region={self.follow_region})"

    def _sign(self, request: httpx.Request, tokens: OAuthTokens) -> None:
        request.headers["authorization"] = f"Bearer {tokens.access_token}"
        if tokens.organization_uid and "organization_uid" not in request.headers:
            request.headers["organization_uid"] = tokens.organization_uid
        region = tokens.region if self.follow_region else None
        if region is not None and region.cma != request.url.host:
            request.url = request.url.copy_with(host=region.cma)
            request.headers["host"] = region.cma

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign, send, and on a 401 refresh once and replay once."""
        tokens = self.flow.valid_tokens(self.leeway)
        self._sign(request, tokens)
        request.extensions[REPLAY_EXTENSION] = True
        response = yield request
        if response.status_code != 401:
            return
        request.extensions[REPLAY_EXTENSION] = False
        self._sign(request, self.flow._refresh_after_401(tokens))
        yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Async :meth:`sync_auth_flow`."""
        tokens = await self.flow.avalid_tokens(self.leeway)
        self._sign(request, tokens)
        request.extensions[REPLAY_EXTENSION] = True
        response = yield request
        if response.status_code != 401:
            return
        request.extensions[REPLAY_EXTENSION] = False
        self._sign(request, await self.flow._arefresh_after_401(tokens))
        yield request


_NO_AUTH: Final = httpx.Auth()  # sends requests unchanged


def _form(grant_type: str, **params: str) -> dict[str, str]:
    # authlib builds the RFC 6749 body (grant_type first, empty values dropped); we send it
    # as a dict so httpx encodes it and the error path knows which values are secrets.
    body = prepare_token_request(grant_type, **params)
    return dict(parse_qsl(body))


def _form_secrets(form: Mapping[str, str]) -> tuple[str, ...]:
    names = ("code", "code_verifier", "refresh_token", "client_secret")
    # Like request_secrets: very short values would mask ordinary words.
    return tuple(v for k, v in form.items() if k in names and len(v) >= 8)


def _tokens_from(
    response: httpx.Response, form: Mapping[str, str], previous: OAuthTokens | None
) -> OAuthTokens:
    response.read()
    if not response.is_success:
        sent = response.request
        # The error keeps the response, and the response its request: swap in a copy
        # without the form body, so no code, verifier, refresh token or client secret
        # travels on with the exception into tracebacks and error trackers.
        response.request = httpx.Request(sent.method, sent.url, headers=sent.headers)
        raise OAuthTokenError(response, _form_secrets(form))
    try:
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {type(data).__name__}")
        return OAuthTokens.from_response(data, previous=previous)
    except ValueError as exc:
        secrets = _form_secrets(form)
        raise ResponseDecodeError(
            f"token response is not usable: {scrub(str(exc), secrets)}",
            method=response.request.method,
            url=mask_url(response.request.url),
            status_code=response.status_code,
        ) from None


def _raise_for(response: httpx.Response) -> None:
    if not response.is_success:
        response.read()
        raise error_for_response(response)


def _find_authorization(response: httpx.Response, tokens: OAuthTokens) -> str | None:
    try:
        items = response.json().get("data") or []
    except (ValueError, AttributeError):
        raise ResponseDecodeError(
            "authorizations response is not a JSON object with 'data'",
            method=response.request.method,
            url=mask_url(response.request.url),
            status_code=response.status_code,
        ) from None
    items = [item for item in items if isinstance(item, dict)]
    if tokens.user_uid is None:
        # An app token names no user: revoke only when the app's sole authorization is
        # unambiguous, never someone else's.
        candidates = items if len(items) == 1 else []
    else:
        candidates = [
            item
            for item in items
            if isinstance(item.get("user"), dict) and item["user"].get("uid") == tokens.user_uid
        ]
    for item in candidates:
        uid = item.get("authorization_uid")
        if isinstance(uid, str) and uid:
            return uid
    return None
