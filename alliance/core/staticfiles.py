"""The static files' storage of a deployed portal (DEBUG off): WhiteNoise's
compressed, hashed files, with each file's address worked out once per process.

Every page asks ``{% static %}`` for the same few files (the style sheet, the
logo, the scripts); the hashed name comes from the manifest, which does not
change while the process runs (``collectstatic`` runs before it starts).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
