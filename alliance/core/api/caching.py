"""API lists shared by audience (``alliance.core.cache``): a list endpoint that
answers every reader of one audience alike keeps its answer until one of the
namespaces it reads is bumped."""

from rest_framework.response import Response

from alliance.core.cache import shared_value


class SharedListMixin:
    """For a DRF viewset: ``list`` answered from the shared cache.

    ``shared_namespaces``: what the list reads. ``shared_audience()``: the
    reader's visibility class ("public", "member", "staff"), computed by the
    app's own predicates, or ``None`` when the answer holds something of the
    reader's own (then nothing is cached). The key holds the host (the answer's
    links are absolute), the path with its query string and the language."""

    shared_namespaces: tuple[str, ...] = ()
    # What the answer holds of the reader's language and time zone (see
    # alliance.core.cache.fragment_key): both, by default.
    shared_local: bool | str = True

    def shared_audience(self) -> str | None:
        return None

    def list(self, request, *args, **kwargs):
        audience = self.shared_audience()
        if audience is None:
            return super().list(request, *args, **kwargs)
        # Errors (a bad filter, a page out of range) raise: never cached.
        data = shared_value(
            self.shared_namespaces,
            audience=audience,
            parts=("api", request.get_host(), request.get_full_path()),
            local=self.shared_local,
            compute=lambda: (
                super(SharedListMixin, self).list(request, *args, **kwargs).data
            ),
        )
        return Response(data)
