"""Read partnership tables (a folder of CSV files, or a workbook), validate them, build the graph.

Validation collects every problem before failing, so one run tells the user everything to fix.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import networkx as nx

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError, Problem, ValidationError
from lcpgraph.raw import SECTORS_TABLE, RawTable

__all__ = ["RawTable", "build_graph", "load", "read_csv_folder", "resolve_path"]

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
_ORG_ID_RE = re.compile(r"^[A-Z]{2}-[A-Z]{2,6}-[A-Za-z0-9./-]+$")


def resolve_path(path: str | Path | None) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or the bundled Leeds data when it is None."""
    if path is None:
        from lcpgraph.datasets import leeds_path

        return leeds_path()
    return Path(path)


def load(path: str | Path | None = None, *, encoding: str = "utf-8-sig") -> nx.MultiDiGraph:
    """Load and validate a partnership dataset and return it as a graph.

    Parameters
    ----------
    path : str or Path, optional
        A folder of CSV files (``organisations.csv``, ``partnerships.csv``,
        ``relationships.csv``, and optionally ``boards.csv``, ``people.csv``,
        ``sectors.csv``) or an Excel workbook (``.xlsx``) with sheets of the same names.
        Defaults to the bundled Leeds data.
    encoding : str
        Text encoding of CSV files. The default reads UTF-8 with or without the byte-order
        mark that Excel's "CSV UTF-8" adds.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by id with their attributes; one edge per relationship row. See
        :mod:`lcpgraph.schema` for the attributes.

    Raises
    ------
    ValidationError
        Listing every problem found, each with its file, row and column.
    LcpGraphError
        When the path does not exist or is not a folder or workbook.

    Examples
    --------
    >>> G = load()  # the bundled Leeds data
    >>> G.nodes["org-forum-central"]["sector"]
    'third sector'
    """
    p = resolve_path(path)
    if not p.exists():
        raise LcpGraphError(f"{p}: no such file or folder")
    if p.is_dir():
        tables = read_csv_folder(p, encoding=encoding)
    elif p.suffix.lower() in (".xlsx", ".xlsm"):
        from lcpgraph.workbook import read_workbook

        tables = read_workbook(p)
    else:
        raise LcpGraphError(
            f"{p}: expected a folder of CSV files or an Excel workbook (.xlsx), got a '{p.suffix}' file"
        )
    G = build_graph(tables, where=str(p))
    G.graph["name"] = p.stem if p.is_file() else p.resolve().name
    G.graph["path"] = str(p)
    return G


def read_csv_folder(folder: Path, *, encoding: str = "utf-8-sig") -> dict[str, RawTable]:
    """Read every ``*.csv`` in ``folder`` into :class:`RawTable` objects, keyed by file stem.

    Raises :class:`ValidationError` for files that cannot be read as text or CSV, and for
    CSV files that are not a known table.
    """
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    known = [*schema.TABLES, SECTORS_TABLE]
    for f in sorted(folder.glob("*.csv")):
        name = f.stem.lower()
        where = str(f)
        if name not in known:
            problems.append(
                Problem(
                    where,
                    None,
                    None,
                    f"'{f.name}' is not a known table{_did_you_mean(name, known)}"
                    f"; expected one of: {', '.join(k + '.csv' for k in known)}",
                )
            )
            continue
        try:
            text = f.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            line = f.read_bytes()[: exc.start].count(b"\n") + 1
            problems.append(
                Problem(
                    where,
                    line,
                    None,
                    f"is not valid {encoding} text (byte {exc.start}); in Excel use "
                    "File > Save As > 'CSV UTF-8 (Comma delimited)', or pass --encoding "
                    "(e.g. cp1252 for older Excel 'CSV' files)",
                )
            )
            continue
        except LookupError:
            raise LcpGraphError(f"unknown text encoding '{encoding}'") from None
        table, table_problems = parse_csv_text(text, name=name, where=where)
        problems += table_problems
        if table is not None:
            tables[name] = table
    if problems:
        raise ValidationError(problems)
    return tables


