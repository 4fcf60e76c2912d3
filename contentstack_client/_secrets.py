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
