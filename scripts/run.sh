#!/usr/bin/env bash
# Runs the monitoring server with its dashboard: builds the news2-wasm package first when
# bindings-wasm/pkg/web is missing (the dashboard's in-browser validation and NEWS2
# calculator load it), then `cargo run --release -p patient-monitor` with the arguments given.
#
#   ./scripts/run.sh                      # http://127.0.0.1:4000, demo wards and accounts
#   ./scripts/run.sh --port 8080 --simulate-every 5
#
# Idempotent: a package already built is used as it is (rebuild it with scripts/wasm.sh build).
# If the package cannot be built the server still starts; the page says what is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PKG_WEB="$ROOT/bindings-wasm/pkg/web"
if [ ! -f "$PKG_WEB/index.js" ] || [ ! -f "$ROOT/bindings-wasm/pkg/package.json" ]; then
  echo "run: $PKG_WEB is missing: building the news2-wasm package (scripts/wasm.sh build)" >&2
  if ! "$ROOT/scripts/wasm.sh" build; then
    echo "run: WARNING: the news2-wasm package did not build; the dashboard runs without in-browser" >&2
    echo "run: validation and the NEWS2 calculator (the server still validates every submission)." >&2
  fi
fi

exec cargo run --release -p patient-monitor -- "$@"
