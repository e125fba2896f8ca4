"""The form editor on Gitea or Forgejo: each save a branch of its own and a pull request, never a commit to main.

Decap's Gitea backend has no editorial workflow: what a clerk saves in the published editor is committed straight
to the branch it names. So on Gitea/Forgejo the clerk's own `gongkai editor` publishes instead: it keeps every
safeguard of the local mode (editor_server.py) and, where the local mode writes into the clone, it asks the forge
(API v1, Gitea ≥ 1.20, Forgejo ≥ 1.20) to make a new branch off the base branch holding the saved files
(`POST /repos/{repo}/contents` with `new_branch`, one commit) and opens a pull request from it (`POST
/repos/{repo}/pulls`), which the section's reviewers approve as any other. The files are merged into the text they
have on the base branch (`GET /repos/{repo}/contents/{path}`), as the local mode merges into the clone's.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from ..i18n import _

TOKEN_ENV = "GONGKAI_FORGE_TOKEN"
BRANCH_PREFIX = "wangye-bianji/"


class ForgeError(Exception):
    """The forge did not do what was asked; the message says what to do."""


class Forge:
    def __init__(self, base_url: str, repo: str, token: str, base: str = "main"):
        self.api = base_url.rstrip("/") + "/api/v1"
        self.repo = repo
        self.token = token
        self.base = base

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        request = urllib.request.Request(f"{self.api}/repos/{self.repo}{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode("utf-8"),
                                         headers={"Authorization": f"token {self.token}", "Accept": "application/json",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, None
        except OSError as error:
            raise ForgeError(_("the code host {host} cannot be reached ({detail}) — check the network, then save again")
                             .format(host=self.api, detail=error)) from None

    def original(self, rel: str) -> tuple[str | None, str | None]:
        """The file's text on the base branch and its blob id; (None, None) where it does not exist."""
        status, answer = self._call("GET", f"/contents/{urllib.parse.quote(rel)}?ref={urllib.parse.quote(self.base)}")
        if status == 404:
            return None, None
        if status != 200 or not isinstance(answer, dict):
            raise ForgeError(self._refused(status))
        return base64.b64decode(answer.get("content") or "").decode("utf-8"), answer.get("sha")

    def propose(self, files: list[tuple[str, bytes, str | None]], title: str) -> str:
        """One commit on a new branch off the base branch and a pull request from it; returns the pull request's
        address. `files`: (path in the repository, new content, blob id of the file it replaces or None)."""
        branch = f"{BRANCH_PREFIX}{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        status, _answer = self._call("POST", "/contents", {
            "branch": self.base, "new_branch": branch, "message": title,
            "files": [{"operation": "update" if sha else "create", "path": rel,
                       "content": base64.b64encode(data).decode("ascii"), **({"sha": sha} if sha else {})}
                      for rel, data, sha in files]})
        if status not in (200, 201):
            raise ForgeError(self._refused(status))
        status, answer = self._call("POST", "/pulls", {
            "base": self.base, "head": branch, "title": title,
            "body": _("Saved in the form editor; the checks and the section's reviewers decide whether it is "
                      "published.")})
        if status not in (200, 201) or not isinstance(answer, dict):
            raise ForgeError(self._refused(status))
        return str(answer.get("html_url") or answer.get("url") or "")

    def _refused(self, status: int) -> str:
        if status in (401, 403):
            return _("the code host refused the token (HTTP {status}) — create a token with write access to the "
                     "repository and set it in {env}").format(status=status, env=TOKEN_ENV)
        return _("the code host answered HTTP {status} — save again; if it persists, send this message to your "
                 "technician").format(status=status)
