"""contentstack-client: a typed, fast client for Contentstack's delivery and management APIs.

    from contentstack_client import Stack

    with Stack(api_key, delivery_token, "production", region="eu") as stack:
        page = stack.find_entries("blog_post", limit=10, include_count=True)
        for entry in page.entries:
            print(entry.title, entry["body"])

Names are imported on first use, so ``import contentstack_client`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._delivery import AsyncStack, DeliveryConfig, Stack
    from ._exceptions import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ContentstackError,
        InternalServerError,
        InvalidTwoFactorTokenError,
        NotFoundError,
        PermissionDeniedError,
        PreconditionFailedError,
        RateLimitError,
        RequestTimeoutError,
        ResponseDecodeError,
        TwoFactorRequiredError,
        UnprocessableEntityError,
        URITooLongError,
    )
    from ._images import ImageSource, ImageTransform, Percent, image, srcset
    from ._management import (
        AsyncManagementClient,
        AsyncManagementStack,
        ManagementClient,
        ManagementConfig,
        ManagementStack,
        apages,
        pages,
    )
    from ._oauth import (
        AuthorizationRequest,
        FileTokenStore,
        MemoryTokenStore,
        OAuthAuthorizationError,
        OAuthConfig,
        OAuthError,
        OAuthFlow,
        OAuthStateError,
        OAuthTokenError,
        OAuthTokens,
        TokenStore,
    )
    from ._params import SyncType
    from ._query import Filter, Scalar
    from ._regions import REGIONS, Region, resolve_region
    from ._results import (
        AssetQuery,
        AsyncAssetQuery,
        AsyncEntryQuery,
        AsyncTaxonomyQuery,
        EntryQuery,
        Page,
        TaxonomyQuery,
    )
    from ._retry import RetryEvent, RetryPolicy
    from ._sync import (
        AssetDeleted,
        AssetPublished,
        AssetUnpublished,
        AsyncSyncStream,
        ContentTypeDeleted,
        EntryDeleted,
        EntryPublished,
        EntryUnpublished,
        SyncCursor,
        SyncEvent,
        SyncStream,
        UnknownSyncEvent,
    )
    from ._throttle import RateLimit, RateLimitConflictError
    from .rich_text import (
        HTMLRenderer,
        PlainTextRenderer,
        parse_rte,
        render_rte_field,
        rte_to_html,
        rte_to_text,
    )

_EXPORTS: dict[str, str] = {
    "Stack": "._delivery",
    "AsyncStack": "._delivery",
    "DeliveryConfig": "._delivery",
    "SyncType": "._params",
    **dict.fromkeys(
        (
            "HTMLRenderer",
            "PlainTextRenderer",
            "parse_rte",
            "render_rte_field",
            "rte_to_html",
            "rte_to_text",
        ),
        ".rich_text",
    ),
    **dict.fromkeys(("ImageSource", "ImageTransform", "Percent", "image", "srcset"), "._images"),
    "Filter": "._query",
    "Scalar": "._query",
    **dict.fromkeys(
        (
            "AssetQuery",
            "AsyncAssetQuery",
            "AsyncEntryQuery",
            "AsyncTaxonomyQuery",
            "EntryQuery",
            "Page",
            "TaxonomyQuery",
        ),
        "._results",
    ),
    **dict.fromkeys(
        (
            "AssetDeleted",
            "AssetPublished",
            "AssetUnpublished",
            "AsyncSyncStream",
            "ContentTypeDeleted",
            "EntryDeleted",
            "EntryPublished",
            "EntryUnpublished",
            "SyncCursor",
            "SyncEvent",
            "SyncStream",
            "UnknownSyncEvent",
        ),
        "._sync",
    ),
    **dict.fromkeys(
        (
            "AsyncManagementClient",
            "AsyncManagementStack",
            "ManagementClient",
            "ManagementConfig",
            "ManagementStack",
            "apages",
            "pages",
        ),
        "._management",
    ),
    # The OAuth names import authlib (the `oauth` extra) on first use only.
    **dict.fromkeys(
        (
            "AuthorizationRequest",
            "FileTokenStore",
            "MemoryTokenStore",
            "OAuthAuthorizationError",
            "OAuthConfig",
            "OAuthError",
            "OAuthFlow",
            "OAuthStateError",
            "OAuthTokenError",
            "OAuthTokens",
            "TokenStore",
        ),
        "._oauth",
    ),
    "REGIONS": "._regions",
    "Region": "._regions",
    "resolve_region": "._regions",
    "RetryPolicy": "._retry",
    "RetryEvent": "._retry",
    "RateLimit": "._throttle",
    "RateLimitConflictError": "._throttle",
    **{
        name: "._exceptions"
        for name in (
            "APIConnectionError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ContentstackError",
            "InternalServerError",
            "NotFoundError",
            "PermissionDeniedError",
            "PreconditionFailedError",
            "RateLimitError",
            "RequestTimeoutError",
            "ResponseDecodeError",
            "UnprocessableEntityError",
            "URITooLongError",
            "TwoFactorRequiredError",
            "InvalidTwoFactorTokenError",
        )
    },
}

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AssetDeleted",
    "AssetPublished",
    "AssetQuery",
    "AssetUnpublished",
    "AsyncAssetQuery",
    "AsyncEntryQuery",
    "AsyncManagementClient",
    "AsyncManagementStack",
    "AsyncStack",
    "AsyncSyncStream",
    "AsyncTaxonomyQuery",
    "AuthenticationError",
    "AuthorizationRequest",
    "BadRequestError",
    "ContentTypeDeleted",
    "ContentstackError",
    "DeliveryConfig",
    "EntryDeleted",
    "EntryPublished",
    "EntryQuery",
    "EntryUnpublished",
    "FileTokenStore",
    "Filter",
    "HTMLRenderer",
    "ImageSource",
    "ImageTransform",
    "InternalServerError",
    "InvalidTwoFactorTokenError",
    "ManagementClient",
    "ManagementConfig",
    "ManagementStack",
    "MemoryTokenStore",
    "NotFoundError",
    "OAuthAuthorizationError",
    "OAuthConfig",
    "OAuthError",
    "OAuthFlow",
    "OAuthStateError",
    "OAuthTokenError",
    "OAuthTokens",
    "Page",
    "Percent",
    "PermissionDeniedError",
    "PlainTextRenderer",
    "PreconditionFailedError",
    "REGIONS",
    "RateLimit",
    "RateLimitConflictError",
    "RateLimitError",
    "Region",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "RetryEvent",
    "RetryPolicy",
    "Scalar",
    "Stack",
    "SyncCursor",
    "SyncEvent",
    "SyncStream",
    "SyncType",
    "TaxonomyQuery",
    "TokenStore",
    "TwoFactorRequiredError",
    "URITooLongError",
    "UnknownSyncEvent",
    "UnprocessableEntityError",
    "apages",
    "image",
    "pages",
    "parse_rte",
    "render_rte_field",
    "resolve_region",
    "rte_to_html",
    "rte_to_text",
    "srcset",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
