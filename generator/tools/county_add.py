"""`gongkai county add-office`: a single office's content folder moved into a county as offices/<id>/.

The move is one `git mv` when the office and the county are in the same git
repository, so the office's history follows its files; otherwise the folder
is moved. What a single office kept for itself and the county now holds is
settled on the way: its holiday calendars go to the county's calendar/ (or
are dropped where the county has the same year already), and the editor
hints at the top of each file (`# yaml-language-server: $schema=…`) are
pointed at the schemas from the new place. Its site_url and registration
lines are left for the clerk to delete: validate names them, line by line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..content.county import COUNTY_FILE, OFFICES, RESERVED, county_root_of, is_county, office_id_allowed
from ..content.load import CONTENT_SUFFIXES, load_yaml, read_text
from ..findings import ContentError
from ..i18n import _
from .scaffold import schema_reference

SCHEMA_HINT = re.compile(r"^(#[ \t]*yaml-language-server:[ \t]*\$schema=)(\S*?)([\w.-]+\.schema\.json)(?=[ \t\r]*$)",
                         re.M)


class AddRefused(Exception):
    """The office cannot be moved in as asked; the message says why and what to give instead."""


def add_office(office_dir: Path, county_dir: Path, office_id: str | None = None) -> tuple[Path, list[str]]:
    """Move office_dir to county_dir/offices/<id>/; the office's new folder and what was done, one line each."""
    office_dir, county_dir = Path(office_dir), Path(county_dir)
    office_id = office_id or office_dir.resolve().name
    target = county_dir / OFFICES / office_id
    _refuse(office_dir, county_dir, office_id, target)
    target.parent.mkdir(exist_ok=True)
    done = [_("moved {path} to {target}{how}").format(path=office_dir.as_posix(), target=target.as_posix(),
                                                       how=_move(office_dir, target))]
    done += _hand_over_calendars(target, county_dir)
    done += _point_schema_hints(target)
    return target, done


def _refuse(office_dir: Path, county_dir: Path, office_id: str, target: Path) -> None:
    if not is_county(county_dir):
        raise AddRefused(_("{county} has no {file}: give the county's folder, e.g. content")
                         .format(county=county_dir.as_posix(), file=COUNTY_FILE))
    if not (office_dir / "office.yaml").is_file():
        raise AddRefused(_("{office} has no office.yaml: give the content folder of the office to move in")
                         .format(office=office_dir.as_posix()))
    if county_root_of(office_dir) or office_dir.resolve() in (county_dir.resolve(), *county_dir.resolve().parents):
        raise AddRefused(_("{office} is already part of a county's folder").format(office=office_dir.as_posix()))
    if (office_dir / ".git").exists():  # its history would be moved into the county's repository as a nested one
        raise AddRefused(_("{office} is the root of a git repository of its own: copy its files into a folder without"
                           " .git and give that folder").format(office=office_dir.as_posix()))
    # `content`, the default id of a single office's usual folder, would say nothing of the office in its address
    if not office_id_allowed(office_id) or office_id == "content":
        raise AddRefused(_("'{id}' cannot be the office's id: it becomes its folder and web address — give --id with "
                           "2 to 32 lowercase letters, digits and hyphens, starting with a letter (e.g. the office's "
                           "initials in pinyin, rfb), and none of: {reserved}")
                         .format(id=office_id, reserved=", ".join(sorted(RESERVED))))
    if target.exists():
        raise AddRefused(_("the county has an office '{id}' already ({target}) — give another --id")
                         .format(id=office_id, target=target.as_posix()))
    _refuse_unreadable(office_dir)


