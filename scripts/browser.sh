#!/usr/bin/env bash
# Install Debian's Chromium for the studio's browser tests (idempotent, non-interactive).
# Playwright drives this system browser (executable_path=/usr/bin/chromium); it never
# downloads its own, so `playwright install` is not needed and must not be run offline.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

if [ -x /usr/bin/chromium ]; then
  echo "==> chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown)"
  exit 0
fi
echo "==> installing chromium"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "==> chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown)"
