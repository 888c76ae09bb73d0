"""Test-only scope for the N+1 detector (see alliance/settings/test.py)."""

from zeal import zeal_ignore


def third_party_views_middleware(get_response):
    """Ignore repeated single-object loads in allauth's views (/accounts/...).

    zeal names the first caller outside site-packages as the source of a load, so
    allauth's separate ``get()`` calls (the address, then the person, in several
    of its own functions) all look like one line of ours looping. Loads through
    relations are still checked there.
    """

    def middleware(request):
        if request.path.startswith("/accounts/"):
            with zeal_ignore([{"model": "*", "field": "get()"}]):
                return get_response(request)
        return get_response(request)

    return middleware
