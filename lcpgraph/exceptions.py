"""Exceptions raised by lcpgraph: one base class, and a validation error that lists every problem."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LcpGraphError", "NotFoundError", "Problem", "ValidationError", "closest", "did_you_mean"]


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


def closest(value: str, choices, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The ``n`` choices most like ``value`` (case-insensitive), best first; none below ``cutoff``.

    >>> closest("Thrid sector", ["third sector", "housing"])
    ['third sector']
    """
    import difflib

    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(str(c).lower(), str(c))
    return [by_lower[m] for m in difflib.get_close_matches(value.lower(), list(by_lower), n=n, cutoff=cutoff)]


def did_you_mean(value: str, choices, cutoff: float = 0.6) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when nothing is close.

    >>> did_you_mean("membr_of", ["member_of", "chairs"])
    "; did you mean 'member_of'?"
    """
    close = closest(value, choices, 1, cutoff)
    return f"; did you mean '{close[0]}'?" if close else ""
