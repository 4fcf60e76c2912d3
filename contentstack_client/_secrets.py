"""Keeping credentials out of reprs, messages and logs."""

from __future__ import annotations

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
    # Very short values would turn ordinary words into "***"; real credentials are long.
    return tuple(sorted((v for v in values if len(v) >= 8), key=len, reverse=True))


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
