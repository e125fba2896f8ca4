"""The `gongkai` command: the only place where findings are printed and exit codes chosen. group.py is Click in the
reader's language and what the commands share; each module beside it holds a group of commands, which it adds to
the one `main` on import."""

from . import editing, publishing, writing  # noqa: F401 - each adds its commands to main
from .group import main

__all__ = ["main"]
