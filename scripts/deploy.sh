#!/usr/bin/env bash
# Copies the built site to the office's own web server: the deploy of the Forgejo/Gitea publish workflow
# (.forgejo/workflows/), or of anyone publishing without GitHub Pages. `make deploy` runs it.
#   DEPLOY_TO           the web root, a folder of the site's own: on this machine (a runner on the web server
#                       itself), e.g. /var/www/gongkai, or user@host:/var/www/gongkai, reached with rsync over ssh;
#   DEPLOY_SSH_KEY      for ssh: the private key (the workflow's secret of that name);
#   DEPLOY_KNOWN_HOSTS  for ssh: the server's line from `ssh-keyscan host` (no key is trusted on first sight).
# rsync --delay-updates puts the new files in place at the end, and --delete removes pages that are gone.
#
# --delete removes everything in DEPLOY_TO that the site does not have, so a DEPLOY_TO that is not the site's
# own folder would lose its files (the other sites of /var/www, a checkout with its .git). The first deploy
# therefore goes only into a new or empty folder, and leaves the file .gongkai-deployed there (nginx serves no
# dot file); later deploys go only into a folder holding it. /, a home folder, the checkout and the built
# site, and any folder inside or around them, are refused outright.
#
# `deploy.sh --check site` (make deploy-check) then asks the web server itself, at DEPLOY_URL (the site's public
# address as this machine reaches it), for the home page and the 404 page, and fails unless they are this
# build's: a copy that went somewhere the server does not serve (a runner's throwaway container) is an error,
# not a green job.
set -euo pipefail
MARKER=.gongkai-deployed
MARKER_TEXT="The web root of a Gongkai site: make deploy (scripts/deploy.sh) replaces all it holds with the site."

if [ "${1:-}" = --check ]; then
  site=${2:-site}
  url=${DEPLOY_URL:-}
  if [ -z "$url" ]; then
    echo "deploy: DEPLOY_URL is not set — set it to the site's address as the runner reaches it (e.g. http://127.0.0.1/)," \
         "so that the deploy is checked on the web server itself" >&2
    exit 1
  fi
  errors=$(mktemp)
  trap 'rm -f "$errors"' EXIT
  for page in index.html 404.html; do
    address="${url%/}/$page"
    if ! status=$(curl --silent --show-error --max-time 30 --output /dev/null --write-out '%{http_code}' "$address" \
                  2>"$errors"); then
      echo "deploy: nothing answered at $address ($(cat "$errors")) — is the web server running, and does DEPLOY_URL" \
           "name this machine and the port nginx listens on?" >&2
      exit 1
    fi
    if ! curl --silent --fail --max-time 30 "$address" | cmp --silent - "$site/$page"; then
      echo "deploy: $address answered (HTTP $status), but not with the $page just built. Either another server" \
           "block answered (nginx's default site, or one whose server_name matches that address: put the site's" \
           "server_name in DEPLOY_URL, or make its block the default_server of its port), or that block's root is" \
           "not the folder the site was copied to (DEPLOY_TO), or the copy went somewhere this web server does not" \
           "see; see the README, \"Serving the site from the office's own web server\"" >&2
      exit 1
    fi
  done
  echo "the web server at $url serves this build"
  exit 0
fi

site=${1:-site}
target=${DEPLOY_TO:-}
if [ -z "$target" ]; then
  echo "deploy: DEPLOY_TO is not set — set it to the site's own web root (e.g. /var/www/gongkai or" \
       "user@host:/var/www/gongkai)" >&2
  exit 1
fi
if [ ! -f "$site/index.html" ] || [ ! -f "$site/404.html" ]; then
  echo "deploy: $site/ holds no built site — run make site first" >&2
  exit 1
fi

refuse() {  # the arguments: why; the rest of the message is the same for every refusal
  echo "deploy: refused DEPLOY_TO=$target: $*. A deploy deletes everything in its folder that the site does not" \
       "have, so the site needs a folder of its own: a new or empty one (e.g. /var/www/gongkai), which nginx's" \
       "root then names. Nothing was copied or deleted." >&2
  exit 1
}

