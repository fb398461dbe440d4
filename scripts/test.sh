#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium, postgresql and nginx) and run
# the whole suite. Storage tests run on SQLite and on a throw-away PostgreSQL on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans Arabic" || need+=(fonts-noto-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # throw-away certificates for the SMTP tests
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)  # the replica and header tests
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the transcription queue on Redis (tests/unit/test_jobs_speech.py)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash scripts/install.sh requirements-dev.txt
# axe-core for the accessibility checks (injected into pages by Playwright; not a browser download)
[ -f node_modules/axe-core/axe.min.js ] || npm install --no-save --no-audit --no-fund --silent axe-core@4.14.1
.venv/bin/ruff check --quiet .
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
.venv/bin/python -m pytest "$@"
