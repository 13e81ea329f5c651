"""The package ZIP holds every entry under a clean UTF-8 name, and streams large files.

No name can leave the archive's folder ("../x", "/etc/x"), carry control characters or exceed
120 characters a segment; Chinese is kept. A file is copied a mebibyte at a time, never read
whole; the folders of the spaces sort in rank order.
"""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest

from filing.documents.package import (
    CHUNK_SIZE,
    MAX_SEGMENT,
    UTF8_FLAG,
    build_zip,
    clean_path,
    folder_name,
)


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def zipped(entries, **kwargs) -> bytes:
    out = io.BytesIO()
    build_zip(entries, out, **kwargs)
    return out.getvalue()


def test_the_zip_holds_bytes_files_on_disk_and_open_files(tmp_path):
    on_disk = tmp_path / "申报书.pdf"
    on_disk.write_bytes(b"%PDF-1.7 application")
    stream = io.BytesIO(b"header-skipped|scan")
    stream.read(len(b"header-skipped|"))  # read from where the stream stands
    data = zipped(
        [
            ("推荐函.docx", b"letter"),
            ("01_智慧家庭专业化众创空间/申报书.pdf", on_disk),
            ("01_智慧家庭专业化众创空间/营业执照.pdf", str(on_disk)),
            ("01_智慧家庭专业化众创空间/扫描件.jpg", stream),
        ]
    )
    assert read_zip(data) == {
        "推荐函.docx": b"letter",
        "01_智慧家庭专业化众创空间/申报书.pdf": b"%PDF-1.7 application",
        "01_智慧家庭专业化众创空间/营业执照.pdf": b"%PDF-1.7 application",
        "01_智慧家庭专业化众创空间/扫描件.jpg": b"scan",
    }
    assert not stream.closed


def test_names_are_stored_as_utf8_with_the_flag_set_and_entries_deflated():
    with zipfile.ZipFile(io.BytesIO(zipped([("汇总表.xlsx", b"x" * 1000), ("a.txt", b"a")]))) as zf:
        for info in zf.infolist():
            assert info.flag_bits & UTF8_FLAG
            assert info.compress_type == zipfile.ZIP_DEFLATED
        assert zf.getinfo("汇总表.xlsx").compress_size < 1000
        assert zf.testzip() is None


def test_a_name_cannot_leave_the_archive_folder():
    names = read_zip(
        zipped([("../x", b"1"), ("/etc/passwd", b"2"), ("a/../../b", b"3"), ("..\\..\\c", b"4")])
    )
    assert sorted(names) == ["a/b", "c", "etc/passwd", "x"]
    assert clean_path("./01_空间/./申报书.pdf") == "01_空间/申报书.pdf"


def test_control_characters_are_removed_and_windows_forbidden_characters_replaced():
    assert clean_path("申报\x00书\x1b[31m\n.pdf") == "申报书[31m.pdf"
    assert clean_path("a\u202eexe.pdf") == "aexe.pdf"  # no right-to-left override
    assert clean_path('说明: "第1版"?.docx') == "说明_ _第1版__.docx"
    assert clean_path("CON.txt") == "_CON.txt"
    assert clean_path("报告. . ") == "报告"


def test_a_long_segment_is_cut_to_120_characters_keeping_its_extension():
    long_name = "专业化众创空间" * 30 + ".pdf"
    cleaned = clean_path(f"{'目录' * 100}/{long_name}")
    folder, name = cleaned.split("/")
    assert len(folder) == MAX_SEGMENT
    assert len(name) == MAX_SEGMENT
    assert name.endswith(".pdf")
    assert name.startswith("专业化众创空间")


def test_a_name_that_cleans_to_nothing_is_refused():
    with pytest.raises(ValueError):
        zipped([("../..", b"x")])


def test_two_entries_with_one_name_are_both_kept():
    names = read_zip(zipped([("a/说明.pdf", b"1"), ("a/说明.pdf", b"2"), ("a/说明\x00.pdf", b"3")]))
    assert names == {"a/说明.pdf": b"1", "a/说明（2）.pdf": b"2", "a/说明（3）.pdf": b"3"}


def test_entries_carry_the_given_local_time():
    when = datetime(2020, 8, 3, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    with zipfile.ZipFile(io.BytesIO(zipped([("a.txt", b"a")], now=when))) as zf:
        assert zf.getinfo("a.txt").date_time == (2020, 8, 3, 9, 30, 0)


def test_the_zip_can_be_written_to_a_path(tmp_path):
    target = tmp_path / "推荐材料.zip"
    build_zip([("a.txt", b"a")], target)
    assert read_zip(target.read_bytes()) == {"a.txt": b"a"}


def test_a_twenty_megabyte_file_is_streamed_without_being_read_whole(tmp_path):
    size = 20 * 1024 * 1024
    block = hashlib.sha256(b"scan").digest() * (CHUNK_SIZE // 32)  # 1 MiB, compressible
    big = tmp_path / "扫描件.pdf"
    with big.open("wb") as f:
        for n in range(size // CHUNK_SIZE):
            f.write(block[n:] + block[:n])
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    target = tmp_path / "package.zip"

    tracemalloc.start()
    try:
        build_zip([("01_空间/扫描件.pdf", big)], target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < size / 4, f"peak {peak} bytes"  # a few chunks in flight, not the file
    digest = hashlib.sha256()
    with zipfile.ZipFile(target) as zf, zf.open("01_空间/扫描件.pdf") as member:
        while chunk := member.read(CHUNK_SIZE):
            digest.update(chunk)
    assert digest.hexdigest() == expected


def test_folder_names_pad_the_rank_to_two_digits():
    assert folder_name(1, "智慧家庭专业化众创空间") == "01_智慧家庭专业化众创空间"
    assert folder_name(12, "海洋生物众创空间") == "12_海洋生物众创空间"


def test_folder_names_take_three_digits_when_there_are_more_than_99_spaces():
    assert folder_name(100, "空间") == "100_空间"
    assert folder_name(7, "空间", total=120) == "007_空间"
    assert folder_name(7, "空间", total=99) == "07_空间"
    names = [folder_name(n, "空间", total=150) for n in (2, 10, 100)]
    assert names == sorted(names)


def test_folder_names_are_clean():
    assert folder_name(3, "../智慧/家庭\x00众创空间") == "03_.._智慧_家庭众创空间"
    assert "/" not in folder_name(3, "a/b")
    assert len(folder_name(3, "众" * 200)) == MAX_SEGMENT
