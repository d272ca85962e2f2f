"""The storage of collected static files for `make run`: production's, hashed names included.

Django's manifest storage names the hashed files only without debug; `make run` runs with debug
and serves the collected files (settings.COLLECTED_STATIC), so that the pages it serves ask for
what production's ask for: hashed, compressed and cached for a year.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedInDebugStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return super().url(name, force=True)
