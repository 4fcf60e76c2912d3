"""The exceptions the client raises: one hierarchy, keyed by HTTP status.

Every message names the method and the URL (secrets masked) and, for API errors,
Contentstack's ``error_code`` and ``error_message``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from ._secrets import mask_url, request_secrets, scrub

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ContentstackError",
    "InternalServerError",
    "InvalidTwoFactorTokenError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "TwoFactorRequiredError",
    "URITooLongError",
    "UnprocessableEntityError",
]


class ContentstackError(Exception):
    """Base class of every error this package raises while talking to Contentstack."""


class APIConnectionError(ContentstackError):
    """The request could not be completed: the connection failed, reset or stalled."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(f"{message} [{method} {url}]")
        self.method = method
        """HTTP method of the failed request."""
        self.url = url
        """URL of the failed request, secrets masked."""


class APITimeoutError(APIConnectionError):
    """The request did not complete within its timeout."""


class ResponseDecodeError(ContentstackError):
    """A successful response whose body is not the JSON document the API promises."""

    def __init__(self, message: str, *, method: str, url: str, status_code: int) -> None:
        super().__init__(f"{message} [{method} {url} -> {status_code}]")
        self.method = method
        """HTTP method of the request."""
        self.url = url
        """URL of the request, secrets masked."""
        self.status_code = status_code
        """HTTP status of the response."""


class APIStatusError(ContentstackError):
    """The API answered with an error status (anything but 2xx)."""

    status_code: int
    """HTTP status of the response."""
    error_code: int | None
    """Contentstack's numeric error code, when the body carried one."""
    error_message: str
    """Contentstack's message, or a description of a body that was not Contentstack's JSON."""
    errors: Mapping[str, Sequence[str]]
    """Messages per field, e.g. ``{"uid": ["is not valid."]}``; empty when there were none."""
    request_id: str | None
    """The ``x-request-id`` response header, to quote to Contentstack support."""
    method: str
    """HTTP method of the request."""
    url: str
    """URL of the request, secrets masked."""
    body: Any
    """The parsed JSON body, or the body text (at most 2,000 characters) if it was not JSON."""
    response: httpx.Response
    """The response itself, for headers such as ``Retry-After``."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")
        request = response.request
        self.method = request.method
        self.url = mask_url(request.url)
        body, self.error_code, message, errors = _parse_error_body(response)
        secrets = request_secrets(request)
        self.body = scrub(body, secrets)
        self.error_message = str(scrub(message, secrets))
        self.errors = {k: [str(scrub(v, secrets)) for v in vs] for k, vs in errors.items()}
        code = f" (error_code {self.error_code})" if self.error_code is not None else ""
        rid = f" request_id={self.request_id}" if self.request_id else ""
        super().__init__(
            f"{self.status_code} {response.reason_phrase}: {self.error_message}{code}"
            f" [{self.method} {self.url}{rid}]"
        )


class BadRequestError(APIStatusError):
    """400: the request is malformed."""


class AuthenticationError(APIStatusError):
    """401: missing or invalid token, or an environment the token cannot read."""


class PermissionDeniedError(APIStatusError):
    """403: the token or user may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class RequestTimeoutError(APIStatusError):
    """408: the server timed out waiting for the request."""


class PreconditionFailedError(APIStatusError):
    """412: missing or invalid ``api_key``."""


class URITooLongError(APIStatusError):
    """414: the URL is longer than the CDN accepts (8 KB)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but refers to something that does not exist or is invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried automatically until the retry budget is spent."""


class InternalServerError(APIStatusError):
    """5xx: Contentstack or a proxy in front of it failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    412: PreconditionFailedError,
    414: URITooLongError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


class TwoFactorRequiredError(AuthenticationError):
    """Login needs a two-factor code (``error_code`` 294): pass ``tfa_token=`` or ``totp_secret=``."""

    tfa_type: str | None
    """The kind of second factor the account uses, e.g. ``totp_authenticator``."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        tfa_type = self.body.get("tfa_type") if isinstance(self.body, dict) else None
        self.tfa_type = tfa_type if isinstance(tfa_type, str) else None
        kind = f" ({self.tfa_type})" if self.tfa_type else ""
        self.args = (
            f"{self.args[0]}\nThis account uses two-factor authentication{kind}: log in again with "
            "tfa_token=<the current code from the authenticator app>, or totp_secret=<the "
            "account's TOTP secret> to compute it.",
        )


class InvalidTwoFactorTokenError(AuthenticationError):
    """The two-factor code given at login was wrong or expired (``error_code`` 295)."""


# Contentstack sends these with 401 or 422 depending on the path (research/management.md
# 3.2), so they are recognised by error_code, whatever the status.
_BY_CODE: dict[int, type[APIStatusError]] = {
    294: TwoFactorRequiredError,
    295: InvalidTwoFactorTokenError,
}


def error_for_response(response: httpx.Response) -> APIStatusError:
    """Build the typed exception for an error response (its body must have been read)."""
    cls = _BY_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    error = cls(response)
    special = _BY_CODE.get(error.error_code) if error.error_code is not None else None
    return error if special is None else special(response)


def _parse_error_body(
    response: httpx.Response,
) -> tuple[Any, int | None, str, Mapping[str, Sequence[str]]]:
    text = response.text
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        # A proxy's HTML page or an empty body: still a typed error, described plainly.
        kind = response.headers.get("content-type", "unknown content type").split(";")[0]
        snippet = " ".join(text[:200].split())
        message = f"non-JSON error body ({kind})" + (f": {snippet}" if snippet else "")
        return (text[:2000] if body is None else body), None, message, {}
    code = body.get("error_code")
    message = body.get("error_message") or body.get("message") or response.reason_phrase
    raw_errors = body.get("errors")
    errors: dict[str, list[str]] = {}
    if isinstance(raw_errors, dict):
        for key, value in raw_errors.items():
            values = value if isinstance(value, list) else [value]
            errors[str(key)] = [str(v) for v in values]
    return body, code if isinstance(code, int) else None, str(message), errors
