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


# -- Content Management API ---------------------------------------------------------------


def invalid_api_key() -> KitError:
    """412/109: the stack's ``api_key`` header is missing or wrong.

    The body is the one the kit's delivery side gives; the CMA's exact message and code were
    not recorded (guessed).
    """
    return KitError(412, 109, "Bad Request: api_key is not valid.", {"api_key": ["is not valid."]})


def not_logged_in(header: str = "authtoken") -> KitError:
    """401/105 "You're not allowed in here unless you're logged in." for a bad credential.

    Recorded for a bad ``authtoken`` (public API test suites assert it); the kit gives the
    same answer for a bad management token or OAuth token, naming that header (guessed).
    """
    return KitError(
        401, 105, "You're not allowed in here unless you're logged in.", {header: ["is not valid."]}
    )


def invalid_credentials(attempts_left: int) -> KitError:
    """422/104, recorded (cma_error_422_invalid_credentials.json: no ``errors`` key)."""
    return KitError(
        422,
        104,
        "Looks like your email or password is invalid. "
        f"You have {attempts_left} login attempt(s) left.",
    )


def two_factor_required(tfa_type: str = "totp_authenticator") -> KitError:
    """422/294 with ``tfa_type``, recorded (cma_error_422_2fa_required.json)."""
    error = KitError(422, 294, "Please login using the Two-Factor verification Token")
    error.body["errors"] = []
    error.body["tfa_type"] = tfa_type
    return error


def invalid_two_factor_token() -> KitError:
    """422/295, recorded (cma_error_422_invalid_2fa_token.json)."""
    error = KitError(422, 295, "Invalid verification code")
    error.body["errors"] = []
    return error


def environment_not_found() -> KitError:
    """401/161, recorded (cma_error_401_environment_or_permission.json)."""
    return KitError(401, 161, "Environment doesn't exists or insufficient permission to access it.")


def bad_content_type() -> KitError:
    """400 with only ``error_message``, recorded (cma_error_400_invalid_content_type.json)."""
    error = KitError(400, 0, "Please set a valid 'Content-Type' header")
    del error.body["error_code"]
    return error


def not_found(resource: str, field: str = "uid") -> KitError:
    """422/141 for a missing environment, locale, version or job.

    Guessed: the entry answer's code (141), with the resource named in the message.
    """
    return KitError(
        422, 141, f"{resource} was not found. Please try again.", {field: ["is not valid."]}
    )


def validation_failed(resource: str, action: str, errors: Mapping[str, list[str]]) -> KitError:
    """422 for a body the API rejects, e.g. a missing field or a uid already taken.

    The code (115) is the one research found for "already exists"; the kit uses it for every
    validation failure of a create or update, and the message pattern is guessed.
    """
    return KitError(422, 115, f"{resource} {action} failed. Please try again.", errors)


def unsupported(feature: str) -> KitError:
    """422/0: something the API does that the kit does not model (refused, never ignored)."""
    return KitError(422, 0, f"The testing kit does not support {feature}.")
