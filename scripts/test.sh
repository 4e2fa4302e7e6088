#!/usr/bin/env bash
# The one test command (README, .ci/run). Installs what it needs, each step only when it is
# missing, then runs every test: Rust, Python, WASM and the browser. Exits non-zero on the
# first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
started=$SECONDS
section() { printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"; }

section "golden cases are exactly what testdata/generate.py writes"
python3 testdata/generate.py --check

section "rustfmt"
cargo fmt --all --check

section "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

section "rustdoc (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

section "news2-core builds without std, with and without serde"
cargo build -p news2-core --no-default-features --locked
cargo build -p news2-core --no-default-features --features serde --locked

section "Rust tests (unit, golden, property, integration, doc)"
cargo test --workspace --all-features --locked

section "benchmarks run once each (criterion test mode, smaller escalation board)"
ESCALATION_BENCH_N=20000 cargo test -p news2-benches --benches --locked

section "WASM package: build, Node tests, strict TypeScript, headless Chromium, differential"
scripts/wasm.sh

section "Python package: build into .venv, pytest (golden, batch equivalence, pandas/polars/pyarrow, Spark, Dask)"
scripts/python.sh

section "dashboard end to end: the release server driven by headless Chromium"
scripts/e2e.sh

section "all tests passed"
