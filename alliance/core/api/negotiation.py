"""Content negotiation: DRF's, answered without parsing for the usual client."""

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers that ask for JSON or anything, as scripts and browsers' fetch()
# send them (none at all reads as "*/*").
_ANY_JSON = frozenset({"*/*", "application/json"})


class JsonFirstNegotiation(DefaultContentNegotiation):
    """DRF's negotiation; a request that names no format and accepts JSON or
    anything gets the first renderer when it is the JSON one (DRF picks the
    same, with the same media type), without parsing the header. Every other
    request (an indent, another type, ``?format=``) is negotiated by DRF."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*").strip()
        if (
            format_suffix is None
            and accept in _ANY_JSON
            and renderers
            and renderers[0].media_type == "application/json"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], "application/json"
        return super().select_renderer(request, renderers, format_suffix)
