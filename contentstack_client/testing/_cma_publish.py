"""Publishing from the management side: single entries and assets, and bulk jobs.

An environment other than the kit's delivery environment only gets a publish record: the
kit's delivery token is scoped to ``InMemoryStack.environment``, like a real delivery token
scoped to one environment, so that is the only one its Content Delivery API serves. Publishing
there goes through the stack's own publishing internals, so the change is visible to delivery
requests and recorded for the Sync API at once.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ._cma_auth import new_uid
from ._cma_call import Call, names, wrapped
from ._errors import (
    KitError,
    asset_not_found,
    content_type_not_found,
    entry_not_found,
    environment_not_found,
    not_found,
    unsupported,
    validation_failed,
)

JSON = dict[str, Any]


def targets(
    call: Call, details: Mapping[str, Any], default_locale: str
) -> tuple[list[str], list[str]]:
    """Checked ``environments`` (names; uids are accepted too) and ``locales``."""
    environments: list[str] = []
    by_uid = {e["uid"]: name for name, e in call.store.environments.items()}
    for given in names(details, "environments", "Publish", "request"):
        name = given if given in call.store.environments else by_uid.get(given)
        if name is None:
            raise environment_not_found()
        environments.append(name)
    locales = names(details, "locales", "Publish", "request", [default_locale])
    for code in locales:
        call.locale(code)
    return environments, locales


def _refuse_schedule(*bodies: Mapping[str, Any]) -> None:
    if any(b.get("scheduled_at") for b in bodies):
        raise unsupported("scheduled publishing (scheduled_at); publish without it")


def _version(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise validation_failed("Publish", "request", {"version": ["must be a number."]})
    return int(value)


# -- entries ----------------------------------------------------------------------------------


def publish_entry(
    call: Call,
    content_type_uid: str,
    uid: str,
    environments: list[str],
    locales: list[str],
    source_locale: str,
    version: int | None,
) -> None:
    """Publish an entry to every environment and locale given (all checked before any change).

    ``version`` picks a version of ``source_locale``; other locales publish their newest
    version, and a locale the entry is not localized in publishes its fallback's content.
    """
    kit, store = call.kit, call.store
    if content_type_uid not in kit.content_types:
        raise content_type_not_found(content_type_uid)
    snapshots: dict[str, JSON] = {}
    for locale in locales:
        draft = store.draft(
            content_type_uid, uid, locale, version if locale == source_locale else None
        )
        if draft is None:
            raise entry_not_found()
        snapshots[locale] = draft
    when = call.now()
    for locale, draft in snapshots.items():
        records = store.entry_publishes.setdefault((content_type_uid, uid, locale), {})
        for environment in environments:
            records[environment] = {
                "environment": store.environment_uid(environment),
                "locale": locale,
                "time": when,
                "user": call.user,
                "version": draft["_version"],
            }
            if environment == kit.environment:
                data = copy.deepcopy(draft)
                data["locale"] = locale
                data["publish_details"] = {
                    "environment": kit.environment,
                    "locale": locale,
                    "time": when,
                    "user": call.user,
                }
                kit._store_entry(content_type_uid, data)


def unpublish_entry(
    call: Call, content_type_uid: str, uid: str, environments: list[str], locales: list[str]
) -> None:
    """Unpublish an entry from every environment and locale given."""
    kit, store = call.kit, call.store
    if content_type_uid not in kit.content_types:
        raise content_type_not_found(content_type_uid)
    if not store.chains(content_type_uid, uid):
        raise entry_not_found()
    for locale in locales:
        records = store.entry_publishes.get((content_type_uid, uid, locale), {})
        for environment in environments:
            records.pop(environment, None)
            published = kit.entries.get(content_type_uid, {})
            if environment == kit.environment and (uid, locale) in published:
                kit.unpublish_entry(content_type_uid, uid, locale)


def entry_action(call: Call, action: str, content_type_uid: str, uid: str) -> JSON:
    """``POST .../entries/{uid}/publish`` and ``.../unpublish``."""
    body = call.json()
    details = wrapped(body, "entry", "Publish", "request")
    _refuse_schedule(body, details)
    source_locale = call.locale(body.get("locale"))
    environments, locales = targets(call, details, source_locale)
    if action == "publish":
        version = _version(body.get("version"))
        publish_entry(call, content_type_uid, uid, environments, locales, source_locale, version)
    else:
        unpublish_entry(call, content_type_uid, uid, environments, locales)
    return {"notice": "The requested action has been performed."}


# -- assets -----------------------------------------------------------------------------------


def publish_asset(
    call: Call, uid: str, environments: list[str], locales: list[str], version: int | None
) -> None:
    """Publish an asset (a numbered version, or the newest) to environments and locales."""
    kit, store = call.kit, call.store
    draft = store.asset(uid, version)
    if draft is None:
        raise asset_not_found()
    when = call.now()
    records = store.asset_publishes.setdefault(uid, {})
    for environment in environments:
        for locale in locales:
            records[(environment, locale)] = {
                "environment": store.environment_uid(environment),
                "locale": locale,
                "time": when,
                "user": call.user,
                "version": draft["_version"],
            }
    if kit.environment in environments:
        # Delivered assets are not per locale; the master locale stands for all when given.
        locale = kit.master_locale if kit.master_locale in locales else locales[0]
        data = copy.deepcopy(draft)
        data["publish_details"] = {
            "environment": kit.environment,
            "locale": locale,
            "time": when,
            "user": call.user,
        }
        kit._store_asset(data)


def unpublish_asset(call: Call, uid: str, environments: list[str], locales: list[str]) -> None:
    """Unpublish an asset; it leaves delivery once no locale of the kit's environment has it."""
    kit, store = call.kit, call.store
    if store.asset(uid) is None:
        raise asset_not_found()
    records = store.asset_publishes.get(uid, {})
    for environment in environments:
        for locale in locales:
            records.pop((environment, locale), None)
    still_delivered = any(env == kit.environment for env, _ in records)
    if not still_delivered and uid in kit.assets:
        kit.unpublish_asset(uid)


