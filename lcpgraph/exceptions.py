"""Exceptions raised by lcpgraph: one base class, and a validation error that lists every problem."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LcpGraphError", "NotFoundError", "Problem", "ValidationError"]


class LcpGraphError(Exception):
    """Base class for every error lcpgraph raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``row`` is the spreadsheet row number (the header is row 1, the first record row 2), or
    ``None`` when the problem concerns the whole file; ``column`` is ``None`` likewise.
    """

    path: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ValidationError(LcpGraphError):
    """The input has one or more problems; ``problems`` lists them all.

    >>> err = ValidationError([Problem("boards.csv", 3, "name", "name is blank")])
    >>> print(err)
    1 problem found:
      boards.csv, row 3, column 'name': name is blank
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class NotFoundError(LcpGraphError):
    """A name or id given by the user matches nothing; the message lists the closest ones."""
