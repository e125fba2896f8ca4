"""Loaded by `mkdocs serve` as a hook file (by path, outside the package), so it only re-exports."""

from generator.tools.serve import on_post_build, on_post_page, on_post_template, on_pre_build, on_startup  # noqa: F401
