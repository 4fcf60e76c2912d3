"""The default async transport: aiohttp under httpx (through httpx-aiohttp).

Imported only when the first async client is built, so ``import contentstack_client``
never pays for aiohttp.
"""

from __future__ import annotations

import httpx

from ._retry import buffered


def _aiohttp_errors() -> tuple[tuple[type[BaseException], type[httpx.TransportError]], ...]:
    # Most specific first: aiohttp's classes overlap (a refused connection is a
    # ClientConnectorError, a ClientOSError and a ClientConnectionError at once).
    import aiohttp

    return (
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ServerFingerprintMismatch, httpx.ConnectError),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ClientHttpProxyError, httpx.ProxyError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.ClientConnectionError, httpx.ReadError),
        (TimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientError, httpx.TransportError),
    )


def _httpx_error(exc: Exception, request: httpx.Request) -> Exception:
    """The httpx error httpcore would have raised for what aiohttp raised (``exc`` if none)."""
    # httpx-aiohttp raises an httpx error chained to aiohttp's, or aiohttp's own.
    cause = exc.__cause__ if isinstance(exc, httpx.TransportError) else exc
    if cause is None:
        return exc
    for aiohttp_class, httpx_class in _aiohttp_errors():
        if isinstance(cause, aiohttp_class):
            # ClientResponseError's text names the URL (and its query); its message does not.
            detail = (
                getattr(cause, "message", None) if httpx_class is not httpx.ProxyError else None
            )
            text = str(detail or cause) or type(cause).__name__
            error = httpx_class(f"{text} ({type(cause).__name__})", request=request)
            error.__cause__ = cause  # aiohttp's own error, not httpx-aiohttp's guess
            return error
    return exc


class AiohttpTransport(httpx.AsyncBaseTransport):
    """The default async transport: aiohttp under httpx, through httpx-aiohttp.

    httpx's own async pool (httpcore on anyio) slows down as requests overlap; aiohttp's
    does not (README, Benchmarks: with 50 requests in flight, about 0.1-0.35x and 1.4x
    the throughput of 50 threads with ``requests.Session``). Two things are added here:

    - aiohttp's errors become the httpx errors httpcore raises for the same failure
      (httpx-aiohttp 0.2 reports a refused or dropped connection as ``ConnectTimeout``),
      so retries and :class:`APIConnectionError`/:class:`APITimeoutError` behave as
      with any other transport;
    - each body is read here, whole, so a connection lost mid-body is an error of the
      request that the retry wrapper sees (and retries when idempotent), not one raised
      later while the caller reads. JSON bodies are read whole anyway; pass your own
      ``transport=`` or ``http_client=`` to stream large downloads.
    """

    def __init__(self, limits: httpx.Limits) -> None:
        # Imports aiohttp (tens of milliseconds), so only when the first client is built.
        from httpx_aiohttp import AiohttpTransport

        self._inner = AiohttpTransport(limits=limits)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and read the whole response body."""
        try:
            response = await self._inner.handle_async_request(request)
            try:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
        except Exception as exc:
            error = _httpx_error(exc, request)
            if error is exc:
                raise
            raise error from error.__cause__
        return buffered(response, request, body)

    async def aclose(self) -> None:
        """Close aiohttp's session and its connections."""
        await self._inner.aclose()
