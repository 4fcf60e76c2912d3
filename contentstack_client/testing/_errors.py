"""Error answers of the testing kit, in Contentstack's shape and with its codes.

Where a code or message was recorded from the live API it is copied exactly (see
``../shared/payloads/cda_error_*.json``); the others follow the closest recorded pattern
and say so beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]


class KitError(Exception):
    """An error answer, in Contentstack's shape and with its codes."""

    def __init__(
        self, status: int, code: int, message: str, errors: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"error_message": message, "error_code": code}
        if errors is not None:
            self.body["errors"] = dict(errors)


def content_type_not_found(uid: str) -> KitError:
    """422/118, recorded (cda_error_422_content_type_not_found.json)."""
    return KitError(
        422,
        118,
        f"The Content Type '{uid}' was not found. Please try again.",
        {"uid": ["is not valid."]},
    )


def entry_not_found() -> KitError:
    """422/141, recorded (cda_error_422_entry_not_found.json)."""
    return KitError(422, 141, "The requested object doesn't exist.", {"uid": ["is not valid."]})


def asset_not_found() -> KitError:
    """404/145, recorded (cda_error_404_asset_not_found.json)."""
    return KitError(404, 145, "Asset was not found.", {"uid": ["is not valid."]})


def invalid_parameter(resource: str, name: str, problem: str, status: int = 422) -> KitError:
    """A parameter the API rejects.

    The message and code are the ones Contentstack's SDK fixtures show for a rejected
    parameter ("Failed to fetch entries. Please try again with valid parameters.", 141, with
    the offending parameter under ``errors``); the 422 status follows the same fixtures.
    Malformed JSON uses 400, which Contentstack documents for unparsable requests.
    """
    return KitError(
        status,
        141,
        f"Failed to fetch {resource}. Please try again with valid parameters.",
        {name: [problem]},
    )
