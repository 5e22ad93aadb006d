#!/usr/bin/env bash
# Set up everything argmap needs, on a fresh machine, with no step done by hand.
#   scripts/setup.sh run    what the server needs (Python packages, Graphviz)
#   scripts/setup.sh test   that, plus what the tests need (PostgreSQL, Chromium, test packages)
# As root on Debian/Ubuntu it installs system packages with apt. Without root it falls back to
# bundled parts (Graphviz from the pygraphviz wheel, PostgreSQL from the pgserver wheel) and stops
# with a message naming any system package that has no fallback.
set -euo pipefail
mode="${1:-run}"
cd "$(dirname "$0")/.."
root_dir="$(pwd)"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'argmap setup: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = "0" ]; }
have_apt() { command -v apt-get >/dev/null 2>&1; }

# ---- which Python ------------------------------------------------------------------------
# ARGMAP_PYTHON if set. Otherwise the distribution's /usr/bin/python3 when it is 3.11 or newer:
# Debian builds it with profile-guided and link-time optimisation, and argmap's evaluation runs
# about a third faster on it than on a default pyenv or source build. Otherwise python3 on PATH.
# uv makes .venv with it (uv needs no venv module); uv itself is installed with pip into .tools/
# by a Python that has venv and ensurepip.
is_311() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
has_venv() { "$1" -c 'import venv, ensurepip' 2>/dev/null; }
if [ -n "${ARGMAP_PYTHON:-}" ]; then
  python="$ARGMAP_PYTHON"
  is_311 "$python" || die "ARGMAP_PYTHON=$python is not Python 3.11 or newer"
elif is_311 /usr/bin/python3; then
  python=/usr/bin/python3
else
  python="$(command -v python3 || true)"
fi
[ -n "$python" ] && is_311 "$python" || die "Python 3.11 or newer is needed (Debian package: python3)"
bootstrap=""  # the Python that installs uv
for candidate in "$python" python3 /usr/bin/python3; do
  if has_venv "$candidate"; then bootstrap="$candidate"; break; fi
done

# ---- system packages ---------------------------------------------------------------------
missing=()
[ -n "$bootstrap" ] || missing+=(python3-venv)
command -v dot >/dev/null 2>&1 || missing+=(graphviz fonts-dejavu-core)
# Emoji in claims drawn by the server (diagram PNG and PDF): a font that has them.
fc-list 2>/dev/null | grep -qi "emoji" || missing+=(fonts-noto-color-emoji)
if [ "$mode" = "test" ]; then
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if is_root && have_apt; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null &&
           apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      die "apt-get install ${missing[*]} failed"
    fi
    [ -n "$bootstrap" ] || bootstrap=/usr/bin/python3
  else
    for package in "${missing[@]}"; do
      case "$package" in
        graphviz|fonts-dejavu-core) say "no system Graphviz and no root: using the Graphviz bundled in the pygraphviz wheel" ;;
        fonts-noto-color-emoji) say "no emoji font and no root: emoji in claims show as empty boxes in server-drawn PNG and PDF (install fonts-noto-color-emoji to fix)" ;;
        postgresql) say "no PostgreSQL and no root: using the PostgreSQL bundled in the pgserver wheel" ;;
        chromium) die "the browser tests need Debian's 'chromium' package: run this as root, or install it (sudo apt-get install chromium)" ;;
        python3-venv) die "Python's venv module is missing: install Debian's 'python3-venv' package" ;;
        util-linux) ;;
        poppler-utils) say "no pdftoppm and no root: the PDF tests check the PDFs but write no page images (install poppler-utils)" ;;
      esac
    done
  fi
fi

# ---- Python environment: exactly what uv.lock says ------------------------------------------
# uv comes from PyPI at a pinned version with its hashes (scripts/uv-requirements.txt); it makes
# .venv and installs the locked versions of every package, with the test extras in test mode.
# A uv.lock that is out of date with pyproject.toml stops the setup: run scripts/lock.sh.
scripts/install-uv.sh "$bootstrap" || exit 1
uv=.tools/bin/uv
export UV_PROJECT_ENVIRONMENT="$root_dir/.venv" UV_PYTHON_DOWNLOADS=never
if ! check="$("$uv" lock --check 2>&1)"; then
  printf '%s\n' "$check" | tail -n 5 >&2
  die "uv.lock is out of date with pyproject.toml: run scripts/lock.sh and commit uv.lock"
fi
sync_args=(--locked --python "$python")
if [ "$mode" = "test" ]; then
  sync_args+=(--extra test)          # exactly the lock, test tools included
else
  sync_args+=(--inexact)             # the locked run packages; leaves test tools in place
fi
log="$root_dir/.tools/sync.log"
say "installing the locked Python packages into .venv ($("$python" --version 2>&1))"
if ! "$uv" sync "${sync_args[@]}" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  die "uv sync failed (full log: $log)"
fi

# ---- test-only tools from the npm registry (Argdown's reference CLI, axe-core) --------------
if [ "$mode" = "test" ] && [ -f tests/e2e/.axe/package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -f tests/e2e/.axe/node_modules/axe-core/axe.min.js ]; then
      say "installing axe-core (npm ci) for the accessibility checks of the browser tests"
      npm ci --silent --no-audit --no-fund --prefix tests/e2e/.axe >/dev/null \
        || say "npm ci failed: the accessibility checks will say so"
    fi
  else
    say "no npm: the accessibility checks will say they could not run"
  fi
fi

if [ "$mode" = "test" ] && [ -f tests/maps/formats/.argdown/package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -d tests/maps/formats/.argdown/node_modules ]; then
      say "installing Argdown's CLI (npm ci) for the format tests"
      npm ci --silent --no-audit --no-fund --prefix tests/maps/formats/.argdown >/dev/null \
        || say "npm ci failed: the Argdown reference tests will say so"
    fi
  else
    say "no npm: the Argdown reference tests will say they could not run"
  fi
fi
say "setup ($mode) done in $root_dir"
