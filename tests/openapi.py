"""Check an API response against what the project's own OpenAPI schema documents for it."""

import jsonschema

_cache: dict = {}


def _openapi(client) -> dict:
    if "schema" not in _cache:
        _cache["schema"] = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return _cache["schema"]


def _to_json_schema(node, components):
    """Inline ``$ref``s and turn OpenAPI 3.0's ``nullable`` into JSON Schema."""
    if isinstance(node, list):
        return [_to_json_schema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _to_json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {k: _to_json_schema(v, components) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def assert_matches_schema(client, response, path: str, method: str = "get") -> None:
    """``path`` is the schema's template (``/api/v1/voters/{id}/history/``)."""
    schema = _openapi(client)
    documented = schema["paths"][path][method]["responses"][str(response.status_code)]
    body_schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), _to_json_schema(body_schema, schema["components"]["schemas"]))
