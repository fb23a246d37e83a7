"""The S3-compatible bucket the nodes share for private files (settings.storage picks it when
AWS_STORAGE_BUCKET_NAME is set). Kept apart from core.storage so that a single machine on its
disk never imports boto3."""

from storages.backends.s3 import S3Storage

from .storage import _no_url


class PrivateS3Storage(S3Storage):
    """Objects are private (no ACL is sent, so the bucket's own private default applies), never
    overwritten (a name taken gets a new one), and have no URL: no presigned link is ever handed
    out, since a link would skip the hall's check of who may read the file."""

    def __init__(self, **options):
        super().__init__(**options)
        # Whatever the AWS_* settings or OPTIONS say: these are what keeps the files private.
        self.default_acl = None
        self.file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return _no_url(name)
