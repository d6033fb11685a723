"""What counts as an acceptable evidence file: the kind is decided by the content, not the name."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype


@dataclass(frozen=True)
class EvidenceKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


# filetype's name for a detected kind -> what we accept it as.
_BINARY_KINDS = {
    "pdf": EvidenceKind("PDF", "application/pdf", (".pdf",)),
    "doc": EvidenceKind("Word", "application/msword", (".doc",)),
    "docx": EvidenceKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xls": EvidenceKind("Excel", "application/vnd.ms-excel", (".xls",)),
    "xlsx": EvidenceKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "png": EvidenceKind("PNG image", "image/png", (".png",)),
    "jpg": EvidenceKind("JPEG image", "image/jpeg", (".jpg", ".jpeg")),
}
_TEXT_KINDS = {
    ".csv": EvidenceKind("CSV", "text/csv", (".csv",)),
    ".txt": EvidenceKind("plain text", "text/plain", (".txt",)),
}
ALLOWED_DESCRIPTION = "PDF, Word, Excel, CSV, plain text, PNG or JPEG"
ALLOWED_EXTENSIONS = sorted(
    {ext for kind in [*_BINARY_KINDS.values(), *_TEXT_KINDS.values()] for ext in kind.extensions}
)


class EvidenceRejected(ValueError):
    """The file is not an acceptable kind; the message says why and what is accepted."""


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            # A multi-byte character may be cut at the end of the sample: ignore the last 3 bytes.
            head[:-3].decode(encoding) if len(head) > 3 else head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def identify_evidence(*, name: str, head: bytes) -> EvidenceKind:
    """The kind of an uploaded file from its first bytes, refusing anything not allowed.

    The name's extension must agree with the content, so a renamed program or web page is refused.
    """
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        shown = extension or "no extension"
        raise EvidenceRejected(f"The selected file must be a {ALLOWED_DESCRIPTION} file (this one has {shown}).")
    detected = filetype.guess(head)
    if detected is not None:
        kind = _BINARY_KINDS.get(detected.extension)
        if kind is None or extension not in kind.extensions:
            raise EvidenceRejected(
                f"The selected file's content is not what its name says ({extension}). "
                f"Upload a {ALLOWED_DESCRIPTION} file."
            )
        return kind
    if extension in _TEXT_KINDS and _looks_like_text(head):
        lowered = head[:1024].lower()
        if b"<script" in lowered or b"<html" in lowered or b"<!doctype" in lowered:
            raise EvidenceRejected("The selected file looks like a web page, not CSV or plain text.")
        return _TEXT_KINDS[extension]
    raise EvidenceRejected(
        f"The selected file's content is not what its name says ({extension}). Upload a {ALLOWED_DESCRIPTION} file."
    )
