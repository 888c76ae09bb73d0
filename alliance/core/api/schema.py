"""``/api/schema/``, built once per process and language, then served from memory.

Generating the OpenAPI document walks every view and serializer (0.3–1.8 s of CPU)
and rendering it as YAML costs as much again; the schema depends only on the code
and the language (it is public: ``SERVE_PUBLIC``), so each web process builds it
at most once per language and media type, after a deploy, under a lock so that
concurrent first requests wait for one build instead of each starting their own.
"""

import threading

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView

# The generated document per language, and its rendering per language and
# media type (YAML or JSON).
_generated: dict[str, tuple[dict, str]] = {}
_built: dict[tuple[str, str], tuple[bytes, str, str]] = {}
_lock = threading.Lock()


def schema_cache_clear() -> None:
    """Forget the built schemas (tests that change the API's code)."""
    with _lock:
        _generated.clear()
        _built.clear()


class CachedSchemaView(SpectacularAPIView):
    @extend_schema(**SCHEMA_KWARGS)  # as the view it extends: not in the schema
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang") or translation.get_language()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        # Only the renderers' own media types are keys: a bounded set.
        key = (language, request.accepted_renderer.media_type)
        built = _built.get(key)
        if built is None:
            with _lock:
                built = _built.get(key)
                if built is None:
                    built = _built[key] = self._build(request, language)
        body, content_type, disposition = built
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = disposition
        return response

    def _build(self, request, language) -> tuple[bytes, str, str]:
        with translation.override(language):
            if language not in _generated:
                response = self._get_schema_response(request)
                # The file name's suffix follows the format; keep its title.
                title = response["Content-Disposition"].rsplit(".", 1)[0]
                _generated[language] = (response.data, title)
            data, title = _generated[language]
            renderer = request.accepted_renderer
            body = renderer.render(
                data, request.accepted_media_type, self.get_renderer_context()
            )
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        return body, content_type, f'{title}.{renderer.format}"'
