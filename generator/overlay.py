"""Rewrite the hand-maintained spec into the form openapi-python-client handles well.

Each rule answers one finding of research/generator.md section 2.2; the source spec stays
a faithful description of the API, and this module is the only place that bends it for
the generator.
"""

from __future__ import annotations

import copy
from typing import Any

JSON = dict[str, Any]


def _walk(node: Any) -> Any:
    """Yield every mapping in a parsed YAML/JSON tree."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _credential_headers(spec: JSON) -> set[str]:
    schemes = spec.get("components", {}).get("securitySchemes", {})
    return {s["name"].lower() for s in schemes.values() if s.get("type") == "apiKey" and s.get("in") == "header"}


def _parameters(spec: JSON) -> list[JSON]:
    """Every parameter object, shared ones and those declared inline on operations."""
    params: list[JSON] = list(spec.get("components", {}).get("parameters", {}).values())
    for item in spec.get("paths", {}).values():
        for key, operation in item.items():
            if key == "parameters":
                params.extend(operation)
            elif isinstance(operation, dict):
                params.extend(p for p in operation.get("parameters", []) if "$ref" not in p)
    return params


def _json_content_to_string(param: JSON) -> None:
    # The generator silently drops parameters declared with `content` (open PR #1464):
    # a JSON-valued query parameter becomes a plain string the client serialises itself.
    if "content" not in param:
        return
    param.pop("content")
    note = "Serialised as one JSON document."
    description = param.get("description", "").rstrip()
    param["description"] = f"{description}\n{note}".strip() if note not in description else description
    param["schema"] = {"type": "string"}


def _drop_query_default(param: JSON) -> None:
    # A `default` on a query parameter is sent on every call by the generated code, which
    # changes semantics (a master locale other than en-us, say); the API applies its own.
    if param.get("in") == "query" and isinstance(param.get("schema"), dict):
        param["schema"].pop("default", None)


def _const_to_enum(spec: JSON) -> None:
    # `const` in an allOf child cannot be merged with the base property and loses
    # `required`; a single-value enum parses strictly, which is what makes the union
    # variants reject each other (the generator ignores `discriminator`).
    for node in _walk(spec):
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        for prop in props.values():
            if isinstance(prop, dict) and "const" in prop:
                value = prop.pop("const")
                prop["type"] = "string" if isinstance(value, str) else prop.get("type", "string")
                prop["enum"] = [value]


def _remove_credential_header_params(spec: JSON, names: set[str]) -> None:
    # Credentials are set once on the client; as parameters they would become required
    # arguments of every generated function.
    components = spec.get("components", {}).get("parameters", {})
    dropped = {
        f"#/components/parameters/{key}"
        for key, p in components.items()
        if p.get("in") == "header" and p.get("name", "").lower() in names
    }
    for key in [k for k in components if f"#/components/parameters/{k}" in dropped]:
        del components[key]
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            operation["parameters"] = [
                p
                for p in operation["parameters"]
                if p.get("$ref") not in dropped and not (p.get("in") == "header" and p.get("name", "").lower() in names)
            ]


def _remove_operation_security(spec: JSON) -> None:
    # Operation-level `security` makes the generator demand its AuthenticatedClient; the
    # hand-written clients set the auth headers themselves.
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)


def _widen_single_success(spec: JSON) -> None:
    # Where the reference documents one success status with a body (a create's 201, say),
    # the service is not always that exact: an answer of 200 would make the generated code
    # return None and the client report a body that "does not match". The spec keeps the
    # documented code; the generated parser accepts the same body on any 2xx.
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            success = [code for code in responses if str(code).startswith("2")]
            if len(success) == 1 and str(success[0]) in ("200", "201"):
                body = responses[success[0]]
                if "content" in body or "$ref" in body:
                    new = {("2XX" if k == success[0] else k): v for k, v in responses.items()}
                    operation["responses"] = new


def apply(spec: JSON) -> JSON:
    """Return a transformed copy of ``spec``; the input is left untouched."""
    out = copy.deepcopy(spec)
    _remove_credential_header_params(out, _credential_headers(out))
    _remove_operation_security(out)
    for param in _parameters(out):
        _json_content_to_string(param)
        _drop_query_default(param)
    _const_to_enum(out)
    _widen_single_success(out)
    return out
