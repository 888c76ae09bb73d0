"""One error format for the whole API: ``{"errors": {field: [messages]}}``.

Errors that concern no single field use the key ``detail``; validation errors of
the body as a whole use ``non_field_errors``.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from alliance.core.context_processors import portal

logger = logging.getLogger(__name__)


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


def _too_big_message() -> str:
    return _("The request body is too large (at most %(size)s bytes).") % {
        "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }


def _conflict_message() -> str:
    return _(
        "This conflicts with a change made at the same moment (perhaps the same "
        "request sent twice). Nothing was saved; reload and try again."
    )


def exception_handler(exc, context):
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE surfaces when the view reads it.
    if isinstance(exc, RequestDataTooBig):
        return Response({"errors": {"detail": [_too_big_message()]}}, status=413)
    # A write that lost a race with another (a double submit) and that its service
    # did not turn into a field error: the database refused it, nothing was kept.
    if isinstance(exc, IntegrityError):
        logger.warning("API write refused by a database constraint: %s", exc)
        return Response({"errors": {"detail": [_conflict_message()]}}, status=409)
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


def _api_error(message, status: int) -> JsonResponse:
    return JsonResponse({"errors": {"detail": [str(message)]}}, status=status)


def bad_request(request, exception):
    """Django's 400 page; under /api/ the error format (413 for a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE that Django refused before any view read it)."""
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(_too_big_message(), 413)
        return _api_error(ParseError.default_detail, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """Django's 403 page; the error format under /api/ (e.g. a refused CSRF
    check outside DRF)."""
    if _is_api(request):
        return _api_error(PermissionDenied.default_detail, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """Django's 404 for pages; the API's error format for URLs under /api/ that
    match no route (e.g. a malformed id), so API callers always get JSON."""
    if _is_api(request):
        return _api_error(NotFound.default_detail, 404)
    return defaults.page_not_found(request, exception)


# The database could not be reached, did not answer in time (the timeouts in
# alliance/settings/base.py) or refused for a lock: a 503, try again shortly.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The portal's 500 page, or its 503 page when the database is unavailable;
    the API's error format under /api/. Rendered without the request's context
    processors (they read the session and the person from the database)."""
    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    status = 503 if unavailable else 500
    if _is_api(request):
        detail = (
            _("The service is briefly unavailable; please try again in a minute.")
            if unavailable
            else APIException.default_detail
        )
        response = _api_error(detail, status)
    else:
        try:
            page = loader.get_template(f"{status}.html").render(portal(request))
        except Exception:  # noqa: BLE001 - the error page must not fail in turn
            logger.exception("The %s page could not be rendered", status)
            page = "Service Unavailable (503)" if unavailable else "Server Error (500)"
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
    "409": "The write conflicts with another made at the same moment; retry.",
    "413": "The request body is too large.",
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
                if status in ("409", "413", "415") and method in ("get", "delete"):
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return result
