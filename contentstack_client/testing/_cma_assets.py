"""Assets on the management side: multipart upload and replace, fetch, list, update, delete.

Only what an asset record holds is kept from an upload (filename, size, content type); the
file's bytes are dropped once the body is parsed, so large uploads cost no lasting memory.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from ._cma_auth import new_uid
from ._cma_call import Call, wrapped
from ._cma_multipart import Part, parse
from ._errors import asset_not_found, bad_content_type, validation_failed
from ._routes import JSON

_FIELD_PREFIX = "asset["


def _form(call: Call, resource: str, action: str) -> tuple[Part | None, dict[str, list[str]]]:
    """The uploaded file (if any) and the text fields, keyed without the ``asset[...]``."""
    content_type = call.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise bad_content_type()
    upload: Part | None = None
    fields: dict[str, list[str]] = {}
    for part in parse(call.body, content_type):
        if not part.name.startswith(_FIELD_PREFIX) or not part.name.endswith("]"):
            raise validation_failed(resource, action, {part.name: ["is not an asset field."]})
        # ``asset[tags][]`` (repeated, array style) means the same as ``asset[tags]``.
        key = part.name[len(_FIELD_PREFIX) : -1].removesuffix("][")
        if key == "upload":
            if part.filename is None:
                raise validation_failed(resource, action, {"upload": ["must be a file."]})
            upload = part
        else:
            fields.setdefault(key, []).append(part.text)
    return upload, fields


def _tags(values: list[str]) -> list[str]:
    # Sent either as one comma separated field or as repeated fields.
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def _file_fields(call: Call, uid: str, upload: Part) -> JSON:
    filename = upload.filename or "upload"
    mime = upload.content_type or "application/octet-stream"
    host = "images.contentstack.io" if mime.startswith("image/") else "assets.contentstack.io"
    return {
        "content_type": mime,
        "file_size": str(len(upload.data)),
        "filename": filename,
        # Contentstack's URL shape; the middle segment changes with every upload.
        "url": f"https://{host}/v3/assets/{call.kit.api_key}/{uid}/{secrets.token_hex(12)}/"
        + quote(filename),
    }


def _apply_text(asset: JSON, fields: dict[str, list[str]]) -> None:
    for key in ("title", "description", "parent_uid"):
        if key in fields:
            asset[key] = fields[key][-1]
    if "tags" in fields:
        asset["tags"] = _tags(fields["tags"])


def upload(call: Call) -> JSON:
    """``POST /v3/assets`` (multipart): a new asset, version 1."""
    file, fields = _form(call, "Asset", "creation")
    if file is None:
        raise validation_failed("Asset", "creation", {"upload": ["is required."]})
    uid = new_uid()
    when = call.now()
    asset: JSON = {
        "uid": uid,
        "created_at": when,
        "updated_at": when,
        "created_by": call.user,
        "updated_by": call.user,
        **_file_fields(call, uid, file),
        "tags": [],
        "ACL": {},
        "is_dir": False,
        "parent_uid": None,
        "_version": 1,
    }
    asset["title"] = asset["filename"]
    _apply_text(asset, fields)
    call.store.assets[uid] = [asset]
    return {"notice": "Asset created successfully.", "asset": call.store.asset_view(asset)}


def update(call: Call, uid: str) -> JSON:
    """``PUT /v3/assets/{uid}``: replace the file (multipart) or update title, description, tags."""
    current = call.store.asset(uid)
    if current is None:
        raise asset_not_found()
    asset = dict(current)
    if call.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        file, fields = _form(call, "Asset", "update")
        if file is not None:
            asset.update(_file_fields(call, uid, file))
        _apply_text(asset, fields)
    else:
        given = wrapped(call.json(), "asset", "Asset", "update")
        for key in ("title", "description", "parent_uid"):
            if key in given:
                asset[key] = given[key]
        if "tags" in given:
            tags = given["tags"]
            asset["tags"] = _tags([tags] if isinstance(tags, str) else [str(t) for t in tags])
    asset.update(updated_at=call.now(), updated_by=call.user, _version=current["_version"] + 1)
    call.store.assets[uid].append(asset)
    return {"notice": "Asset updated successfully.", "asset": call.store.asset_view(asset)}


def fetch(call: Call, uid: str) -> JSON:
    """``GET /v3/assets/{uid}`` (``version`` picks an older one)."""
    found = call.store.asset(uid, call.int_param("asset", "version"))
    if found is None:
        raise asset_not_found()
    return {"asset": call.store.asset_view(found)}


def find(call: Call) -> JSON:
    """``GET /v3/assets``: newest first, with ``query``, ``skip``, ``limit``, ``include_count``."""
    items = [call.store.asset_view(v[-1]) for v in call.store.assets.values()]
    return call.select("assets", items, "updated_at")


def delete(call: Call, uid: str) -> JSON:
    """``DELETE /v3/assets/{uid}``: gone from management and, if published, from delivery."""
    if call.store.asset(uid) is None:
        raise asset_not_found()
    if uid in call.kit.assets:
        call.kit.delete_asset(uid)
    call.store.forget_asset(uid, deleted=True)
    return {"notice": "Asset deleted successfully."}
