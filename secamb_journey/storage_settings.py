"""Where stored files (evidence, and evidence held while a form is corrected) live: STORAGE_BACKEND chooses.
(Board pack PDFs and import files held for confirmation are database rows, shared by every server.)

    filesystem  the embedded default: FileSystemStorage under MEDIA_ROOT (one machine only);
    azure       Azure Blob Storage (django-storages): AZURE_CONNECTION_STRING, AZURE_CONTAINER;
    s3          S3 or S3-compatible storage (django-storages): AWS_STORAGE_BUCKET_NAME,
                AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and AWS_S3_ENDPOINT_URL for anything but AWS.

The variables are django-storages' own setting names, read from the environment. Every backend is
private: nothing is ever served by URL (a view streams a file after checking who asks), so no public
ACL and no SAS link is made, and no upload replaces another (overwriting is off).
"""

from django.core.exceptions import ImproperlyConfigured

from secamb_journey.env import env_str

BACKENDS = ("filesystem", "azure", "s3")
_REQUIRED = {
    "azure": ("AZURE_CONNECTION_STRING", "AZURE_CONTAINER"),
    "s3": ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
}


def default_storage_from_environment() -> dict:
    """STORAGES["default"] for STORAGE_BACKEND; ImproperlyConfigured naming what is missing or wrong."""
    backend = (env_str("STORAGE_BACKEND", "filesystem") or "").lower()
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"STORAGE_BACKEND={backend!r} is not one of: {', '.join(BACKENDS)}.")
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    missing = [name for name in _REQUIRED[backend] if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND={backend} but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
            "set them (.env.example lists them under STORAGE_BACKEND)."
        )
    if backend == "azure":
        return {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {
                "connection_string": env_str("AZURE_CONNECTION_STRING"),
                "azure_container": env_str("AZURE_CONTAINER"),
                "overwrite_files": False,
                # No SAS token in any URL: files are only ever streamed by the app.
                "expiration_secs": None,
            },
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
