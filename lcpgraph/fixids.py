"""Names where ids belong: find them, and write a corrected copy of the data.

People fill in the ``from`` and ``to`` columns of the relationships with the names they know
("HATCH", "Forum Central") rather than the ids ("lcp-hatch"). :func:`name_fixes` finds every
such cell whose text is exactly one record's name; :func:`write_fixed` writes a copy of the
dataset with those cells replaced by the ids. The original is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.files import write_bytes, write_text
from lcpgraph.raw import RawTable

__all__ = ["Fix", "name_fixes", "write_fixed"]


@dataclass(frozen=True)
class Fix:
    """One cell: where it is, what it holds, and the id it should hold (None when ambiguous)."""

    where: str
    row: int
    column: str
    value: str
    id: str | None
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.id:
            return f"{self.where}, row {self.row}, column '{self.column}': '{self.value}' -> {self.id}"
        return (
            f"{self.where}, row {self.row}, column '{self.column}': '{self.value}' is the name of "
            f"{len(self.candidates)} records ({', '.join(self.candidates)}); left for you to choose"
        )


def _read(path: Path) -> dict[str, RawTable]:
    from lcpgraph.load import read_csv_folder

    if path.is_dir():
        return read_csv_folder(path)
    from lcpgraph.workbook import read_workbook

    return read_workbook(path)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def name_fixes(path: str | Path) -> list[Fix]:
    """Every ``from``/``to`` cell that holds a record's name instead of an id.

    Examples
    --------
    >>> from lcpgraph.datasets import leeds_path
    >>> name_fixes(leeds_path())  # the bundled data uses ids throughout
    []
    """
    tables = _read(Path(path))
    ids: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for tname in schema.TABLE_KIND:
        t = tables.get(tname)
        if t is None:
            continue
        header = [h.strip().lower() for h in t.header]
        if "id" not in header or "name" not in header:
            continue
        i, n = header.index("id"), header.index("name")
        for _, cells in t.rows:
            if i < len(cells) and cells[i].strip():
                ids.add(cells[i].strip())
                if n < len(cells) and cells[n].strip():
                    by_name.setdefault(_norm(cells[n]), []).append(cells[i].strip())
    rel = tables.get("relationships")
    if rel is None:
        return []
    header = [h.strip().lower() for h in rel.header]
    out = []
    for column in ("from", "to"):
        if column not in header:
            continue
        j = header.index(column)
        for row, cells in rel.rows:
            value = cells[j].strip() if j < len(cells) else ""
            if not value or value in ids:
                continue
            named = sorted(set(by_name.get(_norm(value), [])))
            if len(named) == 1:
                out.append(Fix(rel.where, row, column, value, named[0]))
            elif named:
                out.append(Fix(rel.where, row, column, value, None, tuple(named)))
    return sorted(out, key=lambda f: (f.row, f.column))


def write_fixed(path: str | Path, out: str | Path, *, overwrite: bool = False) -> list[Fix]:
    """Write a copy of the dataset at ``path`` to ``out`` with names in ``from``/``to`` replaced by ids.

    A folder of CSV files is copied to the folder ``out`` (which must be new or empty); a
    workbook to the workbook ``out``. Only cells whose text is exactly one record's name are
    changed; the rest of every file is copied as it is. Returns the fixes (those it could not
    make, because a name is shared, included with ``id`` None).

    Raises
    ------
    LcpGraphError
        When ``out`` is the original, or a folder that is not empty.
    """
    src, dst = Path(path), Path(out)
    if dst.resolve() == src.resolve():
        raise LcpGraphError(f"{dst}: is the data itself; write the corrected copy somewhere else")
    fixes = name_fixes(src)
    changes = {(f.row, f.column): f.id for f in fixes if f.id}
    if src.is_dir():
        if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
            raise LcpGraphError(f"{dst}: exists and is not an empty folder; give a new folder for the corrected copy")
        dst.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            if f.is_file() and f.suffix.lower() == ".csv" and f.stem.strip().lower() != "relationships":
                write_bytes(dst / f.name, f.read_bytes(), overwrite=overwrite)  # the one safe writer
        rel = next(f for f in src.iterdir() if f.suffix.lower() == ".csv" and f.stem.strip().lower() == "relationships")
        write_text(dst / rel.name, _fix_csv(rel.read_text(encoding="utf-8-sig"), changes), overwrite=overwrite)
    else:
        write_bytes(dst, _fix_workbook(src, changes), overwrite=overwrite)
    return fixes


def _fix_csv(text: str, changes: dict[tuple[int, str], str]) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in rows[0]]
    for (row, column), nid in changes.items():
        rows[row - 1][header.index(column)] = nid
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _fix_workbook(src: Path, changes: dict[tuple[int, str], str]) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = next(w for w in wb.worksheets if w.title.strip().lower() == "relationships")
    header = [str(c.value or "").strip().lower() for c in ws[1]]
    for (row, column), nid in changes.items():
        cell = ws.cell(row=row, column=header.index(column) + 1)
        cell.value = nid
        cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
