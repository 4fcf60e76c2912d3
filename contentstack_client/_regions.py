"""Contentstack regions and their hosts: a static table, never fetched at run time."""

from __future__ import annotations

from typing import Final

import attrs


@attrs.frozen
class Region:
    """The hosts of one Contentstack region."""

    name: str
    """Canonical region id, e.g. ``"eu"``."""
    cda: str
    """Content Delivery API host."""
    cma: str
    """Content Management API host."""
    preview: str
    """Preview service host (Live Preview and Timeline)."""
    images: str
    """Image Delivery API host."""
    assets: str
    """Host of non-image asset files."""
    app: str
    """Web app host, also the OAuth authorization host."""


def _region(name: str, prefix: str) -> Region:
    # North America is the only region without a prefix, and it keeps the historical
    # `.io` domain for the delivery, management, image and asset hosts.
    tld = "io" if not prefix else "com"
    return Region(
        name=name,
        cda=f"{prefix}cdn.contentstack.{tld}",
        cma=f"{prefix}api.contentstack.{tld}",
        preview=f"{prefix}rest-preview.contentstack.com",
        images=f"{prefix}images.contentstack.{tld}",
        assets=f"{prefix}assets.contentstack.{tld}",
        app=f"{prefix}app.contentstack.com",
    )


REGIONS: Final[dict[str, Region]] = {
    r.name: r
    for r in (
        _region("na", ""),
        _region("eu", "eu-"),
        _region("au", "au-"),
        _region("azure-na", "azure-na-"),
        _region("azure-eu", "azure-eu-"),
        _region("gcp-na", "gcp-na-"),
        _region("gcp-eu", "gcp-eu-"),
    )
}
"""Every region by canonical id."""

_ALIASES: Final[dict[str, str]] = {
    "us": "na",
    "aws-na": "na",
    "aws-us": "na",
    "aws-eu": "eu",
    "aws-au": "au",
}


def resolve_region(name: str | Region) -> Region:
    """Return the region for an id or alias (case, ``_`` and ``-`` do not matter).

    Raises ``ValueError`` listing the valid ids for anything else.
    """
    if isinstance(name, Region):
        return name
    if not isinstance(name, str):
        raise TypeError(f"region must be a string, got {type(name).__name__}")
    key = name.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    region = REGIONS.get(key)
    if region is None:
        valid = ", ".join(REGIONS)
        aliases = ", ".join(sorted(_ALIASES))
        raise ValueError(f"unknown region {name!r}; valid regions: {valid} (aliases: {aliases})")
    return region
