"""Django's PostgreSQL backend, with a connection pool that recovers from a server restart at once.

A restart of PostgreSQL kills every connection the pool holds. psycopg_pool's own check (what
Django installs with CONN_HEALTH_CHECKS) finds them one at a time, and waits 1, 2, 4, 8… seconds
after each dead one: with six idle connections the first request after a restart waits 30 s
and fails. ``RecoveringPool`` checks every idle connection as soon as one is found dead, so the
request waits only for a new connection.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


class RecoveringPool(ConnectionPool):
    def getconn(self, timeout=None):
        conn = super().getconn(timeout)
        try:
            self.check_connection(conn)
        except Exception:
            # One dead connection: the server went away, and every idle one is dead too.
            self.putconn(conn)  # a broken connection is discarded, not kept
            self.check()  # all idle connections, at once; dead ones are replaced
            conn = super().getconn(timeout)
            self.check_connection(conn)
        return conn


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == NO_DB_ALIAS or not options:
            return None
        if self.alias not in self._connection_pools:
            # As Django's own (django.db.backends.postgresql.base), with RecoveringPool; the
            # pool's own check is off, as RecoveringPool checks every connection it gives out.
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            pool = RecoveringPool(
                kwargs={**self.get_connection_params(), "autocommit": True},
                open=False,
                configure=self._configure_connection,
                **({} if options is True else options),
            )
            self._connection_pools.setdefault(self.alias, pool)
        return self._connection_pools[self.alias]
