"""A signed-out visitor's whole page from the shared cache.

The public pages (home, focus areas, member directory, catalog, events) are the
same for every visitor who reads them in the same language and time zone on the
same day. ``VisitorPageMiddleware`` (early in ``MIDDLEWARE``, right after the
liveness probe) answers such a request from one entry of the shared cache
(``alliance.core.cache.shared_fragment``, audience ``"visitor"``), without the
session, the person, the context processors or the template. Only views that
opt in with ``@visitor_page(namespaces)`` are cached, and only for a request

- that is a GET or HEAD, not an htmx request, with no ``Authorization`` header;
- that carries no session cookie (nobody signed in, nothing kept for them) and
  no messages cookie (a message waits to be shown).

The entry's key holds the namespaces' versions (a write bumps them: the next
read builds the page anew), the language (as ``LocaleMiddleware`` picks it:
the language cookie, then ``Accept-Language``), the visitor's time zone (the
``tz`` cookie, or none known) and local date, the host, the scheme and the path
with its query string. A view that opts in must depend on nothing else: no
other cookie or header, nobody's data, and every part of the page read from the
namespaces it names (a page made of panels names the slot's: see
``alliance.registries.panels.panel_namespaces``).

What is stored: a 200 answer that set no cookie but the CSRF one, that did not
vary on anything else, is not ``private``/``no-store``/``no-cache``, showed no
message and left the session untouched. Its CSRF tokens (each one a masking of
the visitor's secret) are stored as a placeholder; each answer from the cache
carries a token of *its* visitor's secret, freshly masked (Django's BREACH
mitigation), and sets the CSRF cookie as ``CsrfViewMiddleware`` would. Headers
the middleware above add per response (CSP, security headers, compression) are
added to every answer, cached or not.

Answers are cheap: each process keeps the entries it read lately (their keys
hold the versions, so a bump is seen at once; a copy is dropped once the
entry is ``SHARED_FRAGMENT_TIMEOUT`` old, as the shared one expires), and the
entry holds the page compressed, in pieces split at the CSRF tokens: for a
client that accepts gzip, only this visitor's token is compressed per answer
(in a deflate stream of its own, never with the page's text) and the pieces
are joined into one gzip stream (each piece ends on a byte boundary, ``Z_SYNC_FLUSH``,
and refers to nothing before it). The gzip header carries a random-length
name as ``GZipMiddleware``'s does.

Django's own ``UpdateCacheMiddleware`` does not fit: it keys on the ``Vary``
headers' values, and every page varies on ``Cookie`` (the CSRF cookie differs
per visitor), so each visitor would get an entry of their own; and it refuses
a first visit's answer, which sets the CSRF cookie.
"""

