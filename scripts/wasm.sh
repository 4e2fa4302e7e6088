#!/usr/bin/env bash
# The news2-wasm npm package: set-up, build and tests, for CI on a fresh Debian 12 machine
# (crates.io, npm, Debian packages and PyPI reachable) and for developers.
#
#   scripts/wasm.sh          set up, build, then run every test (what scripts/test.sh runs)
#   scripts/wasm.sh build    set up and build bindings-wasm/pkg only
#   scripts/wasm.sh test     set up and test the package already built
#   scripts/wasm.sh bench    the benchmark (1,000,000 rows; prints figures, asserts nothing)
#
# Every install is skipped when already there. Exits non-zero on any failure; the optimiser
# alone never fails the build (it is skipped with a warning when no wasm-opt works).
#
# Environment:
#   NEWS2_WASM_DEBIAN_RUST=1  use Debian's Rust with build-std even if rustup could add the
#                             wasm32 target (tests the fallback path).
#   NEWS2_WASM_OPT=debian|npm|none  force one optimiser (default: Debian's, then npm's).
#   NEWS2_WASM_PKG_DIR=<dir>  build into <dir> instead of bindings-wasm/pkg.
#   CARGO_TARGET_DIR=<dir>    build under <dir>/wasm, <dir>/wasmhost, <dir>/wasm-tests
#                             (default: the workspace's target/).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CRATE="$ROOT/bindings-wasm"
PKG="${NEWS2_WASM_PKG_DIR:-$CRATE/pkg}"
WASM_TARGET=wasm32-unknown-unknown
# Everything this script builds or generates goes under one directory: $CARGO_TARGET_DIR when
# the caller set one (so parallel work trees or sessions never share artifacts), else target/.
TARGET_BASE="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TARGET_DIR="$TARGET_BASE/wasm"
GENERATED="$TARGET_BASE/wasm-tests"
MODE="${1:-all}"
started=$SECONDS
step() { printf '\n--> wasm: %s (%ss)\n' "$*" "$((SECONDS - started))"; }
warn() { printf 'wasm: WARNING: %s\n' "$*" >&2; }
die() { printf 'wasm: ERROR: %s\n' "$*" >&2; exit 1; }

case "$MODE" in all | build | test | bench) ;; *) die "unknown mode '$MODE' (all, build, test, bench)" ;; esac

# The wasm-bindgen crate is pinned with `=` in bindings-wasm/Cargo.toml; the CLI must match.
WBG_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' "$CRATE/Cargo.toml")
[ -n "$WBG_VERSION" ] || die "bindings-wasm/Cargo.toml must pin wasm-bindgen with '=' (wasm-bindgen = { version = \"=X.Y.Z\" ... })"
CRATE_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)

# Size-oriented release settings for the wasm build only (the workspace profile is shared).
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_PANIC=abort

# --- set-up ---------------------------------------------------------------------------

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

setup_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || die "Node.js 18 or later is needed (found $(node --version))"
}

# Debian's Rust, when rustup cannot add the wasm32 target (TOOLCHAIN.md, "the fallback").
DEBIAN_RUST=
setup_rust() {
  if [ "${NEWS2_WASM_DEBIAN_RUST:-}" != 1 ]; then
    if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then return 0; fi
    step "rustup target add $WASM_TARGET"
    if rustup target add "$WASM_TARGET"; then return 0; fi
    warn "rustup target add failed: falling back to Debian's Rust with build-std"
  fi
  apt_install rustc-web cargo-web rust-web-src lld-22
  [ -d /usr/lib/rustlib/src/rust ] || die "Debian's rust-web-src did not install /usr/lib/rustlib/src/rust"
  DEBIAN_RUST=1
}

# cargo for the wasm32 target, on whichever toolchain setup_rust chose.
wasm_cargo() {
  if [ -n "$DEBIAN_RUST" ]; then
    PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
      /usr/bin/cargo "$@" --target "$WASM_TARGET" -Zbuild-std=std,panic_abort
  else
    cargo "$@" --target "$WASM_TARGET"
  fi
}

setup_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version)" = "wasm-bindgen $WBG_VERSION" ] \
    && command -v wasm-bindgen-test-runner >/dev/null; then
    return 0
  fi
  step "cargo install wasm-bindgen-cli --version $WBG_VERSION"
  # Not --locked: one locked dependency of the CLI is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
  [ "$(wasm-bindgen --version)" = "wasm-bindgen $WBG_VERSION" ] || die "wasm-bindgen on PATH is not $WBG_VERSION"
}

