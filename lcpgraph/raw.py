"""Raw tables: what a reader (CSV folder or workbook) hands to validation, before any checking.

Readers and validation meet here so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lcpgraph import schema

__all__ = ["KNOWN_TABLES", "PLACE_TABLE", "RATINGS_TABLE", "SECTORS_TABLE", "RawTable"]

#: Optional one-column table of extra sectors (``sector``).
SECTORS_TABLE = "sectors"
#: Optional key/value table describing the place (its name, what its local units are called…).
PLACE_TABLE = "place"
#: Optional table of partner-survey ratings (see :mod:`lcpgraph.survey`).
RATINGS_TABLE = "ratings"

#: Every table name a dataset may hold, as a file stem (``boards.csv``) or a sheet name.
KNOWN_TABLES: tuple[str, ...] = (*schema.TABLES, SECTORS_TABLE, PLACE_TABLE, RATINGS_TABLE)


@dataclass
class RawTable:
    """A table as read, before validation: every cell is a string.

    ``where`` names the table for messages (a file path, or a workbook and sheet); ``rows``
    hold ``(row_number, cells)`` where ``row_number`` is the spreadsheet row (header = 1).
    """

    name: str
    where: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
