"""API lists shared by audience (``alliance.core.cache``): a list endpoint that
answers every reader of one audience alike keeps its answer until one of the
namespaces it reads is bumped.

The answer is kept as the bytes sent: the rendered JSON and, for clients that
accept gzip, the same compressed (as ``alliance.core.visitor_pages`` keeps
pages), so a reader's request neither serializes, renders nor compresses it
again. A reader who has something of their own in the list (their status in a
group, their seat at an event) gets the shared answer with it laid over
(``shared_overlay``), rendered for them."""

import json
import time
from dataclasses import dataclass

from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from alliance.core.cache import ProcessCopies, SharedFragment, fragment_key
from alliance.core.compression import deflated, gzip_member


@dataclass(frozen=True)
class SharedAnswer:
    """An audience's answer as kept: its JSON ``body``, the body compressed
    (a raw deflate stream, ``b""`` when compressing gains nothing), and what
    ``shared_page`` kept beside it for the overlay (``context``, never sent)."""

    body: bytes
    deflated: bytes
    content_type: str
    context: object
    stored_at: float

    @classmethod
    def of(cls, body: bytes, content_type: str, context=None) -> "SharedAnswer":
        compressed = b""
        # As GZipMiddleware: not for short answers, nor when it is no shorter.
        if len(body) >= 200:
            compressed = deflated(body)
            if len(compressed) + 18 + GZipMiddleware.max_random_bytes >= len(body):
                compressed = b""
        return cls(body, compressed, content_type, context, time.time())

    @property
    def data(self):
        """The answer's data (a fresh copy, for an overlay to change)."""
        return json.loads(self.body)


# The answers this process read lately (a few hundred of at most ~50 KB each).
_process_answers = ProcessCopies(SharedAnswer, 300)


class SharedAnswerResponse(HttpResponse):
    """A shared answer sent as it was kept; compressed (when the client accepts
    gzip) once DRF has added its headers, so they read as on any answer, and
    GZipMiddleware leaves it alone."""

    def __init__(self, answer: SharedAnswer):
        super().__init__(answer.body, content_type=answer.content_type)
        self.answer = answer

    def encode_for(self, request) -> None:
        if len(self.answer.body) < 200:
            return  # GZipMiddleware adds nothing either
        patch_vary_headers(self, ("Accept-Encoding",))
        if self.answer.deflated and re_accepts_gzip.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            self.content = gzip_member(self.answer.deflated, self.answer.body)
            self.headers["Content-Encoding"] = "gzip"
            self.headers["Content-Length"] = str(len(self.content))


class SharedListMixin:
    """For a DRF viewset: ``list`` answered from the shared cache.

    ``shared_namespaces``: what the list reads. ``shared_audience()``: the
    reader's visibility class ("public", "member", "staff"), computed by the
    app's own predicates, or ``None`` when the answer holds something of the
    reader's own (then nothing is cached). The key holds the scheme and host
    (the answer's links are absolute), the path with its query string, the
    negotiated media type and the language (and time zone: ``shared_local``).

    A per-reader overlay plugs in with two hooks: ``shared_page()`` returns the
    audience's data and a ``context`` kept beside it for the overlay (say, the
    listed events' ids), and ``shared_overlay(answer)`` returns the reader's
    own ``Response`` (read ``answer.data``, a fresh copy, and
    ``answer.context``, shared: read it, never change it), or ``None`` when
    the reader has nothing of their own
    in it: then the kept bytes are sent as they are."""

    shared_namespaces: tuple[str, ...] = ()
    # What the answer holds of the reader's language and time zone (see
    # alliance.core.cache.fragment_key): both, by default.
    shared_local: bool | str = True

    def shared_audience(self) -> str | None:
        return None

    def shared_page(self, request, *args, **kwargs) -> tuple[object, object]:
        """The audience's answer's data, and what the overlay needs beside it."""
        return super().list(request, *args, **kwargs).data, None

    def shared_overlay(self, answer: SharedAnswer) -> Response | None:
        """The reader's own answer, or None: the shared one is theirs as it is."""
        return None

    def list(self, request, *args, **kwargs):
        audience = self.shared_audience()
        renderer = request.accepted_renderer
        if audience is None or not isinstance(renderer, JSONRenderer):
            # Another renderer (a browsable API) renders its own page.
            return super().list(request, *args, **kwargs)

        key = fragment_key(
            self.shared_namespaces,
            audience=audience,
            parts=(
                "api",
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                request.accepted_media_type,
            ),
            local=self.shared_local,
        )
        answer = _process_answers.get(key)
        if answer is None:
            # Errors (a bad filter, a page out of range) raise: never kept.
            data, context = self.shared_page(request, *args, **kwargs)
            body = renderer.render(
                data, request.accepted_media_type, self.get_renderer_context()
            )
            answer = SharedAnswer.of(body, renderer.media_type, context)
            SharedFragment(key).store(answer)
            _process_answers.keep(key, answer)
        response = self.shared_overlay(answer)
        if response is not None:
            return response
        return SharedAnswerResponse(answer)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, SharedAnswerResponse):
            response.encode_for(request)
        return response
