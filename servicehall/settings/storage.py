"""Where files are kept: static files, and the private files (materials, appeals, imports)."""

from pathlib import Path

from .environment import env
from .paths import BASE_DIR, PACKAGE_DIR, VAR_DIR

# --- Files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads are private: never served at a public URL, only through views that check rights.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Private files are encrypted by the hall before they are stored (core.storage), on this machine's
# disk under MEDIA_ROOT, or, when AWS_STORAGE_BUCKET_NAME is set, in an S3-compatible bucket every
# node shares (core.storage_s3: private objects, never overwritten, no URL). The access keys are
# not settings: boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role)
# from the environment itself, so they never appear in a settings dump.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = {
        "BACKEND": "servicehall.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            # A prefix inside the bucket (one bucket for several halls or environments).
            "location": env("AWS_LOCATION", ""),
            # "path" for MinIO, moto and most on-premises object stores; virtual-host by default.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE"),
            "signature_version": env("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            # A file read back (a registry import can be 300 MB) spills to a temporary file past
            # this, instead of being held whole in the worker's memory.
            "max_memory_size": int(env("AWS_S3_MAX_MEMORY_SIZE", str(8 * 1024 * 1024))),
        },
    }
else:
    PRIVATE_STORAGE = {
        # No location of its own: it follows MEDIA_ROOT (and a test's change of it).
        "BACKEND": "servicehall.core.storage.PrivateFileSystemStorage",
    }
STORAGES = {
    "default": PRIVATE_STORAGE,
    # Static files stay on each node's disk: nginx serves /static/ from STATIC_ROOT.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
