"""Who may call the management side of the kit: users, sessions, management and OAuth tokens."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyotp

from ._errors import (
    KitError,
    invalid_credentials,
    invalid_two_factor_token,
    not_logged_in,
    two_factor_required,
    validation_failed,
)

JSON = dict[str, Any]

#: Attempts Contentstack counts down from in its 104 answer (the recording says "4 left"
#: after one failure).
LOGIN_ATTEMPTS = 5


def new_uid() -> str:
    """A uid shaped like Contentstack's (``blt`` and 16 hex digits)."""
    return "blt" + secrets.token_hex(8)


def _same(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class User:
    """A user who can log in; secrets stay out of the repr."""

    email: str
    password: str = field(repr=False)
    totp_secret: str | None = field(default=None, repr=False)
    uid: str = field(default_factory=new_uid)
    failed_attempts: int = 0

    def profile(self, authtoken: str | None) -> JSON:
        """The ``user`` object of the login and ``GET /v3/user`` answers."""
        name = self.email.split("@")[0]
        body: JSON = {
            "uid": self.uid,
            "created_at": "2024-01-01T00:00:00.000Z",
            "updated_at": "2024-01-01T00:00:00.000Z",
            "email": self.email,
            "username": name,
            "first_name": name,
            "last_name": "",
            "company": "",
            "org_uid": [],
            "shared_org_uid": [],
            "active": True,
            "failed_attempts": self.failed_attempts,
            "roles": [],
        }
        if self.totp_secret is not None:
            body["tfa_status"] = "verified"
        if authtoken is not None:
            body["authtoken"] = authtoken
        return body


@dataclass(frozen=True)
class Principal:
    """Who made a request: a user (authtoken or their OAuth token), a management token or an app."""

    uid: str
    user: User | None = None
    authtoken: str | None = field(default=None, repr=False)


MANAGEMENT_TOKEN_UID = "blt_kit_management_token"
OAUTH_APP_UID = "blt_kit_oauth_app"


class Sessions:
    """Users, their authtokens, the stack's management token and registered OAuth tokens."""

    def __init__(self, management_token: str) -> None:
        self.management_token = management_token
        self.users: dict[str, User] = {}
        self._authtokens: dict[str, User] = {}
        self._oauth: dict[str, User | None] = {}

    def __repr__(self) -> str:
        return f"Sessions(users={len(self.users)}, sessions={len(self._authtokens)})"

    def add_user(self, email: str, password: str, totp_secret: str | None) -> str:
        """Register a user and open a session for them; returns its authtoken."""
        if totp_secret is not None:
            pyotp.TOTP(totp_secret).now()  # fails early on a secret that is not base32
        user = User(email, password, totp_secret)
        self.users[email.casefold()] = user
        return self._open(user)

    def add_oauth_token(self, token: str, email: str | None) -> None:
        """Accept ``authorization: Bearer <token>``, for a user's calls when ``email`` is given."""
        user = None
        if email is not None:
            user = self.users.get(email.casefold())
            if user is None:
                raise KeyError("add the user before their OAuth token")
        self._oauth[token] = user

    def _open(self, user: User) -> str:
        token = new_uid()
        self._authtokens[token] = user
        return token

    # -- the session endpoints ------------------------------------------------------------

    def login(self, body: Mapping[str, Any]) -> JSON:
        """``POST /v3/user-session``."""
        given = body.get("user")
        if not isinstance(given, Mapping):
            raise validation_failed("Login", "request", {"user": ["is required."]})
        email, password = given.get("email"), given.get("password")
        user = self.users.get(email.casefold()) if isinstance(email, str) else None
        if user is None or not _same(password, user.password):
            if user is not None:
                user.failed_attempts += 1
            failures = user.failed_attempts if user is not None else 1
            raise invalid_credentials(max(LOGIN_ATTEMPTS - failures, 0))
        if user.totp_secret is not None:
            code = given.get("tfa_token")
            if code is None or code == "":
                raise two_factor_required()
            # One step either side, as authenticator apps drift.
            if not isinstance(code, str) or not pyotp.TOTP(user.totp_secret).verify(
                code, valid_window=1
            ):
                raise invalid_two_factor_token()
        user.failed_attempts = 0
        return {"notice": "Login Successful.", "user": user.profile(self._open(user))}

    def logout(self, principal: Principal) -> JSON:
        """``DELETE /v3/user-session``: the authtoken stops working."""
        if principal.authtoken is None:
            raise not_logged_in()
        self._authtokens.pop(principal.authtoken, None)
        return {"notice": "You've logged out successfully!"}

    # -- checking credentials -------------------------------------------------------------

    def identify(self, headers: Mapping[str, str]) -> Principal:
        """The caller named by ``authtoken`` or ``authorization``; 401 if it is not valid."""
        authtoken = headers.get("authtoken")
        if authtoken is not None:
            user = self._authtokens.get(authtoken)
            if user is None:
                raise not_logged_in("authtoken")
            return Principal(user.uid, user, authtoken)
        authorization = headers.get("authorization", "")
        scheme, _, credential = authorization.partition(" ")
        if scheme.casefold() == "bearer" and credential:
            if credential not in self._oauth:
                raise not_logged_in("authorization")
            owner = self._oauth[credential]
            return Principal(owner.uid if owner else OAUTH_APP_UID, owner)
        if authorization and _same(authorization, self.management_token):
            return Principal(MANAGEMENT_TOKEN_UID)
        raise not_logged_in("authorization" if authorization else "authtoken")

    def user(self, principal: Principal) -> JSON:
        """``GET /v3/user``: needs a user (an authtoken or a user's OAuth token)."""
        if principal.user is None:
            # Management tokens and app tokens act for a stack, not a user.
            raise not_logged_in()
        return {"user": principal.user.profile(principal.authtoken)}


def is_management(headers: Mapping[str, str]) -> bool:
    """A request is for the CMA when it carries a management credential."""
    return "authtoken" in headers or "authorization" in headers


__all__ = ["KitError", "Principal", "Sessions", "User", "is_management", "new_uid"]
