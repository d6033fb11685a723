"""The one import engine both importers share (the action plan, actions.importing; measures and their
values, measures.importing): reading a CSV or Excel file into rows of text, the problems a file or a row
can have, the preview, its refusal, and the all-or-nothing confirmation. Each importer keeps only its
own columns and rules: it reads with read_table (or read_csv), checks every row into a preview, and
saves through confirm, which checks the file again and saves all of it or nothing.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction

from secamb_journey.forms import EMPTY_FILE, size_in_words
from secamb_journey.text import clean_text

MAX_IMPORT_BYTES = 1024 * 1024
# A row with more cells than this is refused before it is parsed, because a parser holds a whole row at
# once (a 49 KB workbook with 400,000 cells in one row took 431 MB).
MAX_IMPORT_COLUMNS = 100
TOO_MANY_COLUMNS = (
    f"A row in the file has more than {MAX_IMPORT_COLUMNS} cells. Delete the columns to the right of the "
    "table (including empty but formatted ones) and try again."
)
# A workbook is a zip: its worksheets unpacked may be far larger than the file. Beyond this, refused.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
NOT_A_WORKBOOK = "The selected file is not an Excel workbook that can be read."


class ImportFileProblem(ValueError):
    """The file as a whole cannot be read (not CSV or Excel, too big, no heading row, unknown columns)."""


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell: `row` is the file's line (the heading is row 1; 0 for the whole file)."""

    row: int
    column: str
    message: str

    def __str__(self):
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportPreview:
    """Every row as it would be saved, and every problem: a file with any problem is refused whole."""

    rows: list = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class ImportRefused(Exception):
    def __init__(self, preview: ImportPreview, message: str = ""):
        super().__init__(message or "; ".join(str(p) for p in preview.problems))
        self.preview = preview


def confirm(*, check: Callable[[], ImportPreview], save: Callable[[ImportPreview], object], refused: str = ""):
    """Check the file again (the database may have changed since its preview), then save every row in one
    transaction: ImportRefused, nothing saved, if any row has a problem. `save` may refuse too (raising
    ImportRefused); anything it raises undoes whatever it saved. `refused`: the refusal's message."""
    with transaction.atomic():
        preview = check()
        if preview.problems:
            raise ImportRefused(preview, refused)
        return save(preview)


# --- Reading the file ----------------------------------------------------------------------------


def normalise_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "").strip().lower())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(str(value)).strip()
    # Undo an export's guard against spreadsheet formulas ('=...), so a round trip keeps the text.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _too_many_rows(max_rows: int) -> ImportFileProblem:
    return ImportFileProblem(f"The file has more than {max_rows:,} rows. Split it and import each part.")


def _rows(source: Iterable, *, max_rows: int, known: set[str], cell) -> list[list[str]]:
    """The rows as text cells, up to the last column whose heading is `known` (all when none is known);
    refused beyond `max_rows` rows with anything in them, not counting the heading."""
    rows, width, filled = [], MAX_IMPORT_COLUMNS, 0
    for index, row in enumerate(source):
        cells = [cell(value) for value in row[:width]]
        if index == 0:
            positions = [i for i, heading in enumerate(cells) if normalise_heading(heading) in known]
            width = max(positions) + 1 if positions else len(cells)
            cells = cells[:width]
        elif any(c.strip() for c in cells):
            filled += 1
            if filled > max_rows:
                raise _too_many_rows(max_rows)
        rows.append(cells)
    return rows


