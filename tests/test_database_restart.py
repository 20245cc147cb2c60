import time
import urllib.request

import psycopg
import pytest
from django.db import connection

from tests.factories import make_article, publish


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no server to lose")
def test_first_request_after_connections_are_cut_succeeds(live_server):
    """A PostgreSQL restart cuts every open connection; readers must not see an error for it."""
    article = make_article()
    publish(article)
    url = live_server.url + article.get_absolute_url()
    assert urllib.request.urlopen(url).status == 200

    with connection.cursor() as cursor:  # the test's own connection, needed for teardown
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("autocommit", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [own_pid],
        ).fetchone()[0]
    assert cut >= 1  # the live server's connection

    assert urllib.request.urlopen(url).status == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no server to lose")
def test_a_restart_with_many_idle_pooled_connections_costs_no_wait(live_server):
    """psycopg_pool alone finds dead connections one by one, waiting longer after each: with
    seven idle ones the first request after a restart waited 30 s and failed."""
    article = make_article()
    publish(article)
    url = live_server.url + article.get_absolute_url()
    pool = connection.pool
    taken = [pool.getconn() for _ in range(7)]  # as a busy moment leaves the pool
    for conn in taken:
        pool.putconn(conn)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("autocommit", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [own_pid],
        ).fetchone()[0]
    assert cut >= 7

    started = time.monotonic()
    assert urllib.request.urlopen(url).status == 200
    assert time.monotonic() - started < 3
