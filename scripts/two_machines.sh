#!/usr/bin/env bash
# Two "machines" on one: two web processes (gunicorn, ports 8021 and 8022) and two Celery
# workers with distinct names, against one PostgreSQL and one Redis. It shows that a session
# opened on one web process is valid on the other (no state in a web process), then runs the
# weekly job through the broker and counts, from each worker's log, the tasks it took.
#
# PostgreSQL: a fresh database arrears_two_machines on the server of DATABASE_URL (else the
# embedded one). Redis: CELERY_BROKER_URL if set, else a private redis-server on a free port.
# Everything it starts is stopped on exit; its logs stay in the folder it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
SAMPLES=$ROOT/tests/fixtures/samples
MONDAY=2026-11-16
WORK=$(mktemp -d /tmp/two-machines.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "database"
DATABASE_URL=$("$BIN/python" - <<'EOF'
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from config.database import embedded_database_url

base = os.environ.get("DATABASE_URL") or embedded_database_url(Path(".data/pg"))
parts = urlsplit(base)
admin = urlunsplit(parts._replace(path="/postgres"))
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute('DROP DATABASE IF EXISTS "arrears_two_machines" WITH (FORCE)')
    conn.execute('CREATE DATABASE "arrears_two_machines"')
print(urlunsplit(parts._replace(path="/arrears_two_machines")))
EOF
)
echo "$DATABASE_URL"

if [ -z "${CELERY_BROKER_URL:-}" ]; then
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    >"$WORK/redis.log" 2>&1 &
  pids+=($!)
  CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
say "broker: $CELERY_BROKER_URL"

# What every machine is given: the same database, broker, secret and shared media folder.
export DATABASE_URL CELERY_BROKER_URL
export DEBUG=0 SECRET_KEY=two-machines-demo-$RANDOM$RANDOM$RANDOM ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=0 DATA_DIR=$ROOT/.data MEDIA_ROOT=$WORK/media
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=INFO
export DJANGO_SETTINGS_MODULE=config.settings

say "migrate, static files, the sample province"
"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py collectstatic --noinput -v0
for kind in employers contributions payments; do
  "$BIN/python" manage.py "import_$kind" "$SAMPLES/$kind.csv"
done
DJANGO_SUPERUSER_PASSWORD=Hai-may-chu-2026 "$BIN/python" manage.py createsuperuser \
  --noinput --username lanhdao --email lanhdao@example.vn >/dev/null

say "two web processes, two workers"
for port in 8021 8022; do
  "$BIN/gunicorn" config.wsgi --workers 2 --bind "127.0.0.1:$port" \
    --access-logfile "$WORK/web-$port.access.log" >"$WORK/web-$port.log" 2>&1 &
  pids+=($!)
done
for name in machine-a machine-b; do
  "$BIN/celery" -A config worker --concurrency 2 -n "$name@%h" --without-gossip \
    --without-mingle -l INFO -f "$WORK/$name.log" >"$WORK/$name.out" 2>&1 &
  pids+=($!)
done
for port in 8021 8022; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/dang-nhap/" && break; sleep 0.2; done
done
for name in machine-a machine-b; do
  for _ in $(seq 150); do grep -q "ready." "$WORK/$name.log" 2>/dev/null && break; sleep 0.2; done
done

say "a session opened on :8021 is valid on :8022"
"$BIN/python" - <<'EOF'
import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HTTPS = {"X-Forwarded-Proto": "https"}  # as behind the TLS proxy (cookies are Secure)


def call(port, method, path, cookies, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(HTTPS)
    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = headers["Origin"] = f"https://127.0.0.1:{port}"
        headers["Referer"] += "/dang-nhap/"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    return response.status, response.getheader("Location"), response.read().decode()


cookies = {}
_s, _l, page = call(8021, "GET", "/dang-nhap/", cookies)
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = {"username": "lanhdao", "password": "Hai-may-chu-2026", "csrfmiddlewaretoken": token}
status, location, _p = call(8021, "POST", "/dang-nhap/", cookies, urlencode(form))
print(f"POST :8021/dang-nhap/ -> {status} {location}")
status, location, page = call(8022, "GET", "/", cookies)
print(f"GET  :8022/ with that session -> {status}" + (" (dashboard)" if status == 200 else f" {location}"))
assert status == 200, "the second web process did not know the session"
EOF

say "the weekly job of $MONDAY, through the broker"
"$BIN/celery" -A config call arrears.tasks.weekly_jobs_task --kwargs "{\"on\": \"$MONDAY\"}"
"$BIN/python" - <<'EOF'
import time

import django

django.setup()
from arrears.models import JobRun, Reminder

deadline = time.monotonic() + 300
while time.monotonic() < deadline:
    done = JobRun.objects.filter(job="weekly", outcome="succeeded").exists()
    if done and not Reminder.objects.exclude(status="sent").exists():
        break
    time.sleep(1)
by = {s: Reminder.objects.filter(status=s).count() for s in ("sent", "pending", "failed")}
print(f"reminders: {Reminder.objects.count()} ({by})")
EOF

say "who did what (from each worker's log)"
for name in machine-a machine-b; do
  log=$WORK/$name.log
  weekly=$(grep -c "weekly_jobs_task\[.*\] succeeded" "$log" || true)
  sends=$(grep -c "send_reminder_task\[.*\] succeeded" "$log" || true)
  posts=$(grep -c "post_letters_task\[.*\] succeeded" "$log" || true)
  echo "$name: weekly job $weekly, e-mail reminders $sends, letters for the post $posts"
done
for port in 8021 8022; do
  echo "web :$port answered $(wc -l <"$WORK/web-$port.access.log") requests"
done
echo "logs: $WORK"
