"""The server that holds stored files (secamb_journey.storage_settings chooses it): made ready, and checked.

The local disk needs neither. Azure Blob Storage needs its container, S3 its bucket: `manage.py
ensure_storage` makes either if missing, private (scripts/with-services.sh, scripts/run.sh and the test
suite run it; a production deployment runs it beside `migrate`). /healthz asks whether it answers.
"""

from django.conf import settings

_KINDS = {
    "storages.backends.azure_storage.AzureStorage": "azure",
    "storages.backends.s3.S3Storage": "s3",
}
_QUICK = {"retries": 0, "timeout": 2}
# The SDKs are imported where used: only the backend in use pays for its import (boto3 0.5 s, the Azure
# SDK 0.35 s, in every process and gunicorn worker), as django-storages' backends do.


def storage_kind() -> str:
    return _KINDS.get(settings.STORAGES["default"]["BACKEND"], "filesystem")


def _options() -> dict:
    return settings.STORAGES["default"].get("OPTIONS", {})


def _azure_container(*, retries: int, timeout: int):
    # Imported here, not at the top: only the configured backend's client library is loaded (not a cycle).
    from azure.storage.blob import ContainerClient

    options = _options()
    return ContainerClient.from_connection_string(
        options["connection_string"],
        options["azure_container"],
        retry_total=retries,
        connection_timeout=timeout,
        read_timeout=timeout,
    )


def _s3_client(*, retries: int, timeout: int):
    # Imported here, not at the top: only the configured backend's client library is loaded (not a cycle).
    import boto3
    from botocore.config import Config

    options = _options()
    return boto3.client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"total_max_attempts": retries + 1}),
    )


def _s3_bucket_exists(client) -> bool:
    # Imported here, not at the top: only the configured backend's client library is loaded (not a cycle).
    from botocore.exceptions import ClientError

    try:
        client.head_bucket(Bucket=_options()["bucket_name"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchBucket"}:
            return False
        raise
    return True


def storage_ensure() -> str | None:
    """Make the container (azure) or bucket (s3) if it is missing, private: what was made, or None."""
    kind = storage_kind()
    if kind == "azure":
        # Imported here, not at the top: only the configured backend's client library is loaded (not a cycle).
        from azure.core.exceptions import ResourceExistsError

        container = _azure_container(retries=3, timeout=10)
        if container.exists():
            return None
        try:
            container.create_container()  # no public_access: private
        except ResourceExistsError:  # another process made it meanwhile
            return None
        return f"Azure container {container.container_name!r}"
    if kind == "s3":
        client = _s3_client(retries=3, timeout=10)
        if _s3_bucket_exists(client):
            return None
        client.create_bucket(Bucket=_options()["bucket_name"])  # new buckets are private
        return f"S3 bucket {_options()['bucket_name']!r}"
    return None


def storage_present() -> bool:
    """Whether the container or bucket is there (the local disk: always), asked once and briefly (a
    monitor wants an answer, not the SDK's retries). Raises if the server does not answer."""
    kind = storage_kind()
    if kind == "azure":
        return _azure_container(**_QUICK).exists()
    if kind == "s3":
        return _s3_bucket_exists(_s3_client(**_QUICK))
    return True
