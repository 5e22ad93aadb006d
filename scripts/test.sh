#!/usr/bin/env bash
# Set everything up and run the whole test suite (API on SQLite and PostgreSQL, diagrams,
# evaluation, formats, and the web app in a real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
exec .venv/bin/pytest "$@"