def read_table(*, name: str, content: bytes, max_rows: int, known_headings: Iterable[str] = ()) -> list[list[str]]:
    """The file's rows as text cells (the heading row first). CSV (UTF-8 or Windows-1252) or .xlsx, by the
    file's name. Cells are cleaned of control characters and an export's formula guard."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileProblem(f"The selected file must be smaller than {size_in_words(MAX_IMPORT_BYTES)}.")
    if not content:
        raise ImportFileProblem(f"{EMPTY_FILE}.")
    known = {normalise_heading(h) for h in known_headings}
    extension = PurePath(name).suffix.lower()
    if extension == ".xlsx":
        if not content.startswith(b"PK"):
            raise ImportFileProblem("The selected file is not an Excel workbook (.xlsx), whatever its name says.")
        return _read_xlsx(content, max_rows=max_rows, known=known)
    if extension == ".csv":
        if b"\x00" in content[:4096]:
            raise ImportFileProblem("The selected file is not a CSV file, whatever its name says.")
        return read_csv(content, max_rows=max_rows, known=known, cell=cell_text)
    raise ImportFileProblem("The selected file must be a CSV file or an Excel workbook (.xlsx).")


def read_csv(content: bytes, *, max_rows: int, known: set[str] = frozenset(), cell=str) -> list[list[str]]:
    """A CSV file's rows (UTF-8, or Windows-1252 as Excel saves it). `cell`: each cell's text as read (the
    default: exactly as written, for an importer that checks every character itself)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileProblem(f"The selected file must be smaller than {size_in_words(MAX_IMPORT_BYTES)}.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _rows(_within_columns(reader), max_rows=max_rows, known=known, cell=cell)
    except csv.Error as problem:
        # A field longer than the csv module's limit (an unclosed quote swallowing the rest of the file,
        # most often), or a line it cannot read at all.
        if "field larger than field limit" in str(problem):
            raise ImportFileProblem(
                f"Row {reader.line_num}: a field is longer than {csv.field_size_limit():,} characters, far more "
                'than any column takes. Check for a quote (") that is opened and never closed'
            ) from None
        raise ImportFileProblem(f"The selected file is not a readable CSV file ({problem}).") from None


def _within_columns(reader):
    for row in reader:
        if len(row) > MAX_IMPORT_COLUMNS and any(cell.strip() for cell in row[MAX_IMPORT_COLUMNS:]):
            raise ImportFileProblem(TOO_MANY_COLUMNS)
        yield row


# A row or cell element's start tag in a worksheet's XML, with or without a namespace prefix.
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?(row|c)[\s/>]")


def _check_xlsx_size(content: bytes) -> None:
    """Refuse a workbook whose worksheets unpack too large, or with a row of too many cells, by streaming
    through their XML (64 KB at a time) counting tags: nothing is parsed or held whole."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        sheets = [info for info in archive.infolist() if info.filename.startswith("xl/worksheets/")]
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileProblem(NOT_A_WORKBOOK) from None
    unpacked = 0
    for info in sheets:
        cells_in_row = 0
        carry = b""
        try:
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(65536)
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise ImportFileProblem(
                            "The selected workbook is too large once unpacked. Save only the table and try again."
                        )
                    data = carry + chunk
                    # A tag may straddle two chunks: keep the last 64 bytes for the next round.
                    end = len(data) if not chunk else max(len(data) - 64, 0)
                    for match in _SHEET_TAG.finditer(data):
                        if match.start() >= end:
                            break
                        cells_in_row = 0 if match.group(1) == b"row" else cells_in_row + 1
                        if cells_in_row > MAX_IMPORT_COLUMNS:
                            raise ImportFileProblem(TOO_MANY_COLUMNS)
                    if not chunk:
                        break
                    carry = data[end:]
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            raise ImportFileProblem(NOT_A_WORKBOOK) from None


def _read_xlsx(content: bytes, *, max_rows: int, known: set[str]) -> list[list[str]]:
    # Here, not at the top: openpyxl is large, and only a workbook upload needs it (no import cycle).
    from openpyxl import load_workbook

    _check_xlsx_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged workbook
        raise ImportFileProblem(NOT_A_WORKBOOK) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS)
        return _rows(rows, max_rows=max_rows, known=known, cell=cell_text)
    finally:
        workbook.close()
