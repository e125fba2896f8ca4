"""The commands a clerk works with on this computer: the site's preview (serve) and the form editor (editor,
editor-config)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from ..checks.report import render_text
from ..checks.validate import load_content
from ..findings import errors
from ..i18n import ENV, N_, _, language
from .group import AS_OF, OFFICE, main, option, printed_prefix


@main.command(help=N_("Preview the website; it rebuilds whenever a file under the content folder changes."))
@OFFICE
@AS_OF
@option("--port", default=8000, show_default=True, help=N_("Port on 127.0.0.1 for the preview."))
def serve(content_dir: Path, as_of: dt.date, port: int) -> None:
    from ..tools.editor_server import EditorServerError, check_port_free
    from ..tools.serve import AS_OF_ENV, CONTENT_ENV, write_preview_config
    from ..render.site import ENGINE_SETTINGS

    try:
        check_port_free(port)
    except EditorServerError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    config, findings = write_preview_config(content_dir, Path("build"), ENGINE_SETTINGS, as_of)
    if config is None:
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
        click.echo(_("the preview did not start: fix the problems above, then run gongkai serve {content} again")
                   .format(content=content_dir), err=True)
        sys.exit(1)
    # NO_MKDOCS_2_WARNING: the theme's English notice about its own future, which asks nothing of a clerk.
    env = {**os.environ, CONTENT_ENV: str(content_dir.resolve()), AS_OF_ENV: as_of.isoformat(), ENV: language(),
           "NO_MKDOCS_2_WARNING": "1"}
    # --dirty: after a change the engine rebuilds only the pages whose Markdown the hook rewrote (sync_files
    # touches nothing else), so one edited notice does not rebuild ten thousand pages. The price: a new page's
    # entry in the navigation shows on unchanged pages only after a restart; the published build is always whole.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}",
               "-w", str(content_dir)]
    # The server is a child, not an os.execve: on Windows execve splits a path with a space into two arguments.
    # Stopping gongkai stops it too: Ctrl-C reaches both (one console), and a TERM is passed on.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    server = subprocess.Popen(command, env=env)
    try:
        sys.exit(server.wait())
    except KeyboardInterrupt:
        sys.exit(server.wait())
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


def _editor_config(content_dir: Path, as_of: dt.date) -> dict:
    from ..tools.editor import content_folder, editor_config

    content, findings = load_content(content_dir)
    if errors(findings):
        click.echo(render_text(findings, printed_prefix(content_dir)), nl=False)
        click.echo(_("fix these first: a new file is numbered from the existing ones"), err=True)
        sys.exit(1)
    return editor_config(content, content_folder(content_dir), as_of)


def _editor_forge(content_dir: Path):
    """Hosted on Gitea/Forgejo (editor: backend gitea, in county.yaml or a single office's office.yaml) with the
    clerk's token in GONGKAI_FORGE_TOKEN: saves go to the forge as pull requests (editor_forge.py); otherwise into the
    clone."""
    from ..tools.editor import hosted_settings
    from ..tools.editor_forge import TOKEN_ENV, Forge

    settings = hosted_settings(load_content(content_dir)[0])
    if settings.get("backend") != "gitea" or not settings.get("base_url") or not settings.get("repo"):
        return None
    if not os.environ.get(TOKEN_ENV):
        click.echo(_("gongkai: saves go into this clone; to make each save a pull request on {host}, set {env} to a "
                     "token of yours with write access to {repo}").format(host=settings["base_url"], env=TOKEN_ENV,
                                                                         repo=settings["repo"]), err=True)
        return None
    return Forge(settings["base_url"], settings["repo"], os.environ[TOKEN_ENV])


@main.command("editor-config", help=N_("Print the form editor's configuration, written from the schemas and the content."))
@OFFICE
@AS_OF
def editor_config_command(content_dir: Path, as_of: dt.date) -> None:
    import yaml

    click.echo(yaml.safe_dump(_editor_config(content_dir, as_of), allow_unicode=True, sort_keys=False), nl=False)


@main.command(help=N_("Open the form editor on this computer: what you save is written into the content folder,"
                      " to be committed and sent as a pull request as usual."))
@OFFICE
@AS_OF
@option("--port", default=8000, show_default=True, help=N_("Port on 127.0.0.1: open http://127.0.0.1:PORT/admin/."))
@option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False),
        help=N_("Serve the admin/ of this built site (gongkai build's output) instead of making one from the content."))
def editor(content_dir: Path, as_of: dt.date, port: int, site_dir: Path | None) -> None:
    import tempfile

    from ..tools.editor import bundle_files, editor_page, repository_root
    from ..tools.editor_server import EditorServerError, Files, check_port_free, editor_server, require_decap
    from ..publish.write import write_files

    try:  # before anything is made: a clerk hears what to do, not a traceback
        check_port_free(port)
        require_decap()
    except EditorServerError as error:
        click.echo(f"gongkai: {error}", err=True)
        sys.exit(1)
    page = None
    with tempfile.TemporaryDirectory(prefix="gongkai-editor-") as scratch:
        if site_dir is None:
            site_dir = Path(scratch)
            write_files(bundle_files(), site_dir)
            page = lambda: editor_page(content_dir, as_of)  # noqa: E731
        elif not (site_dir / "admin" / "index.html").exists():
            click.echo(_("gongkai: {site} has no form editor (admin/) — build it with `make site`, or leave out --site")
                       .format(site=site_dir), err=True)
            sys.exit(1)
        # closing the window or `kill` stops the editor as Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        forge = _editor_forge(content_dir)
        try:
            server = editor_server(site_dir, Files(repository_root(content_dir), content_dir, forge), port, page)
            click.echo(_("the form editor is at http://127.0.0.1:{port}/admin/ — press Ctrl-C to stop it")
                       .format(port=server.server_address[1]))
            if forge is not None:
                click.echo(_("each save becomes a branch and a pull request on {host}, for the section's reviewers")
                           .format(host=forge.api.removesuffix("/api/v1")))
            server.serve_forever()
        except EditorServerError as error:
            click.echo(f"gongkai: {error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(_("the form editor has stopped; what you saved is in the content folder"))
