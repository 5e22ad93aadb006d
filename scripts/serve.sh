#!/usr/bin/env bash
# Set everything up and run argmap with the sample map at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
exec .venv/bin/argmap serve --host "${ARGMAP_HOST:-127.0.0.1}" --port "${ARGMAP_PORT:-8000}" "$@"
