#!/usr/bin/env bash
# Installs whatever `make run` / `make test` need and is missing, from the package registries
# only (crates.io, npm, Debian apt). Quick and silent when everything is already there.
#   scripts/setup.sh          toolchain for building and running the app
#   scripts/setup.sh test     ... plus Chromium and the Playwright/conformance node modules
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.11
# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.toml pins it with `=`.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_OPT_MAJOR=132

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The two build tools are compiled from crates.io once. Their run time hardly matters to us (they
# orchestrate cargo and run wasm-bindgen/wasm-opt), so they are built for install time: no
# optimisation, no LTO, many codegen units. Measured on 2 cores: cargo-leptos 4.4 min instead of
# 18-19 with its own fat-LTO release profile, wasm-bindgen-cli 1.7 min instead of 3.5. Brotli is
# the one dependency whose speed shows (precompressing the release WASM), so it stays optimised.
fast_install() {
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
  CARGO_PROFILE_RELEASE_STRIP=true CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install --config 'profile.release.package.brotli.opt-level=3' \
      --config 'profile.release.package.brotli-decompressor.opt-level=3' "$@"
}

# Prints a line every 30 s while a long build runs, so a first run never looks stuck.
with_progress() {
  local label=$1 expected=$2; shift 2
  local started=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    local took=$(( SECONDS - started ))
    if [ $(( took % 30 )) -lt 5 ] && [ "$took" -ge 30 ]; then
      say "$label: still building ($(( took / 60 ))m$(( took % 60 ))s of about $expected)"
    fi
  done
  wait "$pid"
}

if [ "$(cargo-leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "building cargo-leptos $CARGO_LEPTOS_VERSION from crates.io (about 5 minutes on 2 cores, only once)"
  # --ignore-rust-version: some locked dependencies claim rustc 1.96 but build fine on 1.95.
  # no_downloads: fail clearly instead of trying to download tools from GitHub.
  with_progress cargo-leptos "5 minutes" \
    fast_install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io (about 2 minutes, only once)"
  # Not --locked: its lockfile names a webpki-roots release that crates.io does not have.
  with_progress wasm-bindgen-cli "2 minutes" \
    fast_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Tailwind and wasm-opt come from npm. `npm install`, not `npm ci`: npm's lockfile for the
# platform-specific Tailwind packages is never "in sync" for `npm ci`.
if ! ./node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $WASM_OPT_MAJOR" \
   || [ ! -x ./node_modules/.bin/tailwindcss ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing Tailwind and wasm-opt from npm"
  npm install --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "test" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the end-to-end tests"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends chromium
    fi
  fi
  # Schemathesis and the Python standardwebhooks library for the sandbox's API-description
  # conformance (crates/dodo-sandbox/conformance), pinned in its requirements.txt.
  reqs=crates/dodo-sandbox/conformance/requirements.txt
  if [ ! -x target/conformance-venv/bin/schemathesis ] || [ "$reqs" -nt target/conformance-venv/.installed ]; then
    say "installing the API conformance tools from PyPI into target/conformance-venv"
    python3 -m venv target/conformance-venv
    target/conformance-venv/bin/pip install --quiet --disable-pip-version-check -r "$reqs"
    touch target/conformance-venv/.installed
  fi
  for dir in end2end crates/dodo-sandbox/conformance; do
    if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
      say "installing node modules in $dir"
      # Playwright must never download its own browser: Debian's Chromium is used instead.
      (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi
