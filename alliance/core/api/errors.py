"""One error format for the whole API: ``{"errors": {field: [messages]}}``.

Errors that concern no single field use the key ``detail``; validation errors of
the body as a whole use ``non_field_errors``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(data, prefix="") -> dict[str, list[str]]:
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
        return out
    if isinstance(data, list):
        if all(not isinstance(item, dict | list) for item in data):
            return {prefix or "non_field_errors": [str(item) for item in data]}
        out = {}
        for index, item in enumerate(data):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "detail": [str(data)]}


def exception_handler(exc, context):
    # Services validate with Django's ValidationError; callers get a 400 for it.
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _flatten(response.data)}
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request, exception):
    """Django's 404 for pages; the API's error format for URLs under /api/ that
    match no route (e.g. a malformed id), so API callers always get JSON."""
    if _is_api(request):
        return JsonResponse(
            {"errors": {"detail": [str(NotFound.default_detail)]}}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500 page; the API's error format under /api/."""
    if _is_api(request):
        return JsonResponse(
            {"errors": {"detail": [str(APIException.default_detail)]}}, status=500
        )
    return defaults.server_error(request)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
    "required": ["errors"],
}
ERROR_DESCRIPTIONS = {
    "400": "The request body or parameters are invalid; see errors per field.",
    "401": "Authentication is missing or invalid.",
    "403": "You may not do this.",
    "404": "Not found (or not visible to you).",
    "405": "Method not allowed.",
    "415": "Unsupported media type; send JSON.",
    "429": "Too many requests; slow down.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: describe the error format on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_DESCRIPTIONS.items():
                if status == "415" and method in ("get", "delete"):
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result
