"""Keeping credentials out of reprs, messages and logs."""

from __future__ import annotations

import json
from typing import Final

import httpx

SECRET_NAMES: Final = frozenset(
    {
        "access_token",
        "delivery_token",
        "preview_token",
        "management_token",
        "authtoken",
        "authorization",
        "api_key",
        "password",
        "tfa_token",
        "client_secret",
        "refresh_token",
        "code_verifier",
    }
)
"""Header and query parameter names whose values are credentials."""

MASK: Final = "***"


def mask(value: str | None) -> str:
    """Render a credential for display: whether it is set, never any part of it."""
    return f"'{MASK}'" if value else "None"


def mask_url(url: httpx.URL) -> str:
    """The URL as text with the values of credential query parameters masked."""
    if not url.query:
        return str(url)
    params = [(k, MASK if k.lower() in SECRET_NAMES else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def request_secrets(request: httpx.Request) -> tuple[str, ...]:
    """The credential values a request carries (headers and query), longest first."""
    values: set[str] = set()
    for name, value in request.headers.items():
        if name.lower() in SECRET_NAMES and value:
            values.add(value)
            scheme, _, token = value.partition(" ")
            if token and scheme.lower() in ("bearer", "basic"):
                values.add(token)
    for name, value in request.url.params.multi_items():
        if name.lower() in SECRET_NAMES and value:
            values.add(value)
    _body_secrets(request, values)
    # Very short values would turn ordinary words into "***"; real credentials are long.
    return tuple(sorted((v for v in values if len(v) >= 8), key=len, reverse=True))


_MAX_SCANNED_BODY: Final = 64 * 1024


def _body_secrets(request: httpx.Request, values: set[str]) -> None:
    # A login sends its password and two-factor code in a small JSON body; an error that
    # echoes them must be scrubbed like one echoing a header. Streamed or large bodies
    # (uploads) are not read for this.
    if "json" not in request.headers.get("content-type", ""):
        return
    try:
        content = request.content
    except httpx.RequestNotRead:
        return
    if len(content) > _MAX_SCANNED_BODY:
        return
    try:
        body = json.loads(content)
    except ValueError:
        return
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and str(key).lower() in SECRET_NAMES and value:
                    values.add(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def scrub(value: object, secrets: tuple[str, ...]) -> object:
    """``value`` (text, or JSON-like lists and mappings of it) with every secret replaced by ``***``.

    A server may echo what it was sent (``invalid token <token>``); errors built from its
    answer must not carry the credential on into logs and tracebacks.
    """
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    return value
