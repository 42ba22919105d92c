"""/api/docs/: the API's operations read from the OpenAPI schema (drf-spectacular), as a plain
page of our own. Swagger UI was replaced (issue 18): it had no main landmark or heading until its
script ran, nested interactive controls and method badges at 2:1; this page is server-rendered
HTML with the site's own styles, no script, valid and within the CSP. /api/schema/ stays the
machine-readable truth; the page is made from it once per process."""

from functools import lru_cache

from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe_type(schema: dict) -> dict:
    """{"text": what a value is, "ref": the named schema it is, if any} for one schema object."""
    if "$ref" in schema:
        return {"text": _ref_name(schema["$ref"]), "ref": _ref_name(schema["$ref"])}
    for key in ("allOf", "oneOf", "anyOf"):
        if schema.get(key):
            named = [describe_type(part) for part in schema[key]]
            return {"text": " | ".join(part["text"] for part in named), "ref": named[0]["ref"]}
    if schema.get("type") == "array":
        inner = describe_type(schema.get("items", {}))
        return {"text": f"array of {inner['text']}", "ref": inner["ref"]}
    text = schema.get("type", "any")
    if schema.get("format"):
        text += f" ({schema['format']})"
    if schema.get("enum"):
        text += ": " + ", ".join(str(value) for value in schema["enum"] if value not in ("", None))
    return {"text": text, "ref": None}


def _body(content: dict) -> dict | None:
    if not content:
        return None
    first = next(iter(content.values()))
    return {"media_types": list(content), **describe_type(first.get("schema", {}))}


def _operation(path: str, method: str, operation: dict, shared_parameters: list) -> dict:
    parameters = [
        {
            "name": parameter["name"],
            "where": parameter["in"],
            "required": parameter.get("required", False),
            "type": describe_type(parameter.get("schema", {})),
            "description": parameter.get("description", ""),
        }
        for parameter in [*shared_parameters, *operation.get("parameters", [])]
    ]
    request = operation.get("requestBody") or {}
    return {
        "id": operation.get("operationId") or f"{method}-{path}",
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": parameters,
        "request": _body(request.get("content", {})),
        "request_required": request.get("required", False),
        "responses": [
            {"code": code, "description": response.get("description", ""), "body": _body(response.get("content", {}))}
            for code, response in sorted(operation.get("responses", {}).items())
        ],
        "secured": bool(operation.get("security")),
    }


def _schemas(components: dict) -> list[dict]:
    schemas = []
    for name, schema in sorted(components.get("schemas", {}).items()):
        required = set(schema.get("required", ()))
        fields = [
            {
                "name": field_name,
                "type": describe_type(field),
                "required": field_name in required,
                "read_only": field.get("readOnly", False),
                "description": field.get("description", ""),
            }
            for field_name, field in schema.get("properties", {}).items()
        ]
        schemas.append(
            {"name": name, "description": schema.get("description", ""), "fields": fields, **describe_type(schema)}
        )
    return schemas


@lru_cache(maxsize=1)
def api_reference() -> dict:
    """The schema as the page shows it: info, operations grouped by tag, and the named schemas."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    tags: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["api"])[0]
                tags.setdefault(tag, []).append(_operation(path, method, operation, item.get("parameters", [])))
    components = schema.get("components", {})
    return {
        "info": schema.get("info", {}),
        "tags": sorted(tags.items()),
        "schemas": _schemas(components),
        "security": [
            {"name": name, **scheme} for name, scheme in sorted(components.get("securitySchemes", {}).items())
        ],
    }


class ApiDocsView(TemplateView):
    template_name = "integration_hub/api_docs.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "api": api_reference()}
