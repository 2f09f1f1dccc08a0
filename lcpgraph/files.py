"""Writing files safely: atomically, never over what lcpgraph did not write, formula-safe text.

Every byte lcpgraph writes goes through this module:

* :func:`write_bytes` / :func:`write_text` write a single file through a temporary file in the
  same folder, flushed to disk and then renamed over the target, so a kill mid-save leaves the
  old file or the new one, never half of one. A file that exists and was not written by
  lcpgraph (see :func:`written_by_lcpgraph`) is not overwritten unless the caller says so.
* :func:`report_folder` writes a whole folder (the report site) into a staging folder and swaps
  it into place; the folder carries a marker file, and a folder without it is never replaced.
* :func:`spreadsheet_text` neutralises text that a spreadsheet would run as a formula (OWASP's
  "CSV injection"), and :func:`csv_text` / :func:`append_row` / :func:`xlsx_bytes` apply it to
  CSV tables and Excel workbooks; workbooks are written with fixed timestamps so the same data
  gives the same bytes.

File-system failures (a read-only folder, a full disk, a directory where a file should be)
become one :class:`~lcpgraph.exceptions.LcpGraphError` naming the path.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import hashlib
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from lcpgraph.exceptions import LcpGraphError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "GENERATOR",
    "REPORT_MARKER",
    "append_row",
    "csv_text",
    "file_slug",
    "report_folder",
    "spreadsheet_frame",
    "spreadsheet_text",
    "write_bytes",
    "write_text",
    "written_by_lcpgraph",
    "xlsx_bytes",
]

#: Written into every HTML page, GEXF/GraphML file and workbook lcpgraph makes, so that a later
#: run knows the file is its own and may replace it.
GENERATOR = "lcpgraph"

#: The file that marks a folder as a report written by lcpgraph (and so replaceable by it).
REPORT_MARKER = ".lcpgraph-report"

_MARKER_TEXT = (
    "This folder was written by 'lcpgraph report'. lcpgraph replaces it as a whole when the\n"
    "report is made again; files you add here will be lost then. Delete this file to stop that.\n"
)

# OWASP "CSV injection": a cell starting with one of these is run as a formula by Excel,
# LibreOffice or Google Sheets (tab and carriage return can hide the character after them).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Fixed timestamp for workbook parts (the zip format cannot store dates before 1980).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (is the folder read-only?)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "it is a folder"
    return exc.strerror or str(exc)


def _oserror(path: Path, exc: OSError, verb: str = "cannot write") -> LcpGraphError:
    return LcpGraphError(f"{path}: {verb}: {_describe(exc)}")


def written_by_lcpgraph(path: str | Path) -> bool:
    """True when ``path`` is a file lcpgraph wrote (so a later run may replace it).

    An HTML, GEXF, GraphML or JSON file says so in its first few kilobytes (the generator
    mark), a workbook in its document properties. A CSV table carries no mark; it counts as
    lcpgraph's when :func:`write_bytes` is told its header line (``same_head``).
    """
    p = Path(path)
    try:
        with open(p, "rb") as f:
            head = f.read(8192)
    except OSError:
        return False
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(p) as z:
                core = z.read("docProps/core.xml")
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        return f"<dc:creator>{GENERATOR}</dc:creator>".encode() in core
    marks = (f'generator" content="{GENERATOR}"', f"<!-- {GENERATOR} -->", f'"_generator": "{GENERATOR}"')
    return any(m.encode() in head for m in marks)


def write_bytes(
    path: str | Path,
    data: bytes | Iterable[bytes],
    *,
    overwrite: bool = False,
    same_head: bytes | None = None,
    sync: bool = True,
) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace a file lcpgraph did not write.

    Parameters
    ----------
    path : str or Path
        The file to write. Its folder is created if needed.
    data : bytes or iterable of bytes
        The whole content, or its pieces in order (a page too big to hold joined).
    overwrite : bool
        Replace an existing file even if lcpgraph did not write it (``--force``).
    same_head : bytes, optional
        For files that cannot carry a generator mark (CSV): an existing file whose first line
        is this is taken to be an earlier run's output of the same table.
    sync : bool
        Flush the file to the disk before it takes the target's place. Files written into a
        report's staging folder skip it: the folder is swapped in as a whole.

    Raises
    ------
    LcpGraphError
        When ``path`` is a folder, is someone else's file, or cannot be written; nothing is
        changed then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_bytes(p, b"hello").read_bytes()
    b'hello'
    """
    path = Path(path)
    if path.is_dir():
        raise LcpGraphError(f"{path}: is a folder; give a file name to write to")
    if path.is_symlink() and not path.exists():
        raise LcpGraphError(f"{path}: is a broken symbolic link; remove it or choose another name")
    if path.exists() and not overwrite:
        ours = written_by_lcpgraph(path)
        if not ours and same_head is not None:
            with contextlib.suppress(OSError), open(path, "rb") as f:
                ours = f.readline().rstrip(b"\r\n") == same_head.split(b"\n", 1)[0].rstrip(b"\r")
        if not ours:
            raise LcpGraphError(
                f"{path}: already exists and was not written by lcpgraph; choose another name, "
                "or pass --force to replace it"
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _oserror(path.parent, exc, "cannot create the folder") from None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    except OSError as exc:
        raise _oserror(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes | bytearray | memoryview):
                f.write(data)
            else:
                for piece in data:
                    f.write(piece)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _oserror(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str, **options) -> Path:
    """Write ``text`` as UTF-8 with ``\\n`` line ends through :func:`write_bytes`."""
    return write_bytes(path, text.encode("utf-8"), **options)


# --------------------------------------------------------------------------------------
# spreadsheets


def spreadsheet_text(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet: a leading formula character is quoted.

    OWASP's advice for "CSV injection": a cell that starts with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading apostrophe, so the spreadsheet shows it as text
    instead of running it. Other text is unchanged.

    >>> spreadsheet_text('=HYPERLINK("http://x","click")')
    '\\'=HYPERLINK("http://x","click")'
    >>> spreadsheet_text("-2+3"), spreadsheet_text("Age UK Leeds")
    ("'-2+3", 'Age UK Leeds')
    """
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) pass through :func:`spreadsheet_text`."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if str(s.dtype) == "category":
            # Categories are text too; a column with a formula among them is written as plain cells.
            if any(isinstance(c, str) and c.startswith(_FORMULA_START) for c in s.cat.categories.tolist()):
                out[col] = s.astype(object).map(lambda v: spreadsheet_text(v) if isinstance(v, str) else v)
        elif s.dtype == object or str(s.dtype).startswith(("string", "str")):
            # Most columns hold no such cell: look first, and replace only the columns that do.
            if any(isinstance(v, str) and v.startswith(_FORMULA_START) for v in s.tolist()):
                out[col] = s.map(lambda v: spreadsheet_text(v) if isinstance(v, str) else v)
    out.columns = [spreadsheet_text(str(c)) for c in out.columns]
    return out


def csv_text(df: pd.DataFrame) -> str:
    """``df`` as formula-safe CSV text (no index, ``\\n`` line ends).

    The same text as ``spreadsheet_frame(df).to_csv(index=False, lineterminator="\\n")``.

    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"name": ["=1+1", "Age UK, Leeds"], "x": [0.1 + 0.2, None]})), end="")
    name,x
    '=1+1,0.30000000000000004
    "Age UK, Leeds",
    """
    columns = _csv_columns(df)
    if columns is None:
        return spreadsheet_frame(df).to_csv(index=False, lineterminator="\n")
    out = io.StringIO()
    # pandas' own dialect: the standard library's writer with its defaults and "\n" line ends.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_text(str(c)) for c in df.columns])
    writer.writerows(zip(*columns, strict=True))
    return out.getvalue()


def _csv_columns(df: pd.DataFrame) -> list[list] | None:
    """Each column of ``df`` as the cells ``to_csv`` hands the csv writer, text made safe.

    A report writes thirty small tables, and ``to_csv`` costs more in setting up than in
    writing them. This mirrors what it does for the common column types (pandas'
    ``get_values_for_csv`` with ``na_rep=""``): floats as numpy's ``astype(str)`` (so they are
    written as pandas writes them), other values as Python objects, missing cells empty. Any
    other column type (dates, categories, ...), repeated or nested column names, or no columns
    at all give None, and pandas writes the table.
    """
    import numpy as np
    import pandas as pd

    if df.columns.nlevels != 1 or not df.columns.is_unique or len(df.columns) == 0:
        return None
    columns = []
    for _, s in df.items():
        dtype = s.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = s.to_numpy()
            cells, missing, text = values.astype(str).tolist(), np.isnan(values), False
        elif isinstance(dtype, np.dtype) and dtype.kind in "biu":
            cells, missing, text = s.tolist(), None, False  # Python ints and bools, as in an object array
        elif isinstance(dtype, np.dtype) and dtype.kind == "O":
            values = s.to_numpy()
            cells, missing, text = values.tolist(), pd.isna(values), True
        elif isinstance(dtype, pd.StringDtype):
            cells, missing, text = s.tolist(), s.array.isna(), True
        elif isinstance(dtype, pd.BooleanDtype):
            cells, missing, text = s.array.astype(object).tolist(), s.array.isna(), False
        else:
            return None
        if missing is not None and missing.any():
            cells = ["" if m else v for v, m in zip(cells, missing.tolist(), strict=True)]
        if text:
            cells = [spreadsheet_text(v) if isinstance(v, str) else v for v in cells]
        columns.append(cells)
    return columns


def append_row(ws, values: Iterable[object]) -> None:
    """Append ``values`` to an openpyxl worksheet with every string stored as text.

    openpyxl stores a string that starts with ``=`` as a live formula; here it is neutralised
    with :func:`spreadsheet_text` and its cell marked as text (``data_type = "s"``).
    """
    clean = [spreadsheet_text(v) if isinstance(v, str) else v for v in values]
    ws.append(clean)
    row = ws._current_row  # the row append() just wrote
    for j, v in enumerate(clean, start=1):
        if isinstance(v, str):
            ws.cell(row=row, column=j).data_type = "s"


def xlsx_bytes(wb) -> bytes:
    """Save an openpyxl workbook to bytes that depend only on its content.

    openpyxl stamps the creation and modification time into the document properties and the
    zip entries; both are fixed here, so the same workbook gives the same bytes on every run.
    The creator is set to lcpgraph, which lets a later run recognise (and replace) the file.
    """
    import datetime as dt

    fixed = dt.datetime(2000, 1, 1)
    wb.properties.creator = GENERATOR
    wb.properties.lastModifiedBy = GENERATOR
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl writes "modified" as the time of saving, whatever the property says
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\2", data
                )
            fixed_info = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = 0o644 << 16
            dst.writestr(fixed_info, data)
    return out.getvalue()


# --------------------------------------------------------------------------------------
# file names

#: Names Windows refuses for a file, whatever the extension (NHS laptops run Windows).
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}

#: Longest slug: room for a prefix and ".html" within every file system's 255-byte limit,
#: and short enough for Windows paths.
SLUG_MAX = 60


def file_slug(text: str, used: set[str] | None = None) -> str:
    """A short file-name-safe slug for ``text``, unique among ``used`` (which it joins).

    ASCII letters, digits and hyphens; at most :data:`SLUG_MAX` characters (a long name is cut
    and given a hash of the whole, so two long names stay apart); never a name Windows
    reserves (``CON``, ``NUL``, ``COM1``…); a clash with ``used`` gets ``-2``, ``-3``….

    >>> file_slug("Bramley, Wortley & Middleton")
    'bramley-wortley-and-middleton'
    >>> file_slug("LS25/26"), file_slug("CON"), file_slug("")
    ('ls25-26', 'con-x', 'x')
    >>> seen = set(); [file_slug("HATCH", seen), file_slug("Hatch", seen)]
    ['hatch', 'hatch-2']
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.replace("&", " and ").lower()).strip("-")
    if not slug and text.strip():  # a name in a script with no ASCII letters keeps a stable slug
        slug = "u-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    slug = slug or "x"
    if len(slug) > SLUG_MAX:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = slug[: SLUG_MAX - 9].rstrip("-") + "-" + digest
    if slug.split(".")[0] in _WINDOWS_RESERVED:
        slug += "-x"
    if used is not None:
        base, i = slug, 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
    return slug


