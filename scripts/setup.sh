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
# ARGMAP_PYTHON if set. Otherwise the distribution's /usr/bin/python3 when it is 3.11 or newer
# and can make a virtual environment (or will, once apt installs python3-venv): Debian builds it
# with profile-guided and link-time optimisation, and argmap's evaluation runs about a third
# faster on it than on a default pyenv or source build. Otherwise python3 on PATH.
is_311() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
has_venv() { "$1" -c 'import venv, ensurepip' 2>/dev/null; }
# python3 on PATH, when it is a 3.11+ with venv: the fallback if the system one cannot be used.
fallback=""
if is_311 python3 && has_venv python3; then fallback=python3; fi
if [ -n "${ARGMAP_PYTHON:-}" ]; then
  python="$ARGMAP_PYTHON"
  is_311 "$python" || die "ARGMAP_PYTHON=$python is not Python 3.11 or newer"
  has_venv "$python" || die "ARGMAP_PYTHON=$python cannot make a virtual environment (no venv/ensurepip module)"
elif is_311 /usr/bin/python3 && { has_venv /usr/bin/python3 || { is_root && have_apt; }; }; then
  python=/usr/bin/python3
else
  python=python3
fi
is_311 "$python" || die "Python 3.11 or newer is needed as $python (Debian package: python3)"

# ---- system packages ---------------------------------------------------------------------
missing=()
has_venv "$python" || missing+=(python3-venv)
command -v dot >/dev/null 2>&1 || missing+=(graphviz fonts-dejavu-core)
if [ "$mode" = "test" ]; then
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if is_root && have_apt; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null &&
           apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      # Only the system Python's venv was missing and python3 on PATH has one: use that.
      if [ "${missing[*]}" = "python3-venv" ] && [ -n "$fallback" ]; then
        say "apt could not install python3-venv: using $fallback on PATH instead"
        python="$fallback"
      else
        die "apt-get install ${missing[*]} failed"
      fi
    fi
  else
    for package in "${missing[@]}"; do
      case "$package" in
        graphviz|fonts-dejavu-core) say "no system Graphviz and no root: using the Graphviz bundled in the pygraphviz wheel" ;;
        postgresql) say "no PostgreSQL and no root: using the PostgreSQL bundled in the pgserver wheel" ;;
        chromium) die "the browser tests need Debian's 'chromium' package: run this as root, or install it (sudo apt-get install chromium)" ;;
        python3-venv) die "Python's venv module is missing: install Debian's 'python3-venv' package" ;;
        util-linux) ;;
      esac
    done
  fi
fi

# ---- Python environment ------------------------------------------------------------------
# A .venv made with another Python (or whose Python is gone) is made again.
which_python='import os, sys; print(sys.base_prefix, os.path.realpath(sys._base_executable), *sys.version_info[:2])'
chosen="$("$python" -c "$which_python")"
if [ -e .venv ] || [ -L .venv/bin/python ]; then
  current="$(.venv/bin/python -c "$which_python" 2>/dev/null || true)"
  if [ "$current" != "$chosen" ]; then
    say "recreating .venv with $python (it was made with another Python)"
    rm -rf .venv
  fi
fi
if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment in .venv with $python ($("$python" --version 2>&1))"
  "$python" -m venv .venv || die "could not create .venv (install python3-venv)"
fi
extras=""
[ "$mode" = "test" ] && extras="[test]"
stamp=".venv/.argmap-installed${extras:+-test}"
want="$( { cat pyproject.toml; echo "$chosen"; } | sha256sum | cut -c1-16)"  # a new Python reinstalls
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing Python packages${extras:+ (with test extras)}"
  log=".venv/pip-install.log"
  if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "pip install failed (full log: $log)"
  fi
  echo "$want" > "$stamp"
fi

# ---- test-only tools from the npm registry (Argdown's reference CLI) ------------------------
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
