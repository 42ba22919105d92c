"""The error answers of the JSON API in its OpenAPI schema (a drf-spectacular postprocessing hook):
every operation documents 400, 401, 403, 429 and, where a path names a row, 404, with the bodies
DRF sends, so clients (and schemathesis) know every answer they can get."""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# {"field": ["message", …]} (or "non_field_errors", or "detail" for a body that is not JSON).
INVALID = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}, {"type": "object"}]
    },
    "example": {"page_size": ["Ask for between 1 and 200 rows per page."]},
}

ERRORS = {
    "400": ("ApiInvalid", "The request (a field, a filter or ?page=) is not valid: a message per name."),
    "401": ("ApiDetail", "No API key, or a revoked or wrong one."),
    "403": ("ApiDetail", "The key's role may not do this (board members read only)."),
    "404": ("ApiDetail", "No such row in the key's organisation."),
    "429": ("ApiDetail", "Too many requests or failed keys: wait the Retry-After seconds."),
}


NO_NUL = "^[^\\u0000]*$"  # a NUL is refused everywhere (integration_hub.inputs): say so


def _no_nul(schema) -> None:
    if isinstance(schema, dict):
        if schema.get("type") == "string" and not ({"enum", "format", "pattern"} & set(schema)):
            schema["pattern"] = NO_NUL
        for value in schema.values():
            _no_nul(value)
    elif isinstance(schema, list):
        for value in schema:
            _no_nul(value)


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ApiDetail"], schemas["ApiInvalid"] = DETAIL, INVALID
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (schema, description) in ERRORS.items():
                if code == "404" and "{" not in path:
                    continue
                if code == "401" and not operation.get("security", result.get("security", [{}])):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                _no_nul(parameter.get("schema"))
    for name, component in list(schemas.items()):
        if name not in ("ApiDetail", "ApiInvalid"):
            _no_nul(component)
    return result