# --------------------------------------------------------------------------------------
# report folders

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the block; fail at once if taken."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _oserror(path.parent, exc) from None
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks; runs are rare to overlap
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise LcpGraphError(
                f"{path.parent / path.name[1:-5]}: another lcpgraph run is writing this report now; "
                "wait for it to finish"
            ) from None
        yield
    finally:
        os.close(fd)


#: What a report written before the marker file existed (lcpgraph 0.1) holds, and nothing else.
_LEGACY_REPORT = {"index.html", "lcp", "maps", "tables"}


def _is_report(folder: Path) -> bool:
    if (folder / REPORT_MARKER).is_file():
        return True
    # A report from before the marker: only its own files, and an index page lcpgraph made.
    try:
        names = {p.name for p in folder.iterdir()}
        head = (folder / "index.html").read_bytes()[:4096] if "index.html" in names else b""
    except OSError:
        return False
    return names <= _LEGACY_REPORT and "index.html" in names and b"Made by lcpgraph" in head


def _check_target(target: Path) -> None:
    if target.is_symlink():
        raise LcpGraphError(f"{target}: is a symbolic link; give the report a real folder")
    if target.exists() and not target.is_dir():
        raise LcpGraphError(f"{target}: is a file, not a folder; give the report a folder name")
    if target.is_dir() and not _is_report(target):
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise _oserror(target, exc, "cannot read") from None
        if not empty:
            raise LcpGraphError(
                f"{target}: is not empty and is not a report written by lcpgraph (it has no {REPORT_MARKER} "
                "file), so it is left alone; give -o a new or empty folder. Nothing was written."
            )


