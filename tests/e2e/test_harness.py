"""The browser-test harness itself."""

from django.db import connection


def test_live_server_requests_get_their_own_database_connection(transactional_db):
    # An in-memory SQLite database would be shared by every live-server thread through one
    # connection, and concurrent pages would interleave their transactions on it.
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