import functools
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.csrf import (
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_resolver
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_vary_headers

from alliance.core.cache import ProcessCopies, SharedFragment, fragment_key
from alliance.core.compression import deflated, gzip_member
from alliance.core.middleware import visitor_time_zone

# A masked CSRF token: 64 letters and digits.
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# What a cached page may vary on: the cookies and headers its key covers (an
# htmx request is never answered from the cache).
VARY_KEYED = frozenset({"accept-language", "cookie", "accept-encoding", "hx-request"})
# Entries each process keeps (a few hundred pages of at most ~40 KB each).
PROCESS_ENTRIES = 200


def visitor_page(namespaces):
    """Opt a page in to ``VisitorPageMiddleware``: its signed-out readers get it
    from the shared cache until one of ``namespaces`` is bumped. ``namespaces``
    is a tuple, or a function returning one (asked per request: panels are
    registered after the views are imported)."""

    def decorate(view):
        view.visitor_page_namespaces = namespaces
        return view

    return decorate


@functools.lru_cache(maxsize=1024)
def _view_namespaces(resolver, path: str):
    """The namespaces the view at ``path`` declares, or None (not opted in)."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "visitor_page_namespaces", None)


@dataclass(frozen=True)
class VisitorPage:
    """A stored answer: the body in pieces, split where a CSRF token was, each
    piece also compressed on its own."""

    status: int
    headers: tuple
    pieces: tuple
    deflated: tuple
    stored_at: float

    @classmethod
    def of(cls, response, tokens: set[bytes]) -> "VisitorPage":
        body = response.content
        pieces = [body]
        if tokens:
            pieces = re.split(b"|".join(re.escape(t) for t in sorted(tokens)), body)
        return cls(
            status=response.status_code,
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() != "content-length"
            ),
            pieces=tuple(pieces),
            deflated=tuple(
                deflated(piece, last=i == len(pieces) - 1)
                for i, piece in enumerate(pieces)
            ),
            stored_at=time.time(),
        )

    def body(self, token: bytes) -> bytes:
        return token.join(self.pieces)

    def gzipped(self, token: bytes, body: bytes) -> bytes:
        """``body`` (the pieces joined by ``token``) as one gzip stream."""
        between = deflated(token, last=False) if len(self.pieces) > 1 else b""
        return gzip_member(between.join(self.deflated), body)


# The entries this process read lately.
_process_entries = ProcessCopies(VisitorPage, PROCESS_ENTRIES)


class VisitorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        entry = _process_entries.get(key)
        if entry is not None:
            return self._serve(request, entry)
        response = self.get_response(request)
        entry = self._entry(request, response)
        if entry is not None:
            SharedFragment(key).store(entry)
            _process_entries.keep(key, entry)
        return response

    # --- which requests, under which key ---------------------------------------

    def _key(self, request) -> str | None:
        """The key of the request's entry, or None when it is not cached."""
        if request.method not in ("GET", "HEAD"):
            return None
        cookies, meta = request.COOKIES, request.META
        if (
            settings.SESSION_COOKIE_NAME in cookies
            or CookieStorage.cookie_name in cookies
            or "HTTP_AUTHORIZATION" in meta
            or "HTTP_HX_REQUEST" in meta
        ):
            return None
        namespaces = _view_namespaces(get_resolver(), request.path_info)
        if namespaces is None:
            return None
        if callable(namespaces):
            namespaces = namespaces()
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # the ordinary path answers it (400)
        prefixed, _ = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
        language = translation.get_language_from_request(request, check_path=prefixed)
        zone, source = visitor_time_zone(request)
        with translation.override(language), timezone.override(zone):
            return fragment_key(
                tuple(namespaces),
                audience="visitor",
                parts=(
                    "visitor_page",
                    request.scheme,
                    host,
                    request.get_full_path(),
                    source,
                    timezone.localdate().isoformat(),
                ),
            )

    # --- what is stored ---------------------------------------------------------

    def _entry(self, request, response) -> VisitorPage | None:
        """The answer to store, or None when it must not be shared."""
        if request.method != "GET" or response.status_code != 200:
            return None
        if response.streaming or set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
            return None
        if response.has_header("Content-Encoding"):
            return None
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return None
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
        if vary - VARY_KEYED - {""}:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return None
        stored_messages = getattr(request, "_messages", None)
        if stored_messages is not None and (
            stored_messages.used or stored_messages.added_new
        ):
            return None
        # The page's CSRF tokens: each a masking of this visitor's secret.
        secret = request.META.get("CSRF_COOKIE")
        tokens = set()
        if secret:
            tokens = {
                token
                for token in set(_TOKEN.findall(response.content))
                if _unmask_cipher_token(token.decode()) == secret
            }
        return VisitorPage.of(response, tokens)

    # --- an answer from the cache -----------------------------------------------

    def _serve(self, request, entry: VisitorPage):
        token = b""
        if len(entry.pieces) > 1:
            # This visitor's secret (from their cookie, or a new one), masked
            # afresh; the cookie is set as CsrfViewMiddleware sets it.
            self.csrf.process_request(request)
            token = get_token(request).encode()
        body = entry.body(token)
        response = HttpResponse(status=entry.status)
        for name, value in entry.headers:
            response.headers[name] = value
        # Compressed here (GZipMiddleware leaves an encoded answer alone), with
        # the Vary it would add.
        patch_vary_headers(response, ("Accept-Encoding",))
        if len(body) >= 200 and re_accepts_gzip.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            body = entry.gzipped(token, body)
            response.headers["Content-Encoding"] = "gzip"
        response.content = body
        response.headers["Content-Length"] = str(len(body))
        return self.csrf.process_response(request, response)
