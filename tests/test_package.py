"""The installable package: an sdist and a wheel built from this checkout, installed into a clean virtual
environment with the pinned runtime, build an office that lives in a folder of its own.

About two minutes (most of it pip installing requirements.lock from its cache); it stays in the
default run because it is what a county office installing Gongkai does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a build reads besides Python modules; each must be inside the wheel.
DATA = ["generator/render/mkdocs.yml", "generator/render/theme/main.html",
        "generator/render/theme/partials/content.html", "generator/render/assets/search.js",
        "generator/render/templates/posters", "generator/render/templates/site", "generator/tools/templates/new",
        "generator/checks/rules/notice_period.py", "generator/schemas/notice.schema.json",
        "generator/schemas/complaint.table.json", "generator/locale/zh_CN/LC_MESSAGES/gongkai.mo"]


def _tracked_files(destination: Path) -> Path:
    """The checkout's files as git would ship them (working-tree versions), without .venv or site/."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def _run(command: list, cwd: Path) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _sdist_tests_run(sdist: Path, folder: Path) -> None:
    """The sdist is a source release: its tests run from it, with its own conftest.py, example county and licence."""
    with tarfile.open(sdist) as archive:
        archive.extractall(folder, filter="data")
    [source] = folder.iterdir()
    for name in ("LICENSE", "CHANGELOG.md", "tests/conftest.py", "tests/site_support.py", "content/county.yaml"):
        assert (source / name).is_file(), f"the sdist lacks {name}"
    where = _run([sys.executable, "-c", "import generator; print(generator.__file__)"], source)
    assert where.startswith(str(source)), where  # the sdist's own code is what its tests test
    _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_validate.py"], source)


def test_wheel_from_sdist_installs_and_builds_an_office_elsewhere(tmp_path):
    source = _tracked_files(tmp_path / "source")
    dist = tmp_path / "dist"
    # The sdist from the checkout, then the wheel from the sdist: both must carry the data. The locked
    # setuptools of this environment builds them (no isolation: nothing unpinned is fetched).
    _run([sys.executable, "-c", "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))",
          dist], source)
    sdist = next(dist.glob("gongkai-*.tar.gz"))
    _sdist_tests_run(sdist, tmp_path / "unpacked")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", dist, sdist], tmp_path)
    wheel = next(dist.glob("gongkai-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    missing = [path for path in DATA if not any(name == path or name.startswith(path + "/") for name in names)]
    assert not missing, f"the wheel lacks {missing}"

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes", "-r", ROOT / "requirements.lock"], tmp_path)
    _run([python, "-m", "pip", "check"], tmp_path)  # the lock is whole: nothing it installs lacks a dependency
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel], tmp_path)

    # The office in a folder of its own (out of the county: its own address and calendar), built from a working
    # directory that is not a checkout.
    office = tmp_path / "county" / "office"
    shutil.copytree(ROOT / "content/offices/rfb", office)
    shutil.copytree(ROOT / "content/calendar", office / "calendar")
    with (office / "office.yaml").open("a", encoding="utf-8") as text:
        text.write("site_url: https://rfb.linhai.example.gov.cn/\n")
    work = tmp_path / "county"
    gongkai = python.with_name("gongkai")
    assert "个错误" in _run([gongkai, "--lang", "zh", "validate", office], work)  # the Chinese catalog came with it
    _run([gongkai, "build", office, "--as-of", "2026-11-25", "--out", "site"], work)
    site = work / "site"
    assert "人民防空办公室" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "search.js").is_file() and (site / "gk-search" / "meta.json").is_file()
    assert list((site / "posters").glob("*.pdf")), "no poster PDFs in the installed build"
    # The licence and the version, in the metadata an installer reads, and the version the changelog names last.
    metadata = _run([python, "-c", "import importlib.metadata as m; print(m.metadata('gongkai').as_string())"], work)
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata
    version = re.search(r"^## (\d+\.\d+\.\d+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M).group(1)
    assert f"Version: {version}\n" in metadata and version != "0.1.0"
    assert _run([gongkai, "--version"], work).strip().endswith(version)
    # Nothing came from the checkout: the installed package is the one that ran.
    location = _run([python, "-c", "import generator, generator.schemas as s; print(generator.__file__, s.__file__)"], work)
    assert str(ROOT) not in location and str(venv) in location