setup_npm() {
  local want have
  for dep in typescript binaryen; do
    want=$(node -p "require('$CRATE/package.json').devDependencies['$dep']")
    have=$(node -p "try { require('$CRATE/node_modules/$dep/package.json').version } catch { '' }")
    if [ "$want" != "$have" ]; then
      step "npm install (typescript, binaryen) in bindings-wasm"
      (cd "$CRATE" && npm install --no-save --loglevel=error)
      return 0
    fi
  done
}

# --- build ----------------------------------------------------------------------------

# Optimises the module shared by the three targets of $1 with the first wasm-opt whose
# output still loads and runs (scripts/smoke.cjs): Debian's binaryen first, then npm's.
# Never fails the build: with no working optimiser the module is kept as wasm-bindgen wrote it.
optimise() {
  local name=$1 level=$2 choice="${NEWS2_WASM_OPT:-auto}"
  local flags=("-O$level" --strip-debug --strip-producers)
  local module="$PKG/nodejs/${name}_bg.wasm" pristine="$GENERATED/${name}_bg.unoptimised.wasm"
  cp "$module" "$pristine"
  local candidates=()
  if [ "$choice" = auto ] || [ "$choice" = debian ]; then
    command -v wasm-opt >/dev/null && candidates+=("debian:wasm-opt")
  fi
  if [ "$choice" = auto ] || [ "$choice" = npm ]; then
    [ -x "$CRATE/node_modules/binaryen/bin/wasm-opt" ] && candidates+=("npm:$CRATE/node_modules/binaryen/bin/wasm-opt")
  fi
  local c tool version
  for c in "${candidates[@]}"; do
    tool=${c#*:}
    version="$("$tool" --version 2>/dev/null | head -n1) (${c%%:*})"
    if ! "$tool" "${flags[@]}" "$pristine" -o "$module" 2>"$GENERATED/wasm-opt.log"; then
      warn "$version failed: $(head -c 300 "$GENERATED/wasm-opt.log")"
    elif ! node "$CRATE/scripts/smoke.cjs" "$PKG/nodejs" "$name" 2>"$GENERATED/smoke.log"; then
      warn "$version wrote a module that does not load: $(grep -m1 -E 'Error' "$GENERATED/smoke.log" | head -c 300)"
    else
      echo "wasm-opt: $version, $(wc -c <"$pristine") -> $(wc -c <"$module") bytes"
      cp "$module" "$PKG/web/${name}_bg.wasm"
      cp "$module" "$PKG/bundler/${name}_bg.wasm"
      return 0
    fi
    cp "$pristine" "$module"
  done
  warn "no working wasm-opt: ${name}_bg.wasm is NOT optimised (larger, same behaviour)"
  node "$CRATE/scripts/smoke.cjs" "$PKG/nodejs" "$name" || die "the unoptimised module does not load either"
}

# Builds one wasm module into $PKG/<target>/<name>: cargo features $2, optimised for speed
# (opt-level 3, wasm-opt -O3) or size (z, -Oz) as $3 says.
bind_module() {
  local name=$1 features=$2 level=$3 built
  step "cargo build --release ($name: features $features, opt-level $level)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$level wasm_cargo build --release --locked -p news2-wasm \
    --no-default-features --features "$features"
  built="$CARGO_TARGET_DIR/$WASM_TARGET/release/news2_wasm.wasm"
  # wasm-bindgen names its output after the input file.
  cp "$built" "$GENERATED/$name.wasm"
  for target in web nodejs bundler; do
    wasm-bindgen --target "$target" --no-typescript --out-dir "$PKG/$target" "$GENERATED/$name.wasm"
  done
  printf '{ "type": "commonjs" }\n' >"$PKG/nodejs/package.json"
  # wasm-bindgen writes the same module for every target (its glue differs): optimise once.
  for target in web bundler; do
    cmp -s "$PKG/nodejs/${name}_bg.wasm" "$PKG/$target/${name}_bg.wasm" \
      || die "wasm-bindgen wrote different modules for nodejs and $target"
  done
  optimise "$name" "$level"
}

size_report() {
  step "sizes (raw / gzip -9)"
  local f raw gz
  size() { raw=$(wc -c <"$1"); gz=$(gzip -9c "$1" | wc -c); }
  for f in bundler/news2_wasm_bg.wasm web/news2_wasm.js web/index.js api.js \
    bundler/news2_escalation_bg.wasm web/news2_escalation.js web/escalation.js escalation.js; do
    size "$PKG/$f"
    printf '  %-34s %8d B raw %8d B gzip\n' "$f" "$raw" "$gz"
  done
  local total
  for total in "news2-wasm/web:news2_wasm news2_wasm.js index.js api.js" \
    "news2-wasm/escalation/web:news2_escalation news2_escalation.js escalation.js escalation.js"; do
    local label=${total%%:*} files=(${total#*:}) sum_raw=0 sum_gz=0
    for f in "$PKG/bundler/${files[0]}_bg.wasm" "$PKG/web/${files[1]}" "$PKG/web/${files[2]}" "$PKG/${files[3]}"; do
      size "$f"; sum_raw=$((sum_raw + raw)); sum_gz=$((sum_gz + gz))
    done
    [ "$label" = "news2-wasm/escalation/web" ] && { size "$PKG/api.js"; sum_raw=$((sum_raw + raw)); sum_gz=$((sum_gz + gz)); }
    printf '  %-34s %8d B raw %8d B gzip  (what a browser loads: wasm + glue + wrappers)\n' "$label" "$sum_raw" "$sum_gz"
  done
  # The issue's measure: every file a web app loads for one target, both modules (shared api.js once).
  local sum_raw=0 sum_gz=0
  for f in bundler/news2_wasm_bg.wasm web/news2_wasm.js web/index.js api.js \
    bundler/news2_escalation_bg.wasm web/news2_escalation.js web/escalation.js escalation.js; do
    size "$PKG/$f"; sum_raw=$((sum_raw + raw)); sum_gz=$((sum_gz + gz))
  done
  printf '  %-34s %8d B raw %8d B gzip  (target: 60 KB gzip)\n' "whole package (web, both modules)" "$sum_raw" "$sum_gz"
  (cd "$PKG" && npm pack --dry-run --json 2>/dev/null | node -e '
    const [p] = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(`  npm tarball (every target, both modules): ${p.size} B packed, ${p.unpackedSize} B unpacked, ${p.entryCount} files`);
  ') || true
}

build() {
  setup_node
  setup_rust
  setup_wasm_bindgen
  setup_npm
  mkdir -p "$GENERATED"
  rm -rf "$PKG"
  # NEWS2 is the hot path (score() per observation, batches): built for speed.
  bind_module news2_wasm news2 3
  # Escalation is called per alert or command, and its module is the larger: built for size.
  bind_module news2_escalation escalation z
  step "assemble bindings-wasm/pkg"
  node "$CRATE/scripts/assemble.mjs" "$PKG" "$CRATE_VERSION"
  size_report
}

# --- tests ----------------------------------------------------------------------------

run_tests() {
  [ -f "$PKG/package.json" ] || die "bindings-wasm/pkg is not built: run scripts/wasm.sh build"
  setup_node
  setup_npm
  mkdir -p "$GENERATED"

  step "differential data: 100,000 random observations, native results (news2-core)"
  CARGO_TARGET_DIR="$TARGET_BASE/wasmhost" cargo run --release --locked -q -p news2-wasm \
    --example differential -- "$GENERATED/differential" 100000

  step "node:test (golden data, API, errors, entries, differential)"
  NEWS2_WASM_PKG="$PKG" NEWS2_WASM_DIFFERENTIAL="$GENERATED/differential" \
    node --test --test-reporter=spec "$CRATE"/tests/*.test.mjs

  step "tsc --noEmit --strict (consumer file)"
  (cd "$CRATE" && node node_modules/typescript/bin/tsc --noEmit --strict -p tests/types/tsconfig.json)

  step "wasm-bindgen-test in headless Chromium (both modules' exports)"
  apt_install chromium chromium-driver
  setup_rust
  setup_wasm_bindgen
  local profile="$GENERATED/chromium-profile"
  rm -rf "$profile" && mkdir -p "$profile"
  cat >"$GENERATED/webdriver.json" <<EOF
{
  "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=$profile"]
  }
}
EOF
  (cd "$CRATE" && CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON="$GENERATED/webdriver.json" \
    WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    wasm_cargo test --locked -p news2-wasm --all-features --test browser --test browser_escalation)
  rm -rf "$profile"
}

bench() {
  [ -f "$PKG/package.json" ] || die "bindings-wasm/pkg is not built: run scripts/wasm.sh build"
  setup_node
  NEWS2_WASM_PKG="$PKG" node "$CRATE/bench/bench.mjs"
}

case "$MODE" in
  build) build ;;
  test) run_tests ;;
  bench) bench ;;
  all) build; run_tests ;;
esac
step "done ($MODE)"
