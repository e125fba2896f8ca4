"""The engine builds as of a fixed day and the as-of date is written in after (publish/asof.py): what is swapped, and
where a build keeps the as-of date itself because the fixed day could not be told apart."""

from __future__ import annotations

import datetime as dt
import gzip

from generator.publish import asof

DAY = dt.date(2025, 10, 20)


def test_every_spelling_of_the_as_of_date_is_swapped_and_other_dates_are_not():
    docs = {"guide/catalog.md": "截至 2025年10月20日，下次 2025年10月21日。".encode(),
            "feed.xml": b"<lastBuildDate>Mon, 20 Oct 2025 00:00:00 +0800</lastBuildDate><x>2025-10-2</x>",
            "data/datapackage.json": b'{"created":"2025-10-20T00:00:00+08:00"}', "assets/logo.png": b"2025-10-20"}
    undated = asof.undated(docs, b"site_name: x", DAY)
    assert undated == {"guide/catalog.md": "截至 1970年1月1日，下次 2025年10月21日。".encode(),
                       "feed.xml": b"<lastBuildDate>Thu, 01 Jan 1970 00:00:00 +0800</lastBuildDate><x>2025-10-2</x>",
                       "data/datapackage.json": b'{"created":"1970-01-01T00:00:00+08:00"}',
                       "assets/logo.png": b"2025-10-20"}  # an image is not text


def test_input_that_holds_the_fixed_year_or_names_a_file_by_the_date_keeps_the_date_itself():
    assert asof.undated({"regulations/a.md": "1970年制定。".encode()}, b"", DAY) is None
    assert asof.undated({"notices/2025-10-20.md": b"x"}, b"", DAY) is None  # a link to it would be swapped too
    assert asof.undated({"a.md": b"x"}, b"copyright: 1970", DAY) is None


def test_the_date_is_written_into_a_copy_whose_unchanged_files_are_links_and_whose_gz_follows(tmp_path):
    built, site = tmp_path / "built", tmp_path / "site"
    (built / "guide").mkdir(parents=True)
    (built / "guide/index.html").write_bytes("截至 1970年1月1日".encode())
    (built / "sitemap.xml").write_bytes(b"<lastmod>1970-01-01</lastmod>")
    (built / "sitemap.xml.gz").write_bytes(gzip.compress(b"<lastmod>1970-01-01</lastmod>"))
    (built / "index.html").write_bytes(b"no date")
    assert asof.dated(built, site, DAY)
    assert (site / "guide/index.html").read_bytes() == "截至 2025年10月20日".encode()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == b"<lastmod>2025-10-20</lastmod>"
    assert (site / "index.html").stat().st_ino == (built / "index.html").stat().st_ino
    assert (built / "sitemap.xml").read_bytes() == b"<lastmod>1970-01-01</lastmod>"  # the kept output is untouched


def test_output_that_spells_the_fixed_day_some_other_way_is_refused(tmp_path):
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_bytes(b"1970-01-01, built January 1, 1970")
    assert not asof.dated(built, tmp_path / "site", DAY)
