#!/usr/bin/env bash
# Refresh uv.lock from pyproject.toml (uv, installed by scripts/setup.sh into .tools/).
#   scripts/lock.sh                          after editing pyproject.toml: lock what it now asks for,
#                                            keeping every other package at its locked version
#   scripts/lock.sh --upgrade                every package at its newest release pyproject allows
#   scripts/lock.sh --upgrade-package NAME   one package (and what it needs) at its newest release
# Then run ./scripts/test.sh and commit uv.lock with pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-uv.sh
exec .tools/bin/uv lock "$@"
