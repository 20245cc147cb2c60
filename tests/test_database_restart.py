import time
import urllib.request

import psycopg
import pytest
from django.db import connection

from tests.factories import make_article, publish

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no server to lose"
)


def published_url(live_server):
    article = make_article()
    publish(article)
    return live_server.url + article.get_absolute_url()


def cut_connections():
    """Terminate every connection to the test database but the test's own, as a restart would;
    return how many were cut."""
    with connection.cursor() as cursor:  # the test's own connection, needed for teardown
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("autocommit", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [own_pid],
        ).fetchone()[0]


def test_first_request_after_connections_are_cut_succeeds(live_server):
    """A PostgreSQL restart cuts every open connection; readers must not see an error for it."""
    url = published_url(live_server)
    assert urllib.request.urlopen(url).status == 200

    assert cut_connections() >= 1  # the live server's connection

    assert urllib.request.urlopen(url).status == 200


def test_a_restart_with_many_idle_pooled_connections_costs_no_wait(live_server):
    """psycopg_pool alone finds dead connections one by one, waiting longer after each: with
    seven idle ones the first request after a restart waited 30 s and failed."""
    url = published_url(live_server)
    pool = connection.pool
    taken = [pool.getconn() for _ in range(7)]  # as a busy moment leaves the pool
    for conn in taken:
        pool.putconn(conn)

    assert cut_connections() >= 7

    started = time.monotonic()
    assert urllib.request.urlopen(url).status == 200
    assert time.monotonic() - started < 3