def parse_csv_text(text: str, *, name: str, where: str) -> tuple[RawTable | None, list[Problem]]:
    """Split CSV text into a :class:`RawTable`; a problem instead when it cannot be parsed."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return None, [Problem(where, None, None, f"cannot be read as CSV: {exc}")]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(where, None, None, "is empty: expected a header row naming the columns")]
    header = records[0]
    rows = [(i + 2, r) for i, r in enumerate(records[1:])]
    return RawTable(name, where, header, rows), []


# --------------------------------------------------------------------------------------
# validation


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("_", "")
    if not _NUMBER_RE.match(t):
        return None
    return float(t.replace(",", ""))


def _parse_date(text: str) -> date | None:
    # ISO is what we write; dd/mm/yyyy is what Excel (UK locale) turns ISO dates into on save.
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


@dataclass
class _Record:
    table: str
    where: str
    row: int
    values: dict[str, str]


def _check_header(table: RawTable, problems: list[Problem]) -> list[str] | None:
    """Normalised header names, or None when the table cannot be read further."""
    header = [h.strip().lower() for h in table.header]
    ok = True
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if not h:
            continue
        if h in seen:
            problems.append(
                Problem(table.where, 1, h, f"column '{h}' appears twice (columns {seen[h] + 1} and {i + 1})")
            )
            ok = False
        seen[h] = i
    spec = schema.TABLES.get(table.name)
    if spec is not None:
        known = [c.name for c in spec]
        for c in spec:
            if c.required and c.name not in seen:
                problems.append(
                    Problem(
                        table.where,
                        1,
                        c.name,
                        f"required column '{c.name}' is missing{_did_you_mean(c.name, set(header) - set(known))}"
                        f"; the header has: {', '.join(h for h in header if h) or '(nothing)'}",
                    )
                )
                ok = False
    elif SECTORS_TABLE == table.name and "sector" not in seen:
        problems.append(Problem(table.where, 1, "sector", "required column 'sector' is missing"))
        ok = False
    return header if ok else None


def _records(table: RawTable, header: list[str], problems: list[Problem]) -> list[_Record]:
    out = []
    for row, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue  # wholly blank lines (Excel leaves them) carry no data
        if len(cells) > len(header):
            extra = [c for c in cells[len(header) :] if c.strip()]
            if extra:
                problems.append(
                    Problem(
                        table.where,
                        row,
                        None,
                        f"has {len(cells)} cells but the header has {len(header)} columns "
                        f"(extra value {extra[0]!r}); is there an unquoted comma?",
                    )
                )
                continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        for i, h in enumerate(header):
            if not h and i < len(cells) and cells[i].strip():
                problems.append(
                    Problem(
                        table.where,
                        row,
                        f"(column {i + 1})",
                        f"value {cells[i].strip()!r} sits under a blank header cell; name the column",
                    )
                )
        out.append(_Record(table.name, table.where, row, values))
    return out


@functools.lru_cache(maxsize=64)
def _by_norm(choices: tuple[str, ...]) -> dict[str, str]:
    """Normalised term -> canonical term, built once per vocabulary (not once per cell)."""
    return {schema.normalise_term(c): c for c in choices}


def _check_cell(rec: _Record, col: schema.Column, sectors: tuple[str, ...], problems: list[Problem]) -> None:
    """Check one cell and store its canonical form back in ``rec.values``."""
    raw = rec.values.get(col.name, "")
    if not raw:
        if col.required:
            problems.append(
                Problem(rec.where, rec.row, col.name, f"{col.name} is blank; expected {col.description.lower()}")
            )
        return
    if col.type == "choice":
        choices = sectors if col.name == "sector" else col.choices
        by_norm = _by_norm(choices)
        canonical = by_norm.get(schema.normalise_term(raw))
        if canonical is None:
            close = difflib.get_close_matches(schema.normalise_term(raw), list(by_norm), n=1, cutoff=0.6)
            hint = f"; did you mean '{by_norm[close[0]]}'?" if close else ""
            problems.append(
                Problem(
                    rec.where,
                    rec.row,
                    col.name,
                    f"{col.name} '{raw}' is not known{hint} Allowed: {', '.join(choices)}"
                    + (" (add new sectors in sectors.csv)" if col.name == "sector" else ""),
                )
            )
        else:
            rec.values[col.name] = canonical
    elif col.type == "number":
        if _parse_number(raw) is None:
            problems.append(Problem(rec.where, rec.row, col.name, f"{col.name} '{raw}' is not a number"))
    elif col.type == "date":
        if _parse_date(raw) is None:
            problems.append(
                Problem(
                    rec.where,
                    rec.row,
                    col.name,
                    f"{col.name} '{raw}' is not a date; expected YYYY-MM-DD (or DD/MM/YYYY)",
                )
            )
    elif col.name == "identifiers":
        for item in _split_list(raw):
            if not _ORG_ID_RE.match(item):
                problems.append(
                    Problem(
                        rec.where,
                        rec.row,
                        col.name,
                        f"identifier '{item}' is not an org-id; expected e.g. GB-NHS-RR8, "
                        "GB-CHC-1234567 or GB-COH-01234567",
                    )
                )


def _split_list(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(";") if x.strip())


def _extra_attributes(records: list[_Record], spec: tuple[schema.Column, ...]) -> dict[str, bool]:
    """Extra (undeclared) columns and whether each is wholly numeric."""
    declared = {c.name for c in spec}
    extras: dict[str, bool] = {}
    for rec in records:
        for k, v in rec.values.items():
            if k in declared:
                continue
            numeric = extras.get(k, True)
            if v and _parse_number(v) is None:
                numeric = False
            extras[k] = numeric
    return extras


def build_graph(tables: dict[str, RawTable], *, where: str = "") -> nx.MultiDiGraph:
    """Validate raw tables and build the graph; raise :class:`ValidationError` listing every problem.

    Examples
    --------
    >>> from lcpgraph.load import RawTable
    >>> t = {
    ...     "organisations": RawTable("organisations", "organisations.csv",
    ...         ["id", "name", "sector", "source"], [(2, ["o1", "Forum", "third sector", "x"])]),
    ...     "partnerships": RawTable("partnerships", "partnerships.csv",
    ...         ["id", "name", "type", "source"], [(2, ["p1", "HATCH", "lcp", "x"])]),
    ...     "relationships": RawTable("relationships", "relationships.csv",
    ...         ["from", "to", "kind", "source"], [(2, ["o1", "p1", "member_of", "x"])]),
    ... }
    >>> G = build_graph(t)
    >>> list(G.edges(keys=True, data="kind"))
    [('o1', 'p1', 0, 'member_of')]
    """
    problems: list[Problem] = []
    for name in schema.REQUIRED_TABLES:
        if name not in tables:
            problems.append(
                Problem(
                    where or ".",
                    None,
                    None,
                    f"the table '{name}' is missing (expected {name}.csv or a sheet named '{name}')",
                )
            )

    headers: dict[str, list[str]] = {}
    for name, table in tables.items():
        h = _check_header(table, problems)
        if h is not None:
            headers[name] = h

    sectors = schema.SECTORS
    if SECTORS_TABLE in headers:
        extra = [
            r.values["sector"]
            for r in _records(tables[SECTORS_TABLE], headers[SECTORS_TABLE], problems)
            if r.values.get("sector")
        ]
        known = {schema.normalise_term(s) for s in sectors}
        sectors = sectors + tuple(
            dict.fromkeys(s.strip().lower() for s in extra if schema.normalise_term(s) not in known)
        )

    # nodes
    node_records: dict[str, _Record] = {}
    node_kind: dict[str, str] = {}
    node_tables = [t for t in schema.TABLE_KIND if t in headers]
    # When a node table could not be read, its ids are unknown: checking references against
    # the rest would bury the one real problem under a cascade of false ones.
    check_refs = all(t in headers for t in schema.TABLE_KIND if t in tables)
    all_node_records: list[tuple[str, list[_Record]]] = []
    for tname in node_tables:
        spec = schema.TABLES[tname]
        records = _records(tables[tname], headers[tname], problems)
        for rec in records:
            for col in spec:
                _check_cell(rec, col, sectors, problems)
            nid = rec.values.get("id", "")
            if not nid:
                continue
            if nid in node_records:
                first = node_records[nid]
                problems.append(
                    Problem(
                        rec.where,
                        rec.row,
                        "id",
                        f"id '{nid}' is already used at {first.where}, row {first.row}; ids must be unique across all tables",
                    )
                )
                continue
            node_records[nid] = rec
            node_kind[nid] = schema.TABLE_KIND[tname]
        all_node_records.append((tname, records))

    # relationships
    rel_records: list[_Record] = []
    if "relationships" in headers:
        spec = schema.TABLES["relationships"]
        seen_pairs: dict[tuple, int] = {}
        for rec in _records(tables["relationships"], headers["relationships"], problems):
            for col in spec:
                _check_cell(rec, col, sectors, problems)
            v = rec.values
            ok = True
            for end in ("from", "to"):
                ref = v.get(end, "")
                if ref and ref not in node_records and check_refs:
                    problems.append(
                        Problem(
                            rec.where,
                            rec.row,
                            end,
                            f"'{ref}' is not the id of any organisation, partnership, board or person"
                            f"{_did_you_mean(ref, node_records)}",
                        )
                    )
                    ok = False
                elif not ref or ref not in node_records:
                    ok = False
            kind = schema.RELATIONSHIP_KINDS.get(v.get("kind", ""))
            if ok and v["from"] == v["to"]:
                problems.append(
                    Problem(rec.where, rec.row, "to", f"relationship from '{v['from']}' to itself (a self-loop)")
                )
                ok = False
            if ok and kind is not None:
                fk, tk = node_kind[v["from"]], node_kind[v["to"]]
                allowed = fk in kind.from_kinds and tk in kind.to_kinds
                if not allowed and not kind.directed:
                    allowed = tk in kind.from_kinds and fk in kind.to_kinds
                if not allowed:
                    problems.append(
                        Problem(
                            rec.where,
                            rec.row,
                            "kind",
                            f"'{kind.name}' cannot join a {fk} ('{v['from']}') to a {tk} ('{v['to']}'); "
                            f"it joins {' or '.join(kind.from_kinds)} to {' or '.join(kind.to_kinds)}",
                        )
                    )
                    ok = False
            s = _parse_date(v["start"]) if v.get("start") else None
            e = _parse_date(v["end"]) if v.get("end") else None
            if s and e and e < s:
                problems.append(Problem(rec.where, rec.row, "end", f"end {v['end']} is before start {v['start']}"))
                ok = False
            if ok and kind is not None:
                a, b = v["from"], v["to"]
                pair = (a, b) if kind.directed else tuple(sorted((a, b)))
                sig = (kind.name, *pair, s, e)
                if sig in seen_pairs:
                    problems.append(
                        Problem(
                            rec.where,
                            rec.row,
                            None,
                            f"duplicate relationship: '{a}' {kind.name} '{b}' is already at row {seen_pairs[sig]}",
                        )
                    )
                    ok = False
                else:
                    seen_pairs[sig] = rec.row
            if ok:
                rel_records.append(rec)

    if problems:
        raise ValidationError(sorted(problems, key=lambda p: (p.path, p.row or 0, p.column or "", p.message)))

    G = nx.MultiDiGraph()
    G.graph["sectors"] = sectors
    for tname, records in all_node_records:
        spec = schema.TABLES[tname]
        extras = _extra_attributes(records, spec)
        for rec in records:
            G.add_node(
                rec.values["id"], kind=schema.TABLE_KIND[tname], **_attributes(rec.values, spec, extras, skip=("id",))
            )
    rel_spec = schema.TABLES["relationships"]
    rel_extras = _extra_attributes(rel_records, rel_spec)
    for i, rec in enumerate(rel_records):
        attrs = _attributes(rec.values, rel_spec, rel_extras, skip=("from", "to"))
        attrs.setdefault("weight", 1.0)
        G.add_edge(rec.values["from"], rec.values["to"], key=i, **attrs)
    return G


def _attributes(
    values: dict[str, str], spec: tuple[schema.Column, ...], extras: dict[str, bool], skip: tuple[str, ...]
) -> dict[str, object]:
    types = {c.name: c.type for c in spec}
    out: dict[str, object] = {}
    for k, v in values.items():
        if not v or k in skip:
            continue
        t = types.get(k)
        if t == "number" or (t is None and extras.get(k)):
            out[k] = _parse_number(v)
        elif t == "date":
            out[k] = _parse_date(v).isoformat()
        elif t == "list":
            out[k] = _split_list(v)
        else:
            out[k] = v
    return out
