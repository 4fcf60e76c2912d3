"""Every recorded CDA response parses into the generated models and round-trips.

Normalisation stated: date-times are compared as instants, because the models parse them
into ``datetime`` and render them back as ``+00:00`` where the API wrote ``Z``
(``2020-04-10T05:46:06.731Z`` -> ``2020-04-10T05:46:06.731000+00:00``). Nothing else is
normalised.
"""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

import pytest

from contentstack_client._generated.cda import models
from contentstack_client._generated.cda.types import Unset

from .conftest import load_payload, payloads_dir

MODEL_OF: dict[str, type[Any]] = {
    "cda_asset_single.json": models.AssetResponse,
    "cda_asset_single_include_dimension.json": models.AssetResponse,
    "cda_assets_list.json": models.AssetsResponse,
    "cda_assets_list_include_count.json": models.AssetsResponse,
    "cda_content_type_include_global_field_schema.json": models.ContentTypeResponse,
    "cda_content_type_single.json": models.ContentTypeResponse,
    "cda_content_types_list_include_count.json": models.ContentTypesResponse,
    "cda_entries_list.json": models.EntriesResponse,
    "cda_entries_list_include_count.json": models.EntriesResponse,
    "cda_entries_only_projection.json": models.EntriesResponse,
    "cda_entry_include_content_type.json": models.EntryResponse,
    "cda_entry_include_fallback.json": models.EntryResponse,
    "cda_entry_include_references.json": models.EntryResponse,
    "cda_entry_single.json": models.EntryResponse,
    "cda_error_404_asset_not_found.json": models.Error,
    "cda_error_422_content_type_not_found.json": models.Error,
    "cda_error_422_entry_not_found.json": models.Error,
    "cda_global_field_single.json": models.GlobalFieldResponse,
    "cda_global_fields_list_include_branch.json": models.GlobalFieldsResponse,
    "cda_sync_initial_type_asset_published.json": models.SyncResponse,
    "cda_sync_initial_with_pagination_token.json": models.SyncResponse,
    "cda_sync_last_page_with_sync_token.json": models.SyncResponse,
    "cda_sync_mixed_event_types.json": models.SyncResponse,
    "cda_sync_subsequent_no_changes.json": models.SyncResponse,
}
# Recorded response headers, not bodies; test_error_carries_recorded_request_id uses them.
HEADER_RECORDINGS = {"cda_response_headers_2020.json", "cda_response_headers_2025.json"}

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def normalise(value: Any) -> Any:
    """Date-time strings become aware datetimes; everything else is kept as it is."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and _ISO.match(value):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def test_every_cda_payload_is_covered() -> None:
    present = {p.name for p in payloads_dir().glob("cda_*.json")}
    assert present == set(MODEL_OF) | HEADER_RECORDINGS


@pytest.mark.parametrize("name", sorted(MODEL_OF))
def test_payload_parses_and_round_trips(name: str) -> None:
    data = load_payload(name)
    parsed = MODEL_OF[name].from_dict(copy.deepcopy(data))
    assert isinstance(parsed, MODEL_OF[name])
    assert normalise(parsed.to_dict()) == normalise(data)


def _fields(schema: list[Any]) -> list[Any]:
    found: list[Any] = []
    for field in schema:
        found.append(field)
        nested = getattr(field, "schema", None)
        if isinstance(nested, list):
            found.extend(_fields(nested))
        for block in getattr(field, "blocks", None) or []:
            if isinstance(block.schema, list):
                found.extend(_fields(block.schema))
    return found


VARIANT_OF = {
    "text": models.TextField,
    "number": models.NumberField,
    "boolean": models.BooleanField,
    "isodate": models.IsodateField,
    "file": models.FileField,
    "link": models.LinkField,
    "reference": models.ReferenceField,
    "group": models.GroupField,
    "blocks": models.BlocksField,
    "global_field": models.GlobalFieldField,
    "json": models.JsonField,
    "taxonomy": models.TaxonomyField,
}


@pytest.mark.parametrize(
    "name",
    [
        "cda_content_types_list_include_count.json",
        "cda_content_type_include_global_field_schema.json",
        "cda_global_fields_list_include_branch.json",
    ],
)
def test_field_definitions_select_the_variant_of_their_data_type(name: str) -> None:
    body = MODEL_OF[name].from_dict(load_payload(name))
    items = getattr(body, "content_types", None) or getattr(body, "global_fields", None)
    if items is None:
        items = [body.content_type]
    fields = [f for item in items for f in _fields(item.schema)]
    assert fields
    for field in fields:
        assert type(field) is VARIANT_OF[field.data_type], (field.uid, field.data_type)


def test_a_field_type_added_tomorrow_still_parses() -> None:
    future = {
        "uid": "ct",
        "title": "CT",
        "schema": [
            {"uid": "title", "data_type": "text", "display_name": "Title"},
            {"uid": "geo", "data_type": "geo_point", "display_name": "Where", "precision": 6},
        ],
    }
    content_type = models.ContentType.from_dict(copy.deepcopy(future))
    assert isinstance(content_type.schema, list)
    title, geo = content_type.schema
    assert isinstance(title, models.TextField)
    assert isinstance(geo, models.UnknownField)
    assert geo.data_type == "geo_point"
    assert geo["precision"] == 6
    assert content_type.to_dict() == future


def test_custom_entry_fields_stay_reachable() -> None:
    entry = models.EntryResponse.from_dict(load_payload("cda_entry_single.json")).entry
    assert entry.uid == "session_uid_1"
    assert entry.field_version == 4
    assert isinstance(entry.publish_details, models.PublishDetails)
    assert entry["session_id"] == 2695
    assert entry["track"] == [{"uid": "track_uid_2", "_content_type_uid": "track"}]


def test_sync_items_keep_every_event_type() -> None:
    body = models.SyncResponse.from_dict(load_payload("cda_sync_mixed_event_types.json"))
    assert [item.type_ for item in body.items] == [
        "entry_published",
        "asset_published",
        "content_type_deleted",
        "entry_deleted",
        "asset_deleted",
        "entry_unpublished",
        "asset_unpublished",
    ]
    assert body.sync_token == "mixed-token"
    assert isinstance(body.pagination_token, Unset)