def asset_action(call: Call, action: str, uid: str) -> JSON:
    """``POST /v3/assets/{uid}/publish`` and ``.../unpublish``."""
    body = call.json()
    details = wrapped(body, "asset", "Publish", "request")
    _refuse_schedule(body, details)
    environments, locales = targets(call, details, call.locale(body.get("locale")))
    if action == "publish":
        publish_asset(call, uid, environments, locales, _version(body.get("version")))
        return {"notice": "Asset sent for publishing."}
    unpublish_asset(call, uid, environments, locales)
    return {"notice": "Asset sent for unpublishing."}


# -- bulk -------------------------------------------------------------------------------------


def bulk(call: Call, action: str) -> JSON:
    """``POST /v3/bulk/publish`` and ``/v3/bulk/unpublish``.

    The work is done before the answer, so delivery sees it at once; the job only reports.
    An item that fails (unknown entry or asset) is reported as failed in the job rather than
    failing the request, as the real job does.
    """
    body = call.json()
    _refuse_schedule(body)
    environments, locales = targets(call, body, call.kit.master_locale)
    entries, assets = body.get("entries", []), body.get("assets", [])
    if not isinstance(entries, list) or not isinstance(assets, list) or not (entries or assets):
        raise validation_failed(
            "Bulk", action, {"entries": ["or assets must list at least one item."]}
        )
    if any(not isinstance(a, dict) or not a.get("uid") for a in assets):
        # Research: an empty asset uid is answered with 412; the message is guessed.
        raise KitError(412, 412, "Asset uid is required.", {"assets": ["uid is required."]})
    items: list[JSON] = []
    for item in entries:
        record: JSON = {"type": "entry", **(item if isinstance(item, dict) else {})}
        try:
            if not isinstance(item, dict):
                raise validation_failed("Bulk", action, {"entries": ["must be objects."]})
            ct, uid = str(item.get("content_type", "")), str(item.get("uid", ""))
            source = call.locale(item.get("locale"))
            if action == "publish":
                version = _version(item.get("version"))
                publish_entry(call, ct, uid, environments, locales, source, version)
            else:
                unpublish_entry(call, ct, uid, environments, locales)
            record["status"] = "success"
        except KitError as exc:
            record.update(status="failed", error=exc.body)
        items.append(record)
    for asset in assets:
        record = {"type": "asset", "uid": asset["uid"]}
        try:
            if action == "publish":
                publish_asset(call, str(asset["uid"]), environments, locales, None)
            else:
                unpublish_asset(call, str(asset["uid"]), environments, locales)
            record["status"] = "success"
        except KitError as exc:
            record.update(status="failed", error=exc.body)
        items.append(record)
    job_id = new_uid()
    when = call.now()
    failed = sum(1 for i in items if i["status"] == "failed")
    call.store.jobs[job_id] = {
        "polls": 0,
        "job": {
            "uid": job_id,
            "action": action,
            "api_key": call.kit.api_key,
            "environments": environments,
            "locales": locales,
            "created_by": call.user,
            "created_at": when,
            "updated_at": when,
            "summary": {"total": len(items), "success": len(items) - failed, "failed": failed},
            "items": items,
        },
    }
    return {
        "notice": f"Your bulk {action} request is in progress. "
        "Please check publish queue for more details.",
        "job_id": job_id,
    }


def job_status(call: Call, job_id: str) -> JSON:
    """``GET /v3/bulk/jobs/{job_id}``.

    The first poll reports ``in_progress`` and every later one ``completed`` (a client's
    polling loop runs at least twice); the work itself was done when the job was created.
    The status names and the fields beside ``status`` are the kit's (guessed).
    """
    job = call.store.jobs.get(job_id)
    if job is None:
        raise not_found("Job", "job_id")
    job["polls"] += 1
    status = "in_progress" if job["polls"] == 1 else "completed"
    return {"job": {**copy.deepcopy(job["job"]), "status": status}}
