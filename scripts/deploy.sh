#!/usr/bin/env bash
# Copies the built site to the office's own web server: the deploy of the Forgejo/Gitea publish workflow
# (.forgejo/workflows/), or of anyone publishing without GitHub Pages. `make deploy` runs it.
#   DEPLOY_TO           a folder on this machine (a runner on the web server itself), e.g. /var/www/gongkai,
#                       or user@host:/var/www/gongkai, reached with rsync over ssh;
#   DEPLOY_SSH_KEY      for ssh: the private key (the workflow's secret of that name);
#   DEPLOY_KNOWN_HOSTS  for ssh: the server's line from `ssh-keyscan host` (no key is trusted on first sight).
# rsync --delay-updates puts the new files in place at the end, and --delete removes pages that are gone.
#
# `deploy.sh --check site` (make deploy-check) then asks the web server itself, at DEPLOY_URL (the site's public
# address as this machine reaches it), for the home page and the 404 page, and fails unless they are this
# build's: a copy that went somewhere the server does not serve (a runner's throwaway container) is an error,
# not a green job.
set -euo pipefail
if [ "${1:-}" = --check ]; then
  site=${2:-site}
  url=${DEPLOY_URL:-}
  if [ -z "$url" ]; then
    echo "deploy: DEPLOY_URL is not set — set it to the site's address as the runner reaches it (e.g. http://127.0.0.1/)," \
         "so that the deploy is checked on the web server itself" >&2
    exit 1
  fi
  for page in index.html 404.html; do
    if ! curl --silent --show-error --fail --max-time 30 "${url%/}/$page" | cmp --silent - "$site/$page"; then
      echo "deploy: ${url%/}/$page is not the $page just built — the web server does not serve the folder the site was" \
           "copied to (DEPLOY_TO), or the copy failed; see the README, \"On Gitea or Forgejo\"" >&2
      exit 1
    fi
  done
  echo "the web server at $url serves this build"
  exit 0
fi
site=${1:-site}
target=${DEPLOY_TO:-}
if [ -z "$target" ]; then
  echo "deploy: DEPLOY_TO is not set — set it to the web root (e.g. /var/www/gongkai or user@host:/var/www/gongkai)" >&2
  exit 1
fi
if [ ! -f "$site/index.html" ] || [ ! -f "$site/404.html" ]; then
  echo "deploy: $site/ holds no built site — run make site first" >&2
  exit 1
fi
options=(--archive --delete --delay-updates --checksum)
if [[ "$target" == *:* ]]; then
  if [ -z "${DEPLOY_SSH_KEY:-}" ] || [ -z "${DEPLOY_KNOWN_HOSTS:-}" ]; then
    echo "deploy: $target is reached over ssh — set the secret DEPLOY_SSH_KEY and the variable DEPLOY_KNOWN_HOSTS" >&2
    exit 1
  fi
  keys=$(mktemp -d)
  trap 'rm -rf "$keys"' EXIT
  (umask 077 && printf '%s\n' "$DEPLOY_SSH_KEY" > "$keys/id" && printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > "$keys/known_hosts")
  rsync "${options[@]}" -e "ssh -i $keys/id -o UserKnownHostsFile=$keys/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes" \
    "$site/" "$target/"
else
  mkdir -p "$target"
  rsync "${options[@]}" "$site/" "$target/"
fi
echo "deployed $site/ to $target"
