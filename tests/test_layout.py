"""The package's layout is the pipeline: content → checks → render → publish → tools → cli, each stage a
package that imports only the stages before it and the base modules (findings, i18n, normalize) below them
all, no two modules importing each other directly or round a circle, and no module over about 400 lines.

Read from the source (ast), so an import inside a function counts as much as one at the top; each failure
names the file and line of the import, so that the message says what to move."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ["base", "content", "checks", "render", "publish", "tools", "cli"]
MAX_LINES = 400


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_of(package: Path) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def stage_of(module: str) -> str:
    """<package>.<stage>.… for the stage packages; cli and __main__ on top; every other module is base."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return "cli" if parts[1:2] in (["cli"], ["__main__"]) else "base"


def imports(module: str, modules: dict[str, Path]) -> dict[str, int]:
    """The package's modules `module` imports, each with the line of its first import.

    `from . import x` names module x when x is one, else the package; `from .x import y` names x (or x.y,
    when y is a module of its own)."""
    path = modules[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = []
            for alias in node.names:  # import a.b.c: the deepest of a.b.c, a.b, a that is a module
                parts = alias.name.split(".")
                targets += [next((".".join(parts[:n]) for n in range(len(parts), 0, -1)
                                  if ".".join(parts[:n]) in modules), alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *filter(None, [node.module])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            if target in modules and target != module:
                found[target] = min(found.get(target, node.lineno), node.lineno)
    return found


def graph_of(package: Path) -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    modules = modules_of(package)
    return modules, {module: imports(module, modules) for module in modules}


MODULES, GRAPH = graph_of(PACKAGE)


def _where(module: str, modules: dict[str, Path], line: int | None = None) -> str:
    """The module's file as the repository names it (generator/…), and the line when there is one."""
    shown = modules[module].relative_to(modules[module.split(".")[0]].parent.parent)
    return f"{shown}:{line}" if line else str(shown)


def upward_arrows(modules, graph) -> dict[tuple[str, str], str]:
    """Each import from a lower stage to a higher one: (module, target) → `file:line: module (stage) imports target
    (stage)`."""
    return {(module, target): f"{_where(module, modules, line)}: {module} ({stage_of(module)}) imports {target}"
                              f" ({stage_of(target)})"
            for module, targets in graph.items() for target, line in targets.items()
            if STAGES.index(stage_of(target)) > STAGES.index(stage_of(module))}


def circles(modules, graph) -> dict[frozenset, str]:
    """Each import circle once: its modules → the chain of `file:line` imports that closes it."""
    found, done, path = {}, set(), []

    def visit(module: str) -> None:
        if module in path:
            ring = path[path.index(module):] + [module]
            found[frozenset(ring)] = " → ".join(f"{_where(a, modules, graph[a][b])} imports {b}"
                                                for a, b in zip(ring, ring[1:]))
            return
        if module in done:
            return
        path.append(module)
        for target in sorted(graph[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    return found


def long_modules(modules) -> dict[str, str]:
    lines = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in modules.items()}
    return {module: f"{_where(module, modules)}: {count} lines" for module, count in lines.items() if count > MAX_LINES}


def test_the_graph_is_read():
    """The reader itself: the command line imports the build, a rule its package's neighbours, and every stage has
    modules."""
    assert any("generator.publish.build" in GRAPH[module] for module in MODULES if stage_of(module) == "cli")
    assert "generator.i18n" in GRAPH["generator.checks.rules.approvals"]
    assert {stage_of(module) for module in MODULES} == set(STAGES)


def test_no_import_points_up_the_pipeline():
    upward = sorted(upward_arrows(MODULES, GRAPH).values())
    assert not upward, "imports that point up the pipeline (move the shared code down a stage):\n" + "\n".join(upward)


def test_no_import_circle():
    found = sorted(circles(MODULES, GRAPH).values())
    assert not found, "import circles:\n" + "\n".join(found)


def test_no_module_is_over_about_400_lines():
    found = sorted(long_modules(MODULES).values())
    assert not found, (f"modules over {MAX_LINES} lines (split them along a seam that says what each part holds):\n"
                       + "\n".join(found))


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "generator"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


# A small package laid out like the real one, each case with the one import that should (or should not) be caught.
PLANTED = {
    "__init__.py": "",
    "i18n.py": "",
    "content/__init__.py": "",
    "content/load.py": "from ..i18n import _\n",
    "checks/__init__.py": "",
    "checks/rules/__init__.py": "",
    "render/__init__.py": "",
    "render/site.py": "from ..content import load\n",
    "publish/__init__.py": "",
    "publish/gate.py": "",
}


@pytest.mark.parametrize("name, text, expected", [
    ("checks/rules/dead_link.py", "from ...render.site import x\n",
     "generator/checks/rules/dead_link.py:1: generator.checks.rules.dead_link (checks) imports generator.render.site (render)"),
    ("checks/report.py", "import json\n\n\ndef f():\n    from ..publish import gate\n",
     "generator/checks/report.py:5: generator.checks.report (checks) imports generator.publish.gate (publish)"),
    ("content/county.py", "import generator.render.site as site\n",
     "generator/content/county.py:1: generator.content.county (content) imports generator.render.site (render)"),
    ("checks/check.py", "from generator.content.load import x\nfrom ..i18n import _\n", None),
])
def test_a_planted_upward_import_is_named_with_its_file_and_line(tmp_path, name, text, expected):
    modules, graph = graph_of(_package(tmp_path, {**PLANTED, name: text}))
    assert list(upward_arrows(modules, graph).values()) == ([expected] if expected else [])


@pytest.mark.parametrize("files, expected", [
    ({"content/a.py": "from . import b\n", "content/b.py": "\n\nfrom .a import x\n"},
     ["generator/content/a.py:1 imports generator.content.b → generator/content/b.py:3 imports generator.content.a"]),
    ({"content/a.py": "from .b import x\n", "content/b.py": "def f():\n    from .c import y\n",
      "content/c.py": "from . import a\n"},
     ["generator/content/a.py:1 imports generator.content.b → generator/content/b.py:2 imports generator.content.c"
      " → generator/content/c.py:1 imports generator.content.a"]),
    ({"content/a.py": "from .b import x\n", "content/b.py": "from .c import y\n", "content/c.py": ""}, []),
])
def test_a_planted_circle_is_named(tmp_path, files, expected):
    modules, graph = graph_of(_package(tmp_path, {**PLANTED, **files}))
    assert list(circles(modules, graph).values()) == expected


def test_a_long_module_is_named(tmp_path):
    modules = modules_of(_package(tmp_path, {**PLANTED, "render/site.py": "x = 1\n" * (MAX_LINES + 1)}))
    assert list(long_modules(modules).values()) == [f"generator/render/site.py: {MAX_LINES + 1} lines"]

