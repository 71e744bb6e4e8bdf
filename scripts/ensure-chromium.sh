#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it when missing (never a downloaded browser).
# Needs no sudo when Chromium is there. Without it and without root (or passwordless sudo), the
# browser tests are skipped with a message, except under CI=true, where a missing browser fails.
set -uo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "Chromium is missing at $CHROMIUM and could not be installed: CI needs the browser tests." >&2
    exit 1
  fi
  echo "Chromium is missing at $CHROMIUM and cannot be installed here ($1):" \
    "the browser tests will be skipped. Install it with \`sudo apt-get install chromium\`" \
    "(or set CHROMIUM_PATH) to run them."
  exit 0
}

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  missing "not root, and no sudo without a password"
fi
echo "Chromium is missing: installing Debian's chromium package for the browser tests."
if ! { $SUDO apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
  missing "apt-get failed"
fi
[ -x "$CHROMIUM" ] || missing "the package put no browser at $CHROMIUM"
