#!/usr/bin/env bash
# Installs what the generator, the SDK build and the tests need on Debian 12,
# skipping whatever is already there. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: C toolchain and libraries, and the wasm32-wasi toolchain.
packages=(
  cmake make gcc g++ pkg-config python3 python3-pip
  libcmocka-dev libjson-c-dev
  clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go: the local host (host/) is built with the Go toolchain of the machine.
if ! command -v go >/dev/null 2>&1; then
  echo "setup: the Go toolchain (1.25 or newer) is needed for host/ and is not on PATH" >&2
  exit 1
fi

# Python packages, pinned.
if ! python3 - <<'PY' 2>/dev/null
import importlib.metadata as md, re, sys
for line in open("requirements.txt"):
    line = line.split("#")[0].strip()
    if line:
        name, version = re.split("==", line)
        if md.version(name) != version:
            sys.exit(1)
PY
then
  echo "setup: installing Python packages from requirements.txt"
  python3 -m pip install -q -r requirements.txt 2>/dev/null \
    || python3 -m pip install -q --break-system-packages -r requirements.txt
fi
