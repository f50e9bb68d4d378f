"""Reads that may be stale go to a PostgreSQL streaming replica, when one is configured.

``DATABASES["replica"]`` exists when ``REPLICA_DATABASE_URL`` is set (config/settings.py).
Nothing goes there by default: a code path says "this read may be stale" by entering
``stale_reads()`` (reports, exports, the province summary: period figures that tolerate
minutes of lag). Everything else, and every write, stays on the primary (``default``), so a
user's pages after a POST, forms, imports, the weekly run and the balance refresh see their
own writes. ``ReplicaRouter`` (DATABASE_ROUTERS) routes the ORM; hand-written SQL runs on
``connections[read_alias()]``.

Inside the block the replica is read in one REPEATABLE READ transaction: every query of the
block sees the same replayed state, so the Balance table's freshness check
(``arrears.balances.stored_is_current``) and the rows it vouches for agree even while the
replica replays a refresh. The block reads the primary instead when:

- no replica is configured;
- the primary connection is inside a transaction (it may hold this request's writes);
- the user wrote something within ``REPLICA_PIN_SECONDS`` (``PinAfterWriteMiddleware``);
- the replica is down (then it is not tried again for ``RETRY_SECONDS``), or more than
  ``REPLICA_MAX_LAG_SECONDS`` behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.transaction import Atomic
from django.http import HttpRequest, HttpResponse

__all__ = [
    "REPLICA",
    "PinAfterWriteMiddleware",
    "ReplicaRouter",
    "read_alias",
    "replica_configured",
    "stale_reads",
]

log = logging.getLogger(__name__)

REPLICA = "replica"
# Set on a user's writes by PinAfterWriteMiddleware; while the browser sends it back, that
# user's reads stay on the primary.
PIN_COOKIE = "primary_reads"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# The alias of the innermost stale_reads block (None outside any block).
_reading: ContextVar[str | None] = ContextVar("desk_replica_reading", default=None)
# Whether the request being served comes from a user who has just written.
_pinned: ContextVar[bool] = ContextVar("desk_replica_pinned", default=False)
# A replica that did not answer is left alone this long (per process), so that reports do
# not each wait for its connection timeout.
RETRY_SECONDS = 30
_down_until = 0.0

# True when the replica may be read: not in recovery (a test mirror, a promoted standby);
# or streaming from the primary and replayed all it received; or its last replayed
# transaction is recent enough. (An idle primary writes nothing, so the replay time alone
# would call an up-to-date replica late. pg_stat_wal_receiver's status needs the role
# pg_read_all_stats; without it the replay time decides.)
_FRESH_SQL = """
SELECT NOT pg_is_in_recovery()
    OR (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
        AND EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming'))
    OR coalesce(now() - pg_last_xact_replay_timestamp() < make_interval(secs => %s), false)
"""


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_alias() -> str:
    """The alias a read goes to here: the replica inside a ``stale_reads`` block that chose
    it, else the primary."""
    return _reading.get() or DEFAULT_DB_ALIAS


@contextmanager
def stale_reads() -> Iterator[str]:
    """Let the reads inside go to the replica (the module docstring says when they don't);
    yields the alias chosen. A block inside another keeps the outer one's choice."""
    if _reading.get() is not None:
        yield read_alias()
        return
    snapshot = _replica_snapshot()
    token = _reading.set(DEFAULT_DB_ALIAS if snapshot is None else REPLICA)
    try:
        yield read_alias()
    except BaseException as exc:
        if snapshot is not None:
            snapshot.__exit__(type(exc), exc, exc.__traceback__)
        raise
    else:
        if snapshot is not None:
            snapshot.__exit__(None, None, None)
    finally:
        _reading.reset(token)


def _replica_snapshot() -> Atomic | None:
    """A read-only REPEATABLE READ transaction begun on the replica, or None when the
    primary must be read."""
    global _down_until
    if not replica_configured() or _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    if time.monotonic() < _down_until:
        return None
    snapshot = transaction.atomic(using=REPLICA)
    try:
        snapshot.__enter__()
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # The snapshot is taken here: the lag measured bounds every read after it.
                cursor.execute(_FRESH_SQL, [settings.REPLICA_MAX_LAG_SECONDS])
                fresh = bool(cursor.fetchone()[0])
        except DatabaseError as exc:
            snapshot.__exit__(type(exc), exc, exc.__traceback__)
            raise
    except DatabaseError as exc:
        log.warning("replica unreachable, reading the primary: %s", exc)
        _down_until = time.monotonic() + RETRY_SECONDS
        return None
    if not fresh:
        snapshot.__exit__(None, None, None)
        log.warning(
            "replica more than %ss behind: reading the primary", settings.REPLICA_MAX_LAG_SECONDS
        )
        return None
    return snapshot


class ReplicaRouter:
    """DATABASE_ROUTERS: reads where ``read_alias`` says, writes and migrations on the
    primary. Objects read from either may be related: they hold the same rows."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        # Explicit outside a block too: an object read from the replica does not pull its
        # related objects from there afterwards (Django's fallback is the object's alias).
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class PinAfterWriteMiddleware:
    """After a user's write (any request but GET/HEAD/OPTIONS/TRACE), their reads stay on
    the primary for ``REPLICA_PIN_SECONDS``: the report they open next (the collection plan
    they just typed, the payments they just imported) includes it even if the replica lags.
    A cookie, so any web machine honours it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Set for every request (a streamed export reads after this call returns).
        _pinned.set(PIN_COOKIE in request.COOKIES)
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
