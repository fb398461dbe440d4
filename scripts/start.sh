#!/usr/bin/env bash
# Install, prepare the database with the demo catalogue, and start the app on http://localhost:8501
# (PORT, ADDRESS). The app runs behind Debian's nginx, which adds the security headers;
# STEUNWIJZER_REPLICAS=N starts N app processes that share the work (README: Deployment).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh requirements.txt
.venv/bin/python -m steunwijzer init-db --demo
PORT="${PORT:-8501}"
ADDRESS="${ADDRESS:-0.0.0.0}"
have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }
if ! have_nginx; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null; } || true
fi
if have_nginx; then
  exec .venv/bin/python deploy/replicas.py --port "$PORT" --address "$ADDRESS"
fi
if [ "${STEUNWIJZER_REPLICAS:-1}" -gt 1 ]; then
  echo "STEUNWIJZER_REPLICAS needs nginx, which could not be installed (apt-get install nginx)." >&2
  exit 1
fi
echo "Warning: nginx could not be installed; starting Streamlit directly, WITHOUT the security headers." >&2
# Streamlit refuses larger uploads itself (before they reach memory), at the app's own limit.
exec .venv/bin/streamlit run app.py --server.port "$PORT" --server.address "$ADDRESS" \
    --server.maxUploadSize "${STEUNWIJZER_MAX_UPLOAD_MB:-25}"
