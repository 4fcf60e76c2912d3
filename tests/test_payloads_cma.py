"""Every ``cma_*.json`` example payload parses into the generated CMA models and round-trips.

The payload -> model table was written by the spec authors (``cma-parts/*.payloads.json`` for
stacks, org_user, content, assets_settings, taxonomy_roles, workflows_releases) and is merged
here by hand, so the test depends on nothing outside the checkout and the payloads folder.

Normalisation stated: date-times are compared as instants (``normalise`` from the CDA payload
test), because the models parse them into ``datetime`` and render ``Z`` back as ``+00:00``.
Nothing else is normalised.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

import pytest

from contentstack_client._generated.cma import models
from contentstack_client._generated.cma.types import Unset

from .conftest import load_payload, payloads_dir
from .test_payloads import normalise


class _Model(Protocol):
    @classmethod
    def from_dict(cls: type[Any], src_dict: Mapping[str, Any]) -> Any: ...

    def to_dict(self) -> dict[str, Any]: ...


T = TypeVar("T")
M = TypeVar("M", bound=_Model)

MODEL_OF: dict[str, type[Any]] = {
    # stacks
    "cma_stacks_list_response.json": models.StacksResponse,
    "cma_branches_list_response.json": models.BranchesResponse,
    "cma_aliases_list_response.json": models.BranchAliasesResponse,
    "cma_delivery_token_create_request.json": models.DeliveryTokenCreateRequest,
    "cma_delivery_tokens_list_response.json": models.DeliveryTokensResponse,
    "cma_management_tokens_list_response.json": models.ManagementTokensResponse,
    # org_user
    "cma_login_response.json": models.UserSessionResponse,
    "cma_logout_response.json": models.Notice,
    "cma_user_get_response.json": models.UserResponse,
    "cma_forgot_password_response.json": models.Notice,
    "cma_organizations_list_response.json": models.OrganizationsResponse,
    "cma_user_assignments_tasks_response.json": models.UserAssignmentsResponse,
    "cma_error_422_2fa_required.json": models.Error,
    "cma_error_422_invalid_2fa_token.json": models.Error,
    "cma_error_422_invalid_credentials.json": models.Error,
    # Not in any cma-parts table; error bodies are the shared ``Error`` model.
    "cma_error_400_invalid_content_type.json": models.Error,
    "cma_error_401_environment_or_permission.json": models.Error,
    "cma_error_422_with_field_errors.json": models.Error,
    # content
    "cma_content_type_all_field_types_request.json": models.ContentTypeRequest,
    "cma_content_type_complex_request.json": models.ContentTypeDefinition,
    "cma_content_type_create_embedded_rte_request.json": models.ContentTypeRequest,
    "cma_content_type_create_extension_field_request.json": models.ContentTypeRequest,
    "cma_content_type_create_json_rte_request.json": models.ContentTypeRequest,
    "cma_content_type_create_select_field_request.json": models.ContentTypeRequest,
    "cma_content_type_fetch_response.json": models.ContentTypeResponse,
    "cma_content_type_medium_request.json": models.ContentTypeDefinition,
    "cma_content_types_list_response.json": models.ContentTypesResponse,
    "cma_global_field_all_field_types_request.json": models.GlobalFieldRequest,
    "cma_global_field_create_request.json": models.GlobalFieldRequest,
    "cma_global_field_nested_request.json": models.GlobalFieldDefinition,
    "cma_entry_atomic_push_request.json": models.EntryRequest,
    "cma_entry_create_json_rte_request.json": models.EntryRequest,
    "cma_entry_publish_request.json": models.EntryPublishRequest,
    # assets_settings
    "cma_asset_folder_response.json": models.AssetsResponse,
    "cma_asset_versions_response.json": models.AssetVersionsResponse,
    "cma_audit_logs_list_response.json": models.AuditLogsResponse,
    "cma_environments_list_response.json": models.EnvironmentsResponse,
    "cma_extensions_list_response.json": models.ExtensionsResponse,
    "cma_labels_list_response.json": models.LabelsResponse,
    "cma_locales_list_response.json": models.LocalesResponse,
    "cma_metadata_list_response.json": models.MetadataListResponse,
    "cma_publish_queue_list_response.json": models.PublishQueueResponse,
    # taxonomy_roles
    "cma_role_create_request.json": models.RoleCreateRequest,
    "cma_roles_list_response.json": models.RolesResponse,
    # workflows_releases
    "cma_bulk_publish_request.json": models.BulkPublishRequest,
    "cma_release_deploy_request.json": models.ReleaseDeployRequest,
    "cma_releases_list_response.json": models.ReleasesResponse,
    "cma_webhook_create_request.json": models.WebhookCreateRequest,
    "cma_webhook_executions_response.json": models.WebhookExecutionsResponse,
    "cma_webhooks_list_response.json": models.WebhooksResponse,
    "cma_workflow_create_request.json": models.WorkflowCreateRequest,
    "cma_workflows_list_response.json": models.WorkflowsResponse,
    "cma_publish_rules_list_response.json": models.PublishRulesResponse,
}

# These SDK fixtures record a whole HTTP response as ``{status, headers, body}`` (the .NET
# SDK's mock response files); only ``body`` is what the API sends, so only ``body`` is parsed.
ENVELOPED = {
    "cma_logout_response.json",
    "cma_forgot_password_response.json",
    "cma_error_422_invalid_credentials.json",
    "cma_error_400_invalid_content_type.json",
    "cma_error_422_with_field_errors.json",
}

# A bare list of schema fields (not a body); each item is a field definition, parsed through
# the content-type field union so that the chosen variant is the one under test.
FIELD_LIST = "cma_content_type_schema_text_variants.json"

REQUESTS = sorted(name for name in MODEL_OF if name.endswith("_request.json"))


def _body(name: str) -> Any:
    data = load_payload(name)
    if name in ENVELOPED:
        assert set(data) == {"status", "headers", "body"}, name
        return data["body"]
    return data


def _parse(name: str) -> Any:
    return MODEL_OF[name].from_dict(copy.deepcopy(_body(name)))


def _typed(cls: type[M], name: str) -> M:
    """Parse with the model named statically, so mypy checks the facts asserted below."""
    assert MODEL_OF[name] is cls
    parsed = cls.from_dict(copy.deepcopy(_body(name)))
    assert isinstance(parsed, cls)
    return parsed


def _set(value: T | Unset) -> T:
    assert not isinstance(value, Unset)
    return value


def test_every_cma_payload_is_covered() -> None:
    present = {p.name for p in payloads_dir().glob("cma_*.json")}
    assert present == set(MODEL_OF) | {FIELD_LIST}
    assert set(MODEL_OF) >= ENVELOPED


def test_enveloped_files_are_exactly_the_recorded_http_responses() -> None:
    for path in payloads_dir().glob("cma_*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        wrapped = isinstance(data, dict) and set(data) == {"status", "headers", "body"}
        assert wrapped == (path.name in ENVELOPED), path.name


@pytest.mark.parametrize("name", sorted(MODEL_OF))
def test_payload_parses_and_round_trips(name: str) -> None:
    data = _body(name)
    parsed = MODEL_OF[name].from_dict(copy.deepcopy(data))
    assert isinstance(parsed, MODEL_OF[name])
    assert normalise(parsed.to_dict()) == normalise(data)


@pytest.mark.parametrize("name", REQUESTS)
def test_request_body_builds_and_serialises_as_sent(name: str) -> None:
    data = load_payload(name)
    built = MODEL_OF[name].from_dict(copy.deepcopy(data))
    # What the client sends is ``json.dumps(model.to_dict())``: it must be plain JSON.
    sent = json.loads(json.dumps(built.to_dict()))
    assert normalise(sent) == normalise(data)
    assert type(MODEL_OF[name].from_dict(copy.deepcopy(sent))) is MODEL_OF[name]


# ---------------------------------------------------------------------------- field variants

VARIANT_OF: dict[str, type[Any]] = {
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


def _fields(schema: Any) -> list[Any]:
    found: list[Any] = []
    for field in schema if isinstance(schema, list) else []:
        found.append(field)
        found.extend(_fields(getattr(field, "schema", None)))
        blocks = getattr(field, "blocks", None)
        for block in blocks if isinstance(blocks, list) else []:
            found.extend(_fields(getattr(block, "schema", None)))
    return found


def _definitions(body: Any) -> list[Any]:
    for many in ("content_types", "global_fields"):
        items = getattr(body, many, None)
        if isinstance(items, list):
            return items
    for one in ("content_type", "global_field"):
        item = getattr(body, one, None)
        if item is not None and not isinstance(item, Unset):
            return [item]
    return [body]


SCHEMA_PAYLOADS = [
    "cma_content_type_all_field_types_request.json",
    "cma_content_type_complex_request.json",
    "cma_content_type_create_embedded_rte_request.json",
    "cma_content_type_create_extension_field_request.json",
    "cma_content_type_create_json_rte_request.json",
    "cma_content_type_create_select_field_request.json",
    "cma_content_type_fetch_response.json",
    "cma_content_type_medium_request.json",
    "cma_content_types_list_response.json",
    "cma_global_field_all_field_types_request.json",
    "cma_global_field_create_request.json",
    "cma_global_field_nested_request.json",
]


@pytest.mark.parametrize("name", SCHEMA_PAYLOADS)
def test_field_definitions_select_the_variant_of_their_data_type(name: str) -> None:
    fields = [f for item in _definitions(_parse(name)) for f in _fields(item.schema)]
    assert fields
    for field in fields:
        assert type(field) is VARIANT_OF[field.data_type], (name, field.uid, field.data_type)


def test_all_field_types_request_covers_every_variant() -> None:
    body = _typed(models.ContentTypeRequest, "cma_content_type_all_field_types_request.json")
    seen = {type(f) for f in _fields(body.content_type.schema)}
    assert seen == set(VARIANT_OF.values())


def test_text_variants_each_land_in_text_field() -> None:
    items = load_payload(FIELD_LIST)
    assert isinstance(items, list) and len(items) == 5
    # Parse through the union (a definition's schema), not TextField.from_dict directly.
    holder = models.ContentTypeDefinition.from_dict(
        {"title": "T", "uid": "t", "schema": copy.deepcopy(items)}
    )
    assert isinstance(holder.schema, list)
    for item, field in zip(items, holder.schema, strict=True):
        assert type(field) is models.TextField, item["uid"]
        assert normalise(field.to_dict()) == normalise(item)
    by_uid = {f.uid: f for f in holder.schema}
    assert _set(_set(by_uid["multi_line"].field_metadata).multiline) is True
    assert _set(_set(by_uid["markdown"].field_metadata).markdown) is True
    assert by_uid["title"].unique is True and by_uid["title"].mandatory is True
    # Keys the spec does not name survive as extra properties (and round-trip above).
    assert by_uid["single_line"]["fldUid"] == "single_line"


def test_extension_and_json_rte_fields_keep_their_settings() -> None:
    ext = _typed(models.ContentTypeRequest, "cma_content_type_create_extension_field_request.json")
    custom = [f for f in _fields(ext.content_type.schema) if not isinstance(f.extension_uid, Unset)]
    assert custom and all(isinstance(f, models.JsonField) for f in custom)
    rte = _typed(models.ContentTypeRequest, "cma_content_type_create_json_rte_request.json")
    json_fields = [f for f in _fields(rte.content_type.schema) if isinstance(f, models.JsonField)]
    assert json_fields
    assert _set(_set(json_fields[0].field_metadata).allow_json_rte) is True


# ---------------------------------------------------------------------------- typed facts


def test_login_response_carries_the_authtoken() -> None:
    session = _typed(models.UserSessionResponse, "cma_login_response.json")
    assert isinstance(session, models.UserSessionResponse)
    user = _set(session.user)
    assert isinstance(user, models.User)
    assert _set(user.authtoken) == "the_fake_uid"
    assert _set(session.notice) == "Login Successful."
    assert _set(user.created_at).tzinfo is not None
    assert all(isinstance(role, models.UserRole) for role in _set(user.roles))


def test_user_get_response_is_a_typed_user() -> None:
    user = _set(_typed(models.UserResponse, "cma_user_get_response.json").user)
    assert isinstance(user, models.User)
    assert _set(user.email) == "john.doe@contentstack.com"
    assert _set(user.active) is True


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("cma_error_422_2fa_required.json", 294),
        ("cma_error_422_invalid_2fa_token.json", 295),
        ("cma_error_422_invalid_credentials.json", 104),
        ("cma_error_401_environment_or_permission.json", 161),
        ("cma_error_422_with_field_errors.json", 118),
    ],
)
def test_error_payloads_carry_their_error_code(name: str, code: int) -> None:
    error = _typed(models.Error, name)
    assert isinstance(error, models.Error)
    assert _set(error.error_code) == code
    assert _set(error.error_message)


def test_error_details() -> None:
    assert (
        _set(_typed(models.Error, "cma_error_422_2fa_required.json").tfa_type)
        == "totp_authenticator"
    )
    assert _typed(models.Error, "cma_error_422_with_field_errors.json").errors == {
        "uid": ["is not valid."]
    }
    only_message = _typed(models.Error, "cma_error_400_invalid_content_type.json")
    assert isinstance(only_message.error_code, Unset)
    assert "Content-Type" in _set(only_message.error_message)


@pytest.mark.parametrize("name", ["cma_logout_response.json", "cma_forgot_password_response.json"])
def test_notice_bodies(name: str) -> None:
    notice = _typed(models.Notice, name)
    assert isinstance(notice, models.Notice)
    assert _set(notice.notice)


def test_list_responses_hold_typed_items() -> None:
    stacks = _set(_typed(models.StacksResponse, "cma_stacks_list_response.json").stacks)
    assert stacks and all(isinstance(s, models.Stack) for s in stacks)
    assert stacks[0].api_key == "api_key_1234"
    orgs = _set(
        _typed(models.OrganizationsResponse, "cma_organizations_list_response.json").organizations
    )
    assert orgs and all(isinstance(o, models.Organization) for o in orgs)
    locales = _typed(models.LocalesResponse, "cma_locales_list_response.json").locales
    assert locales and all(isinstance(item, models.Locale) for item in locales)
    assets = _typed(models.AssetsResponse, "cma_asset_folder_response.json").assets
    assert assets and all(isinstance(a, models.Asset) for a in assets)
    workflows = _typed(models.WorkflowsResponse, "cma_workflows_list_response.json").workflows
    assert isinstance(workflows, list) and workflows
    assert all(isinstance(w, models.Workflow) for w in workflows)
    releases = _set(_typed(models.ReleasesResponse, "cma_releases_list_response.json").releases)
    assert releases and all(isinstance(r, models.Release) for r in releases)


def test_request_bodies_hold_typed_parts() -> None:
    publish = _typed(models.EntryPublishRequest, "cma_entry_publish_request.json")
    assert isinstance(publish, models.EntryPublishRequest)
    assert _set(publish.scheduled_at).tzinfo is not None
    assert _set(publish.version) == 1
    bulk = _typed(models.BulkPublishRequest, "cma_bulk_publish_request.json")
    assert bulk.locales == ["en"]
    assert all(isinstance(e, models.BulkEntry) for e in _set(bulk.entries))
    webhook = _typed(models.WebhookCreateRequest, "cma_webhook_create_request.json").webhook
    assert isinstance(webhook, models.WebhookData)
    assert webhook.channels == ["assets.create"]
    # The Postman example sends booleans as strings; the spec allows both.
    assert webhook.disabled == "false"
    deploy = _typed(models.ReleaseDeployRequest, "cma_release_deploy_request.json").release
    assert deploy.environments == ["Production", "UAT"]
    # Not a valid ISO date-time in the source ("13:13:13:122Z"); kept as a plain string.
    assert deploy.scheduled_at == "2018-12-12T13:13:13:122Z"
