#!/usr/bin/env bash
# Install, prepare the database with the demo catalogue, and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh requirements.txt
.venv/bin/python -m steunwijzer init-db --demo
# Streamlit refuses larger uploads itself (before they reach memory), at the app's own limit.
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.address "${ADDRESS:-0.0.0.0}" \
    --server.maxUploadSize "${STEUNWIJZER_MAX_UPLOAD_MB:-25}"