# within A B: A is B or a folder inside it.
within() { [ "$1" = "$2" ] || [ "$2" = / ] || [[ "$1" == "$2"/* ]]; }

# Refused when the web root is the folder named, lies inside it or holds it.
refuse_around() {  # $1: the web root, $2: what the folder is, $3: the folder
  if [ "$1" = "$3" ]; then refuse "it is $2 $3"
  elif within "$1" "$3"; then refuse "it lies inside $2 $3"
  elif within "$3" "$1"; then refuse "it holds $2 $3"
  fi
}

# The folder holds nothing, or an earlier deploy's marker; anything else is someone else's.
check_contents() {  # $1: the folder as DEPLOY_TO names it, $2: where to mark it; stdin: its entries, one a line
  local names others
  names=$(grep -v -x -F -e . -e .. || true)
  if [ -z "$names" ] || grep -q -x -F "$MARKER" <<<"$names"; then
    return 0
  fi
  others=$(head -n 5 <<<"$names" | paste -s -d ' ')
  [ "$(wc -l <<<"$names")" -le 5 ] || others+=" …"
  refuse "$1 holds files that no Gongkai deploy put there ($others): it is not empty, and has no $MARKER, which" \
         "every deploy leaves in its folder (if it does hold only this site, deployed before deploys marked their" \
         "folder, mark it once: $2)"
}

options=(--archive --delete --delay-updates --checksum --filter "protect /$MARKER")
if [[ "$target" == *:* ]]; then
  if [ -z "${DEPLOY_SSH_KEY:-}" ] || [ -z "${DEPLOY_KNOWN_HOSTS:-}" ]; then
    echo "deploy: $target is reached over ssh — set the secret DEPLOY_SSH_KEY and the variable DEPLOY_KNOWN_HOSTS" >&2
    exit 1
  fi
  folder=${target#*:}
  while [[ "$folder" == */ && "$folder" != / ]]; do folder=${folder%/}; done
  case "$folder" in
    "" | . | "~" | /) refuse "that is the remote user's home folder or the server's /" ;;
  esac
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (umask 077 && printf '%s\n' "$DEPLOY_SSH_KEY" > "$work/id" && printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > "$work/known_hosts")
  ssh="ssh -i $work/id -o UserKnownHostsFile=$work/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes"
  remote="${target%%:*}:$folder"
  # rsync's own listing, which a key restricted to rsync (rrsync) may still run; a name is what follows the
  # permissions, size, date and time.
  if listing=$(rsync --list-only -e "$ssh" "$remote/" 2>"$work/error"); then
    check_contents "$remote" "on ${remote%%:*}, touch $folder/$MARKER" \
      < <(sed -E 's/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ //' <<<"$listing")
  elif ! grep -q 'No such file or directory' "$work/error"; then
    echo "deploy: could not list $remote over ssh: $(cat "$work/error")" >&2
    exit 1
  fi
  mkdir "$work/marker"
  printf '%s\n' "$MARKER_TEXT" > "$work/marker/$MARKER"
  rsync --archive -e "$ssh" "$work/marker/" "$remote/"
  rsync "${options[@]}" -e "$ssh" "$site/" "$remote/"
else
  resolved=$(realpath -m -- "$target")
  [ "$resolved" != / ] || refuse "that is the whole file system"
  homes=("${HOME:-}")
  if [ -n "${SUDO_USER:-}" ]; then homes+=("$(getent passwd "$SUDO_USER" | cut -d: -f6)"); fi
  for home in "${homes[@]}"; do
    # A folder inside a home folder may be the site's own; the home folder itself, or one holding it, is not.
    if [ -n "$home" ] && within "$(realpath -m -- "$home")" "$resolved"; then
      refuse "it is or holds the home folder $home"
    fi
  done
  # The checkout this script belongs to (through a link to scripts/ too) and the git repository make runs in.
  here=$(dirname -- "${BASH_SOURCE[0]}")/..
  checkouts=("$(realpath -m -- "$here")" "$(realpath -m -s -- "$here")")
  if top=$(git rev-parse --show-toplevel 2>/dev/null); then checkouts+=("$top"); fi
  for checkout in "${checkouts[@]}"; do
    refuse_around "$resolved" "the checkout" "$checkout"
  done
  refuse_around "$resolved" "the built site" "$(realpath -m -- "$site")"
  if [ -e "$resolved" ] && [ ! -d "$resolved" ]; then
    refuse "$resolved is a file, not a folder"
  fi
  if [ -d "$resolved" ]; then
    check_contents "$resolved" "touch $resolved/$MARKER" < <(ls -A -- "$resolved")
  fi
  mkdir -p -- "$resolved"
  printf '%s\n' "$MARKER_TEXT" > "$resolved/$MARKER"
  rsync "${options[@]}" "$site/" "$resolved/"
fi
echo "deployed $site/ to $target"
