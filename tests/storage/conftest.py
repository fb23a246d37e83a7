"""A real S3 endpoint for the storage tests: moto's server on a free port of this machine, one
per test session (per xdist worker), and a fresh bucket per test that the hall's default storage
points at, configured the way production is (settings.storage read with the bucket's variables)."""

import dataclasses
import importlib
import uuid

import boto3
import pytest

REGION = "us-east-1"
KEYS = {"AWS_ACCESS_KEY_ID": "storage-tests", "AWS_SECRET_ACCESS_KEY": "storage-tests-secret"}


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storages_from_environment(monkeypatch, variables: dict[str, str]) -> dict:
    """STORAGES as settings.storage computes it with these variables set (and no other bucket
    variable), so the tests go through the settings production reads."""
    from servicehall.settings import storage as storage_settings

    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_LOCATION",
                 "AWS_S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    try:
        return importlib.reload(storage_settings).STORAGES
    finally:
        for name in variables:
            monkeypatch.delenv(name, raising=False)
        importlib.reload(storage_settings)


@dataclasses.dataclass
class Bucket:
    name: str
    client: object
    storages: dict

    def keys(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, settings) -> Bucket:
    """A new private bucket, and the hall's default storage on it (django resets its cached
    default storage when STORAGES changes, and again when the test ends)."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    name = f"hall-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = storages_from_environment(monkeypatch, {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_LOCATION": "hall",
    })
    return Bucket(name, client, settings.STORAGES)
