"""MkDocs writing only some pages of a section, whose other pages are kept from an earlier build (section.py).

A changed notice changes the Markdown of a few pages (the notice, the lists
that name it, the home page), and a page of MkDocs is made from its own
Markdown, the navigation and the settings alone. Run as
`python -m generator.publish.some_pages -f mkdocs.yml PAGES.json`, this is
`mkdocs build --strict --quiet` that writes only the pages PAGES.json names (docs
paths), the theme's templates (404, sitemap) and the static files: it reads
every page of the navigation (their titles are the navigation's) and the
named ones, and no other. section.engine_site places what it writes over
the earlier output; a test compares the result with a whole build's.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort


def build_pages(config_file: str, pages: set[str]) -> None:
    populate, write = mkdocs_build._populate_page, mkdocs_build._build_page

    def populate_some(page, config, files, dirty=False):
        if page.file.src_uri in pages or page.file.inclusion.is_in_nav():
            populate(page, config, files)

    def write_some(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if page.file.src_uri in pages:
            write(page, config, doc_files, nav, env, excluded=excluded)

    mkdocs_build._populate_page, mkdocs_build._build_page = populate_some, write_some
    # As `mkdocs build --strict --quiet` (engine.engine_command), whose logger passes errors only: strict mode never
    # sees a warning (an absolute link such as /xmsy/services/…/ is one), and nor does it here.
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    logger.addHandler(logging.StreamHandler())
    config = load_config(config_file, strict=True)
    config.plugins.on_startup(command="build", dirty=True)
    try:
        mkdocs_build.build(config, dirty=True)  # dirty: the site folder is not emptied first
    finally:
        config.plugins.on_shutdown()


if __name__ == "__main__":
    try:
        build_pages(sys.argv[2], set(json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))))
    except Abort as error:
        print(error, file=sys.stderr)
        sys.exit(1)
