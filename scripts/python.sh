#!/usr/bin/env bash
# The news2 Python package (bindings-py): set-up, build and tests, for CI on a fresh Debian 12
# machine (CPython 3.11, Java 17, PyPI reachable) and for developers.
#
#   scripts/python.sh          set up, build, then run every Python test (what scripts/test.sh runs)
#   scripts/python.sh build    set up and build the extension into the virtual environment only
#   scripts/python.sh bench    set up, build, then run the benchmark (prints figures, asserts nothing)
#
# Idempotent: the virtual environment (.venv at the repository root) is created only when it is
# missing, and the pinned dependencies (bindings-py/requirements-dev.txt) are installed only when
# one is missing or at another version. Exits non-zero on any failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRATE="$ROOT/bindings-py"
VENV="$ROOT/.venv"
REQUIREMENTS="$CRATE/requirements-dev.txt"
DOCBR_VERSION=2.0.1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/py}"
MODE="${1:-all}"
started=$SECONDS
step() { printf '\n--> python: %s (%ss)\n' "$*" "$((SECONDS - started))"; }
die() { printf 'python: ERROR: %s\n' "$*" >&2; exit 1; }

case "$MODE" in all | build | bench) ;; *) die "unknown mode '$MODE' (all, build, bench)" ;; esac

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

step "system packages (venv; a Java runtime for the PySpark test)"
python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v java >/dev/null || die "no java on PATH after installing openjdk-17-jre-headless"

step "virtual environment"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || die "python3 -m venv failed"
fi
PYTHON="$VENV/bin/python"

step "pinned test dependencies"
if "$PYTHON" - "$REQUIREMENTS" <<'PY'
import re
import sys
from importlib import metadata

missing = []
for line in open(sys.argv[1], encoding="utf-8"):
    requirement = line.split("#", 1)[0].strip()
    if not requirement:
        continue
    name, _, version = requirement.partition("==")
    name = re.sub(r"\[.*\]", "", name)
    try:
        if metadata.version(name) != version:
            missing.append(requirement)
    except metadata.PackageNotFoundError:
        missing.append(requirement)
if missing:
    print("to install:", " ".join(missing))
    sys.exit(1)
PY
then
  echo "all present"
else
  "$PYTHON" -m pip install --disable-pip-version-check -q -r "$REQUIREMENTS"
fi

step "build the extension (maturin develop --release, target $CARGO_TARGET_DIR)"
(cd "$CRATE" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release --quiet)

case "$MODE" in
  build) ;;
  bench)
    # The issue's optional baseline: measured when it installs, skipped (and said so) if not.
    if ! "$PYTHON" -c 'import validate_docbr' 2>/dev/null; then
      step "validate-docbr (optional baseline)"
      "$PYTHON" -m pip install --disable-pip-version-check -q "validate-docbr==$DOCBR_VERSION" \
        || echo "python: validate-docbr did not install: the benchmark skips it"
    fi
    step "benchmark"
    "$PYTHON" "$CRATE/bench/bench.py"
    ;;
  all)
    step "tests (pytest)"
    (cd "$CRATE" && "$PYTHON" -m pytest -q -p no:cacheprovider tests)
    ;;
esac
step "done"
