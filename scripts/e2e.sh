#!/usr/bin/env bash
# End-to-end tests of the patient-monitor dashboard in headless Debian Chromium: the real
# server binary on an ephemeral loopback port, driven by playwright-core (node:test).
#
#   scripts/e2e.sh                 # install what is missing, build, run every e2e test
#   scripts/e2e.sh --test-name-pattern calculator   # extra arguments go to `node --test`
#
# Installs, each only when missing: Debian's chromium and chromium-driver, Node.js and npm,
# the npm packages of examples/patient-monitor/e2e (into that folder). Builds the server
# (release) and the news2-wasm package (scripts/wasm.sh build, when bindings-wasm/pkg is
# missing). Screenshots go to target/e2e-artifacts/. Exits non-zero on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E="$ROOT/examples/patient-monitor/e2e"
ARTIFACTS="$ROOT/target/e2e-artifacts"
started=$SECONDS
step() { printf '\n--> e2e: %s (%ss)\n' "$*" "$((SECONDS - started))"; }
die() { printf 'e2e: ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

step "browser and Node.js"
apt_install chromium chromium-driver
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after installing Debian's chromium"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || die "Node.js 18 or later is needed (found $(node --version))"

want=$(node -p "require('$E2E/package.json').devDependencies['playwright-core']")
have=$(node -p "try { require('$E2E/node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$want" != "$have" ]; then
  step "npm ci in examples/patient-monitor/e2e (playwright-core $want)"
  # playwright-core never downloads a browser; the tests use /usr/bin/chromium.
  (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

if [ ! -f "$ROOT/bindings-wasm/pkg/web/index.js" ] || [ ! -f "$ROOT/bindings-wasm/pkg/package.json" ]; then
  step "news2-wasm package (scripts/wasm.sh build)"
  "$ROOT/scripts/wasm.sh" build
fi

step "cargo build --release -p patient-monitor"
(cd "$ROOT" && cargo build --release --locked -p patient-monitor)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/patient-monitor"
[ -x "$BIN" ] || die "the server binary is not at $BIN"

step "node --test (headless Chromium)"
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
cd "$E2E"
PATIENT_MONITOR_BIN="$BIN" \
PATIENT_MONITOR_WASM_DIR="$ROOT/bindings-wasm/pkg/web" \
E2E_ARTIFACTS="$ARTIFACTS" \
NEWS2_GOLDEN="$ROOT/testdata/news2.json" \
  node --test --test-concurrency=1 --test-reporter=spec "$@" tests/
step "done; screenshots in ${ARTIFACTS#"$ROOT"/}"
