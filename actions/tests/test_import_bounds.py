"""The spreadsheet import reads a bounded amount whatever the file holds (issue 18)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from actions.importing.plan import MAX_IMPORT_COLUMNS, ImportFileProblem, read_table

HEADINGS = ["Reference", "Title", "Pillar", "Owner", "Executive lead", "Due date"]


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_sheet_xml(content: bytes, sheet_xml: bytes) -> bytes:
    """The workbook with its first worksheet's XML replaced (how a hostile file is made)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def _one_row_of(cells: int) -> bytes:
    row = b'<c t="inlineStr"><is><t>x</t></is></c>' * 4 + b"<c><v>1</v></c>" * (cells - 4)
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1">' + row + b"</row></sheetData></worksheet>"
    )


def test_a_small_workbook_with_400000_cells_in_one_row_is_refused_with_bounded_memory():
    content = _with_sheet_xml(_workbook([HEADINGS]), _one_row_of(400_000))
    assert len(content) < 60_000  # the attack: a small file

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileProblem) as refused:
            read_table(name="plan.xlsx", content=content)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"\n400,000-cell row, {len(content):,} byte file: refused in {elapsed:.2f} s, peak {peak / 1e6:.1f} MB")
    assert f"more than {MAX_IMPORT_COLUMNS} cells" in str(refused.value)
    assert peak < 16 * 1024 * 1024  # it took 431 MB before


def test_a_workbook_that_unpacks_huge_is_refused():
    padding = b"<!--" + b" " * (40 * 1024 * 1024) + b"-->"
    content = _with_sheet_xml(
        _workbook([HEADINGS]), _one_row_of(6)[: -len(b"</worksheet>")] + padding + b"</worksheet>"
    )
    with pytest.raises(ImportFileProblem) as refused:
        read_table(name="plan.xlsx", content=content)
    assert "too large once unpacked" in str(refused.value)


def test_only_the_columns_the_import_knows_are_read():
    rows = [[*HEADINGS, "Notes", "Scratch"], ["MD-01", "Title", "2", "owner", "lead", "2027-01-01", "n", "s"]]
    table = read_table(name="plan.xlsx", content=_workbook(rows))
    assert table == [HEADINGS, ["MD-01", "Title", "2", "owner", "lead", "2027-01-01"]]
    csv_content = "\n".join(",".join(row) for row in rows).encode()
    assert read_table(name="plan.csv", content=csv_content) == table


def test_a_csv_row_with_too_many_filled_cells_is_refused():
    content = (",".join(HEADINGS) + "\n" + ",".join(["x"] * (MAX_IMPORT_COLUMNS + 5)) + "\n").encode()
    with pytest.raises(ImportFileProblem) as refused:
        read_table(name="plan.csv", content=content)
    assert "more than" in str(refused.value)


def test_a_normal_wide_row_within_the_limit_is_read():
    rows = [HEADINGS + [f"Extra {n}" for n in range(MAX_IMPORT_COLUMNS - len(HEADINGS))]]
    assert read_table(name="plan.xlsx", content=_workbook(rows)) == [HEADINGS]
