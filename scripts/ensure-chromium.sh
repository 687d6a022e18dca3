#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when we can (root, apt); otherwise say so.
# Under CI=true a missing browser makes the browser tests fail, never skip.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "warning: chromium is not installed; browser tests will be skipped (they fail under CI=true)." >&2
echo "         install it with: sudo apt-get install chromium" >&2
