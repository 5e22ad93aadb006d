#!/usr/bin/env bash
# Install uv into .tools/ at the version pinned, with its hashes, in scripts/uv-requirements.txt.
#   scripts/install-uv.sh [PYTHON]   PYTHON (default python3) must have the venv module
# Does nothing when .tools/bin/uv is already that version.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
wanted="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' scripts/uv-requirements.txt)"
if [ -x .tools/bin/uv ] && [ "$(.tools/bin/uv --version 2>/dev/null | cut -d' ' -f2)" = "$wanted" ]; then
  exit 0
fi
printf '==> installing uv %s into .tools (pip, hash-checked)\n' "$wanted" >&2
rm -rf .tools
log="$(mktemp)"
if ! { "$python" -m venv .tools &&
       .tools/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
         -r scripts/uv-requirements.txt; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  printf 'argmap setup: could not install uv with %s (it needs the venv module: python3-venv)\n' \
    "$python" >&2
  exit 1
fi
rm -f "$log"
