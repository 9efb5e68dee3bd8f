"""Write-once evidence storage on S3-compatible object storage (django-storages), for deployments at scale."""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from zhifa.evidence.storage import WriteOnceMixin


class EvidenceS3Storage(WriteOnceMixin, S3Storage):
    """``sha256/ab/cd/<sha256>`` objects in one bucket; ``delete`` refused, an existing key never replaced.

    The bucket itself should also refuse deletion (object lock / versioning with a retention rule); this
    class is the application's half of that promise.
    """

    def _save(self, name: str, content: object) -> str:
        if self.exists(name):
            return self._confirm_identical(name, content)
        return super()._save(name, content)