def _refuse_unreadable(office_dir: Path) -> None:
    """Every content file is read before anything moves: a file saved in GBK or UTF-16, or named .MD, is named now,
    not after the folder has moved."""
    for path in sorted(office_dir.rglob("*")):
        if path.suffix.lower() not in CONTENT_SUFFIXES or not path.is_file():
            continue
        name = path.as_posix()
        if path.suffix != path.suffix.lower():
            raise AddRefused(_("{file}: the file's extension {suffix} is in capitals, so the file is not read — rename it"
                               " to {name}, then run this again").format(file=name, suffix=path.suffix,
                                                                        name=path.stem + path.suffix.lower()))
        try:
            read_text(path)
        except ContentError as error:
            raise AddRefused(f"{name}:{error.line}: {error.message} — {error.hint}" + _("; nothing was moved")) from None


def _move(source: Path, target: Path) -> str:
    """source renamed to target: by `git mv` when both are in one repository and git knows the files."""
    root = _git_root(source if source.is_dir() else source.parent)
    if root is not None and root == _git_root(target.parent):
        moved = subprocess.run(["git", "-C", str(root), "mv", str(source.resolve()), str(target.resolve())],
                               capture_output=True, text=True)
        if moved.returncode == 0:
            return " (git mv)"
    shutil.move(str(source), str(target))
    return ""


def _git_root(path: Path) -> Path | None:
    result = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(result.stdout.strip()).resolve() if result.returncode == 0 else None


def _hand_over_calendars(office: Path, county_dir: Path) -> list[str]:
    """The county's calendar/ is every office's: a year the county lacks moves there; a year it has stays the
    county's, and the office's copy goes if it says the same, or is named for the clerk to settle if not."""
    done = []
    for path in sorted((office / "calendar").glob("*.yaml")):
        shared = county_dir / "calendar" / path.name
        if not shared.exists():
            shared.parent.mkdir(exist_ok=True)
            done.append(_("moved {path} to {target}{how}").format(path=path.as_posix(), target=shared.as_posix(),
                                                                 how=_move(path, shared)))
        elif _same_calendar(path, shared):
            _remove(path)
            done.append(_("removed {file}: {target} says the same").format(file=path.as_posix(),
                                                                            target=shared.as_posix()))
        else:
            done.append(_("{file} differs from {target}, the county's calendar for every office: keep the right one in "
                          "{target} and delete {file}").format(file=path.as_posix(), target=shared.as_posix()))
    if (office / "calendar").is_dir() and not any((office / "calendar").iterdir()):
        (office / "calendar").rmdir()
    return done


def _same_calendar(one: Path, other: Path) -> bool:
    try:
        return load_yaml(one, one.name).data == load_yaml(other, other.name).data
    except Exception:  # noqa: BLE001 - a calendar that does not load is not the same; validate says why
        return False


def _remove(path: Path) -> None:
    root = _git_root(path.parent)
    if root is None or subprocess.run(["git", "-C", str(root), "rm", "--quiet", "--force", str(path.resolve())],
                                      capture_output=True).returncode != 0:
        path.unlink()


def _point_schema_hints(office: Path) -> list[str]:
    """Each file's `$schema=` hint from its new place, where the schemas it names are found from there; the clerk is
    told of the hints left as they were, as README and the content guide say they are pointed."""
    fixed, kept = [], []
    for path in sorted(p for p in office.rglob("*") if p.suffix in (".yaml", ".yml", ".md") and p.is_file()):
        text = read_text(path)  # read before the move (_refuse_unreadable)
        rel = path.relative_to(office).as_posix()

        def point(match: re.Match) -> str:
            name = match.group(3)
            reference = schema_reference(office, rel, name)
            if (path.parent / reference).is_file():
                return match.group(1) + reference
            kept.append(rel)
            return match.group(0)

        new = SCHEMA_HINT.sub(point, text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            fixed.append(rel)
    done = []
    if fixed:
        done.append(_("pointed the $schema hints of {count} file(s) at the schemas from their new place")
                    .format(count=len(fixed)))
    if kept:
        done.append(_("left the $schema hints of {count} file(s) as they were: no schemas/ folder was found above {office}"
                      " (a county's repository copied from Gongkai has one); they only help an editor complete the"
                      " fields, validate and check do not need them").format(count=len(kept), office=office.as_posix()))
    return done