@contextmanager
def report_folder(target: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it takes the place of ``target`` in one step.

    ``target`` must be missing, empty, or a folder an earlier run wrote (it holds
    :data:`REPORT_MARKER`); anything else is refused before any work, so ``-o`` pointed at a
    data folder deletes nothing. While the block runs, a lock file beside the target keeps a
    second run out. The swap exchanges the two folders atomically where the system can
    (Linux), so the old report or the new one is there at every instant; elsewhere it is two
    renames and a run killed between them is repaired by the next run. Staging folders left
    by killed runs are removed (they carry the marker, so nothing else is ever removed).
    If the block raises, the staging folder is removed and ``target`` is untouched.
    """
    target = Path(os.path.abspath(target))
    _check_target(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _oserror(parent, exc, "cannot create the folder") from None
    with _lock(parent / f".{target.name}.lock"):
        _repair(target)
        _check_target(target)  # a run that finished while we waited may have changed it
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
            (staging / REPORT_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise _oserror(parent, exc) from None
        try:
            yield staging
            os.chmod(staging, 0o755)
            _swap_into_place(staging, target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise _oserror(target, exc) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now the old report
        return
    old = staging.with_suffix(".old")
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old)


def _repair(target: Path) -> None:
    """Undo what a killed run left: restore a stranded old report, remove stale staging folders."""
    leftovers = sorted(target.parent.glob(f".{glob_escape(target.name)}.*"))
    olds = [p for p in leftovers if p.suffix == ".old" and p.is_dir() and _is_report(p)]
    if not target.exists() and olds:
        os.rename(olds[-1], target)
        olds = olds[:-1]
    for p in leftovers:
        if p.is_dir() and p.suffix in (".tmp", ".old") and _is_report(p) and p.exists():
            shutil.rmtree(p, ignore_errors=True)


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file name."""
    return re.sub(r"([*?\[])", r"[\1]", text)
