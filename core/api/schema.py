"""The API's error answers in its OpenAPI schema (drf-spectacular post-processing hook).

Every error has the one shape of ``core.api.exceptions``; drf-spectacular documents only the success
answers, so this hook adds the ``Error`` component and, to each operation that lacks them, the errors it can
give: 400 for a request body or query it checks, 401/403 where a login or a role is required, 404 where the
path names a row, 429 where requests are limited.
"""

ERROR = {
    "type": "object",
    "description": "The one error shape of the API (core.api.exceptions).",
    "properties": {
        "status": {"type": "integer", "example": 400},
        "code": {"type": "string", "example": "invalid"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Only for 400: the messages of each field that is wrong.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "detail"],
}

_DESCRIPTIONS = {
    "400": "The request is invalid (see errors).",
    "401": "Not signed in.",
    "403": "Not allowed for this role.",
    "404": "No such row in the caller's scope.",
    "429": "Too many requests.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = ["429"]
            if method in ("post", "put", "patch") or any(p.get("in") == "query" for p in operation.get("parameters", [])):
                codes.append("400")
            if {} not in operation.get("security", []):  # (an empty requirement: no login needed)
                codes += ["401", "403"]
            if "{" in path:
                codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}})
    return result
