"""Backup and restore as docs/deployment.md tells an operator: pg_dump of the database and a copy of
the bucket, restored into a new database and a new bucket; what was there is there again, and a
restored document opens with the hall's keys."""

import subprocess

import boto3
import psycopg
import pytest

from .helpers import CLUSTER_DB, DIR, NODE_A, PG, api_session, cluster
from .journeys import png_bytes, start_and_fill, submit, upload_and_attach

RESTORED_DB = "servicehall_restore_test"
RESTORED_BUCKET = "servicehall-restore-test"


def _s3():
    keys = cluster.hall_env()
    return boto3.client(
        "s3", endpoint_url=keys["AWS_S3_ENDPOINT_URL"], region_name=keys["AWS_S3_REGION_NAME"],
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"], aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )


def _copy_bucket(s3, source: str, target: str) -> int:
    """What `aws s3 sync s3://source s3://target` does, with boto3."""
    copied = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
        for item in page.get("Contents", []):
            s3.copy_object(Bucket=target, Key=item["Key"], CopySource={"Bucket": source, "Key": item["Key"]})
            copied += 1
    return copied


def _count(dbname: str, table: str) -> int:
    with psycopg.connect(**PG, dbname=dbname) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.fixture
def scratch():
    yield
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{RESTORED_DB}" WITH (FORCE)')
    s3 = _s3()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=RESTORED_BUCKET):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=RESTORED_BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=RESTORED_BUCKET)


def test_a_backup_restores_into_a_new_database_and_bucket(applicant, scratch):
    from servicehall.core.crypto import decrypt_bytes
    from servicehall.subsidy.models import Material

    app = api_session(NODE_A, applicant["mobile"])
    draft = start_and_fill(app, NODE_A)
    content = png_bytes((90, 90, 200))
    material_id = upload_and_attach(app, NODE_A, draft, content)
    assert submit(app, NODE_A, draft).status_code == 200
    stored_name = Material.objects.get(pk=material_id).file.name

    # Back up: the database with pg_dump, the bucket by copying its objects.
    dump = DIR / "backup.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "-h", PG["host"], "-p", str(PG["port"]), "-U", "postgres", "-f", str(dump),
         CLUSTER_DB], check=True, capture_output=True,
    )
    s3 = _s3()
    s3.create_bucket(Bucket=RESTORED_BUCKET)
    bucket = cluster.hall_env()["AWS_STORAGE_BUCKET_NAME"]
    assert _copy_bucket(s3, bucket, RESTORED_BUCKET) >= 1

    # Restore into a new database.
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{RESTORED_DB}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "-h", PG["host"], "-p", str(PG["port"]), "-U", "postgres",
         "-d", RESTORED_DB, str(dump)], check=True, capture_output=True,
    )
    dump.unlink()

    for table in ("subsidy_application", "subsidy_material", "accounts_user", "audit_auditentry"):
        assert _count(RESTORED_DB, table) == _count(CLUSTER_DB, table), table
    with psycopg.connect(**PG, dbname=RESTORED_DB) as connection:
        name = connection.execute(
            "SELECT file FROM subsidy_material WHERE id = %s", [material_id]
        ).fetchone()[0]
    assert name == stored_name
    location = cluster.hall_env().get("AWS_LOCATION", "")
    key = f"{location}/{name}" if location else name
    restored = s3.get_object(Bucket=RESTORED_BUCKET, Key=key)["Body"].read()
    assert content not in restored  # still the hall's ciphertext
    assert decrypt_bytes(restored) == content
