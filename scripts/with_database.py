"""Run a command with a database, and leave nothing running after it.

    python scripts/with_database.py COMMAND [ARGS...]

With DATABASE_URL set, the command runs as it is (its database created first if the server
has none of that name). Otherwise the embedded PostgreSQL under
DATA_DIR/pg (default .data/pg) is started for it (whatever a killed earlier run left behind is
cleared first), the command gets DATABASE_URL pointing at it, and when the command ends, by
itself or by Ctrl-C, the server is stopped again if this script started it. `make run` and
`make test` go through here, so Ctrl-C on `make run` stops the web server, the Celery worker,
beat and the database, and the next `make run` or `make test` starts clean.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.database import (  # noqa: E402
    embedded_database_url,
    ensure_database,
    server_pid,
    stop_embedded,
)


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if url := os.environ.get("DATABASE_URL"):
        if ensure_database(url):
            print(f"Created the database of DATABASE_URL ({url.rsplit('/', 1)[-1]}).")
        os.execvp(command[0], command)  # noqa: S606  # nosec B606 - the Makefile's own command
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data") / "pg"
    running_before = server_pid(data_dir) is not None
    # Ctrl-C reaches the whole foreground process group: the command handles it (honcho stops
    # web, worker and beat); this process only notes it, waits for the command to finish, and
    # stops the server. A Ctrl-C while the server is still starting runs no command at all.
    interrupted: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _frame: interrupted.append(number))
    try:
        env = {**os.environ, "DATABASE_URL": embedded_database_url(data_dir)}
    except Exception:
        if not interrupted:
            raise
    try:
        if interrupted:
            return 128 + signal.SIGINT
        child = subprocess.Popen(command, env=env, preexec_fn=_default_signals)  # noqa: S603
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        code = child.wait()
        return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as shells say
    finally:
        if not running_before and stop_embedded(data_dir):
            print("Embedded PostgreSQL stopped.", file=sys.stderr)


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
