"""Answers of the management side (core of the Content Management API), one function a route."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from . import _cma_assets as assets
from . import _cma_publish as publishing
from ._cma_auth import Principal, new_uid
from ._cma_call import Call, wrapped
from ._cma_store import ENTRY_READ_ONLY, SEED_USER, ManagementStore
from ._errors import (
    KitError,
    asset_not_found,
    content_type_not_found,
    entry_not_found,
    invalid_api_key,
    not_found,
    unsupported,
    validation_failed,
)

if TYPE_CHECKING:
    from ._memory import InMemoryStack

JSON = dict[str, Any]
Handler = Callable[[], JSON | tuple[int, JSON]]

_UID = re.compile(r"[a-z][a-z0-9_]*\Z")
_ATOMIC = frozenset({"PUSH", "PULL", "UPDATE", "ADD", "SUB"})
# Login needs no credential; this stands in for "nobody" on the way to the session code.
_ANONYMOUS = Principal("anonymous")


def handle(
    kit: InMemoryStack,
    store: ManagementStore,
    method: str,
    parts: list[str],
    params: httpx.QueryParams,
    headers: Mapping[str, str],
    body: bytes,
) -> tuple[int, JSON]:
    """Answer ``/v3/<parts>`` for the CMA; raises :class:`KitError` for error answers."""
    sessions = kit._sessions
    if parts == ["user-session"] and method == "POST":
        probe = Call(kit, store, _ANONYMOUS, params, headers, body)
        return 200, sessions.login(probe.json())
    principal = sessions.identify(headers)
    if parts == ["user-session"]:
        return _methods(method, {"DELETE": lambda: sessions.logout(principal)})
    if parts == ["user"]:
        return _methods(method, {"GET": lambda: sessions.user(principal)})
    # Everything else here is stack-scoped.
    if headers.get("api_key") != kit.api_key:
        raise invalid_api_key()
    return _stack_route(Call(kit, store, principal, params, headers, body), method, parts)


def _methods(method: str, handlers: Mapping[str, Handler]) -> tuple[int, JSON]:
    handler = handlers.get(method)
    if handler is None:
        raise KitError(405, 0, f"{method} is not allowed here; use {', '.join(handlers)}.")
    result = handler()
    return result if isinstance(result, tuple) else (200, result)


def _stack_route(call: Call, method: str, parts: list[str]) -> tuple[int, JSON]:
    match parts:
        case ["content_types"]:
            return _methods(
                method, {"GET": lambda: _content_types(call), "POST": lambda: _create_ct(call)}
            )
        case ["content_types", uid]:
            return _methods(
                method,
                {
                    "GET": lambda: {"content_type": _content_type(call, uid)},
                    "PUT": lambda: _update_ct(call, uid),
                    "DELETE": lambda: _delete_ct(call, uid),
                },
            )
        case ["content_types", ct, "entries"]:
            return _methods(
                method, {"GET": lambda: _entries(call, ct), "POST": lambda: _create_entry(call, ct)}
            )
        case ["content_types", ct, "entries", uid]:
            return _methods(
                method,
                {
                    "GET": lambda: _entry(call, ct, uid),
                    "PUT": lambda: _update_entry(call, ct, uid),
                    "DELETE": lambda: _delete_entry(call, ct, uid),
                },
            )
        case ["content_types", ct, "entries", uid, "versions"]:
            return _methods(method, {"GET": lambda: _versions(call, ct, uid)})
        case ["content_types", ct, "entries", uid, ("publish" | "unpublish") as action]:
            _content_type(call, ct)
            return _methods(
                method, {"POST": lambda: publishing.entry_action(call, action, ct, uid)}
            )
        case ["assets"]:
            return _methods(
                method,
                {"GET": lambda: assets.find(call), "POST": lambda: (201, assets.upload(call))},
            )
        case ["assets", uid]:
            return _methods(
                method,
                {
                    "GET": lambda: assets.fetch(call, uid),
                    "PUT": lambda: assets.update(call, uid),
                    "DELETE": lambda: assets.delete(call, uid),
                },
            )
        case ["assets", uid, ("publish" | "unpublish") as action]:
            return _methods(method, {"POST": lambda: publishing.asset_action(call, action, uid)})
        case ["environments"]:
            return _methods(
                method,
                {"GET": lambda: _environments(call), "POST": lambda: _create_environment(call)},
            )
        case ["environments", name]:
            return _methods(
                method,
                {
                    "GET": lambda: {"environment": copy.deepcopy(_environment(call, name))},
                    "PUT": lambda: _update_environment(call, name),
                    "DELETE": lambda: _delete_environment(call, name),
                },
            )
        case ["locales"]:
            return _methods(
                method, {"GET": lambda: _locales(call), "POST": lambda: _create_locale(call)}
            )
        case ["locales", code]:
            return _methods(
                method,
                {
                    "GET": lambda: {"locale": _locale_view(call, code)},
                    "PUT": lambda: _update_locale(call, code),
                    "DELETE": lambda: _delete_locale(call, code),
                },
            )
        case ["bulk", ("publish" | "unpublish") as action]:
            return _methods(method, {"POST": lambda: publishing.bulk(call, action)})
        case ["bulk", "delete"]:
            return _methods(method, {"POST": lambda: _bulk_delete(call)})
        case ["bulk", "jobs", job_id]:
            return _methods(method, {"GET": lambda: publishing.job_status(call, job_id)})
    raise KitError(404, 0, f"The testing kit does not serve /v3/{'/'.join(parts)}.")


def _fields(given: Mapping[str, Any], read_only: frozenset[str]) -> JSON:
    return {k: copy.deepcopy(v) for k, v in given.items() if k not in read_only}


# -- content types ----------------------------------------------------------------------------

_CT_READ_ONLY = frozenset(
    {"uid", "created_at", "updated_at", "created_by", "updated_by", "_version"}
)


def _content_type(call: Call, uid: str) -> JSON:
    found = call.kit.content_types.get(uid)
    if found is None:
        raise content_type_not_found(uid)
    result = copy.deepcopy(found)
    created_by, updated_by = call.store.content_type_authors.get(uid, (SEED_USER, SEED_USER))
    result.update(created_by=created_by, updated_by=updated_by)
    for key, default in (
        ("description", ""),
        ("inbuilt_class", False),
        ("maintain_revisions", True),
        ("last_activity", {}),
        ("options", {"is_page": False, "singleton": False, "title": "title", "sub_title": []}),
        ("SYS_ACL", {}),
        ("DEFAULT_ACL", {"others": {"read": False, "create": False}}),
    ):
        result.setdefault(key, default)
    return result


def _content_types(call: Call) -> JSON:
    items = [_content_type(call, uid) for uid in call.kit.content_types]
    return call.select("content types", items, None)


def _checked_schema(given: Mapping[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title = given.get("title")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = ["is a required field."]
    schema = given.get("schema", [])
    if not isinstance(schema, list) or not all(
        isinstance(f, dict) and isinstance(f.get("uid"), str) for f in schema
    ):
        errors["schema"] = ["must be a list of fields, each with a uid."]
    return errors


def _create_ct(call: Call) -> tuple[int, JSON]:
    given = wrapped(call.json(), "content_type", "Content Type", "creation")
    errors = _checked_schema(given)
    uid = given.get("uid")
    if not isinstance(uid, str) or not _UID.match(uid):
        errors["uid"] = ["is not valid."]
    elif uid in call.kit.content_types:
        errors["uid"] = ["is not unique."]
    if errors:
        raise validation_failed("Content Type", "creation", errors)
    assert isinstance(uid, str)
    when = call.now()
    data = _fields(given, _CT_READ_ONLY)
    data.update(uid=uid, created_at=when, updated_at=when, _version=1)
    data.setdefault("schema", [])
    call.kit.add_content_type(data)
    call.store.content_type_authors[uid] = (call.user, call.user)
    body = {
        "notice": "Content Type created successfully.",
        "content_type": _content_type(call, uid),
    }
    return 201, body


def _update_ct(call: Call, uid: str) -> JSON:
    current = _content_type(call, uid)
    given = wrapped(call.json(), "content_type", "Content Type", "update")
    merged = {**call.kit.content_types[uid], **_fields(given, _CT_READ_ONLY)}
    errors = _checked_schema(merged)
    if errors:
        raise validation_failed("Content Type", "update", errors)
    merged.update(updated_at=call.now(), _version=current["_version"] + 1)
    call.kit.add_content_type(merged)
    call.store.content_type_authors[uid] = (current["created_by"], call.user)
    return {
        "notice": "Content Type updated successfully.",
        "content_type": _content_type(call, uid),
    }


def _delete_ct(call: Call, uid: str) -> JSON:
    _content_type(call, uid)
    call.kit.delete_content_type(uid)
    return {"notice": "Content Type deleted successfully."}


# -- entries ----------------------------------------------------------------------------------


def _entries(call: Call, content_type_uid: str) -> JSON:
    _content_type(call, content_type_uid)
    locale = call.locale()
    items: list[JSON] = []
    for uid in call.store.entries.get(content_type_uid, {}):
        draft = call.store.draft(content_type_uid, uid, locale)
        if draft is not None:
            items.append(call.store.entry_view(content_type_uid, draft))
    return call.select("entries", items, "updated_at")


def _entry(call: Call, content_type_uid: str, uid: str) -> JSON:
    _content_type(call, content_type_uid)
    version = call.int_param("entry", "version")
    draft = call.store.draft(content_type_uid, uid, call.locale(), version)
    if draft is None:
        raise entry_not_found()
    return {"entry": call.store.entry_view(content_type_uid, draft)}


def _entry_fields(call: Call, action: str) -> JSON:
    given = wrapped(call.json(), "entry", "Entry", action)
    fields = _fields(given, ENTRY_READ_ONLY)
    for name, value in fields.items():
        if isinstance(value, dict) and value and set(value) <= _ATOMIC:
            raise unsupported(f"atomic updates ({name}: {', '.join(sorted(value))})")
    return fields


def _create_entry(call: Call, content_type_uid: str) -> tuple[int, JSON]:
    content_type = _content_type(call, content_type_uid)
    locale = call.locale()
    fields = _entry_fields(call, "creation")
    missing = {
        f["uid"]: ["is a required field."]
        for f in content_type.get("schema", [])
        if f.get("mandatory") and fields.get(f["uid"]) in (None, "", [])
    }
    if missing:
        # Guessed message; the mandatory check itself is what the API does.
        raise validation_failed("Entry", "creation", missing)
    when = call.now()
    uid = new_uid()
    draft: JSON = {
        **fields,
        "uid": uid,
        "locale": locale,
        "created_at": when,
        "updated_at": when,
        "created_by": call.user,
        "updated_by": call.user,
        "_version": 1,
    }
    draft.setdefault("tags", [])
    call.store.entries.setdefault(content_type_uid, {})[uid] = {locale: [draft]}
    body = {
        "notice": "Entry created successfully.",
        "entry": call.store.entry_view(content_type_uid, draft),
    }
    return 201, body


def _update_entry(call: Call, content_type_uid: str, uid: str) -> JSON:
    """Every update adds a version; a locale the entry lacks is localized (version 1)."""
    _content_type(call, content_type_uid)
    chains = call.store.chains(content_type_uid, uid)
    if not chains:
        raise entry_not_found()
    locale = call.locale()
    fields = _entry_fields(call, "update")
    when = call.now()
    chain = chains.get(locale)
    if chain:
        base = chain[-1]
        created = {"created_at": base["created_at"], "created_by": base.get("created_by")}
        version = base["_version"] + 1
    else:
        fallback = call.store.draft(content_type_uid, uid, locale)
        base = fallback if fallback is not None else next(iter(chains.values()))[-1]
        created = {"created_at": when, "created_by": call.user}
        version = 1
    draft = {k: copy.deepcopy(v) for k, v in base.items() if k not in ENTRY_READ_ONLY}
    draft.update(fields)
    draft.update(created, uid=uid, locale=locale, updated_at=when, updated_by=call.user)
    draft["_version"] = version
    chains.setdefault(locale, []).append(draft)
    return {
        "notice": "Entry updated successfully.",
        "entry": call.store.entry_view(content_type_uid, draft),
    }


def _delete_entry(call: Call, content_type_uid: str, uid: str) -> JSON:
    """Without ``locale`` (or with the master locale) every locale goes, as in the API."""
    doomed = _doomed_locales(call, content_type_uid, uid, call.params.get("locale"))
    _forget_entry(call, content_type_uid, uid, doomed)
    return {"notice": "Entry deleted successfully."}


def _doomed_locales(call: Call, content_type_uid: str, uid: str, given: object) -> list[str]:
    _content_type(call, content_type_uid)
    chains = call.store.chains(content_type_uid, uid)
    locale = call.locale(given)
    if not chains or (given and locale not in chains):
        raise entry_not_found()
    return [locale] if locale != call.kit.master_locale else list(chains)


def _forget_entry(call: Call, content_type_uid: str, uid: str, locales: list[str]) -> None:
    published = call.kit.entries.get(content_type_uid, {})
    for code in locales:
        if (uid, code) in published:
            call.kit.delete_entry(content_type_uid, uid, code)
        call.store.forget_entry(content_type_uid, uid, code, deleted=True)


def _bulk_delete(call: Call) -> JSON:
    """``POST /v3/bulk/delete``: every item is checked first, so a bad one deletes nothing."""
    body = call.json()
    entries, asset_refs = body.get("entries", []), body.get("assets", [])
    if (
        not isinstance(entries, list)
        or not isinstance(asset_refs, list)
        or not (entries or asset_refs)
    ):
        raise validation_failed(
            "Bulk", "delete", {"entries": ["or assets must list at least one item."]}
        )
    plan: list[tuple[str, str, list[str]]] = []
    for item in entries:
        if not isinstance(item, dict):
            raise validation_failed("Bulk", "delete", {"entries": ["must be objects."]})
        ct, uid = str(item.get("content_type", "")), str(item.get("uid", ""))
        plan.append((ct, uid, _doomed_locales(call, ct, uid, item.get("locale"))))
    uids = [str(a.get("uid", "")) if isinstance(a, dict) else "" for a in asset_refs]
    for uid in uids:
        if call.store.asset(uid) is None:
            raise asset_not_found()
    for ct, uid, locales in plan:
        _forget_entry(call, ct, uid, locales)
    for uid in uids:
        assets.delete(call, uid)
    # The notice is the kit's own wording (guessed).
    return {"notice": "Your bulk delete request is in progress."}


def _versions(call: Call, content_type_uid: str, uid: str) -> JSON:
    _content_type(call, content_type_uid)
    locale = call.locale()
    chain = call.store.chains(content_type_uid, uid).get(locale)
    if not chain:
        raise entry_not_found()
    items = [{"_version": v["_version"], "locale": locale} for v in reversed(chain)]
    return call.select("versions", items, None)


# -- environments -----------------------------------------------------------------------------


def _environment(call: Call, name: str) -> JSON:
    found = call.store.environments.get(name)
    if found is None:
        raise not_found("Environment", "name")
    return found


def _environments(call: Call) -> JSON:
    items = [copy.deepcopy(e) for e in call.store.environments.values()]
    return call.select("environments", items, None)


def _urls(given: Mapping[str, Any], action: str) -> list[Any]:
    urls = given.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, dict) for u in urls):
        raise validation_failed("Environment", action, {"urls": ["must be a list of objects."]})
    return urls


def _create_environment(call: Call) -> tuple[int, JSON]:
    given = wrapped(call.json(), "environment", "Environment", "creation")
    name = given.get("name")
    if not isinstance(name, str) or not name:
        raise validation_failed("Environment", "creation", {"name": ["is a required field."]})
    if name in call.store.environments:
        raise validation_failed("Environment", "creation", {"name": ["is not unique."]})
    created = call.store.add_environment(name, call.user, call.now(), _urls(given, "creation"))
    for key in ("servers", "deploy_content"):
        if key in given:
            created[key] = copy.deepcopy(given[key])
    return 201, {
        "notice": "Environment created successfully.",
        "environment": copy.deepcopy(created),
    }


def _update_environment(call: Call, name: str) -> JSON:
    current = _environment(call, name)
    given = wrapped(call.json(), "environment", "Environment", "update")
    new_name = given.get("name", name)
    if new_name != name:
        if name == call.kit.environment:
            raise unsupported("renaming the kit's delivery environment")
        if not isinstance(new_name, str) or not new_name or new_name in call.store.environments:
            raise validation_failed("Environment", "update", {"name": ["is not unique."]})
    updated = {**current, **_fields(given, frozenset({"uid", "created_at", "created_by"}))}
    updated["urls"] = _urls(updated, "update")
    updated.update(updated_at=call.now(), updated_by=call.user, _version=current["_version"] + 1)
    del call.store.environments[name]
    call.store.environments[str(new_name)] = updated
    _rename_publish_records(call.store, name, str(new_name))
    return {"notice": "Environment updated successfully.", "environment": copy.deepcopy(updated)}


def _rename_publish_records(store: ManagementStore, old: str, new: str | None) -> None:
    """Move (or, with ``new=None``, drop) the publish records of an environment."""
    for records in store.entry_publishes.values():
        if old in records:
            record = records.pop(old)
            if new is not None:
                records[new] = record
    for asset_records in store.asset_publishes.values():
        for env, locale in [k for k in asset_records if k[0] == old]:
            record = asset_records.pop((env, locale))
            if new is not None:
                asset_records[(new, locale)] = record


def _delete_environment(call: Call, name: str) -> JSON:
    _environment(call, name)
    if name == call.kit.environment:
        raise unsupported("deleting the kit's delivery environment")
    del call.store.environments[name]
    _rename_publish_records(call.store, name, None)
    return {"notice": "Environment deleted successfully."}


# -- locales ----------------------------------------------------------------------------------


def _locale_view(call: Call, code: str) -> JSON:
    stored = call.kit.locales.get(code)
    if stored is None:
        raise not_found("Language", "code")
    # Seeded locales get their system fields on first sight, then keep them.
    stored.setdefault("uid", new_uid())
    for key, default in (
        ("created_by", SEED_USER),
        ("updated_by", SEED_USER),
        ("created_at", "2024-01-01T00:00:00.000Z"),
        ("updated_at", "2024-01-01T00:00:00.000Z"),
        ("ACL", []),
        ("_version", 1),
    ):
        stored.setdefault(key, default)
    return copy.deepcopy(stored)


def _locales(call: Call) -> JSON:
    items = [_locale_view(call, code) for code in call.kit.locales]
    return call.select("locales", items, None)


def _fallback(call: Call, given: Mapping[str, Any], code: str, action: str) -> str | None:
    fallback = given.get("fallback_locale", call.kit.master_locale)
    if code == call.kit.master_locale:
        return None
    if not isinstance(fallback, str) or fallback not in call.kit.locales or fallback == code:
        raise validation_failed("Language", action, {"fallback_locale": ["is not valid."]})
    return fallback


def _create_locale(call: Call) -> tuple[int, JSON]:
    given = wrapped(call.json(), "locale", "Language", "creation")
    code = given.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", code):
        raise validation_failed("Language", "creation", {"code": ["is not valid."]})
    if code in call.kit.locales:
        raise validation_failed("Language", "creation", {"code": ["is not unique."]})
    fallback = _fallback(call, given, code, "creation")
    name = given.get("name")
    call.kit.add_locale(code, fallback, name if isinstance(name, str) and name else None)
    when = call.now()
    call.kit.locales[code].update(
        uid=new_uid(), created_by=call.user, updated_by=call.user, created_at=when, updated_at=when
    )
    return 201, {"notice": "Language added successfully.", "locale": _locale_view(call, code)}


def _update_locale(call: Call, code: str) -> JSON:
    current = _locale_view(call, code)
    given = wrapped(call.json(), "locale", "Language", "update")
    stored = call.kit.locales[code]
    if "fallback_locale" in given:
        stored["fallback_locale"] = _fallback(call, given, code, "update")
    if isinstance(given.get("name"), str) and given["name"]:
        stored["name"] = given["name"]
    stored.update(updated_at=call.now(), updated_by=call.user, _version=current["_version"] + 1)
    return {"notice": "Language updated successfully.", "locale": _locale_view(call, code)}


def _delete_locale(call: Call, code: str) -> JSON:
    _locale_view(call, code)
    if code == call.kit.master_locale:
        raise validation_failed("Language", "deletion", {"code": ["is the master language."]})
    del call.kit.locales[code]
    return {"notice": "Language removed successfully."}
