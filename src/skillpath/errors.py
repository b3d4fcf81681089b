"""The exceptions Skillpath raises.

Hierarchy::

    SkillpathError                 base of everything we raise on purpose
    ├── InputError                 bad input from the user (file, row, column, value); CLI exit 2
    │   └── NotFoundError          a role, skill, course or item the user named does not exist
    ├── DataMissingError           the taxonomy/catalogue needed is not imported yet; CLI exit 2
    ├── OfflineError               a download could not reach the network; CLI exit 2
    ├── BusyError                  the database stayed locked by another process; CLI exit 2
    ├── IntegrityError             stored data or a checksum does not match; CLI exit 1
    └── NotVerifiedError           a check could not be completed here (offline, unsupported); CLI exit 3

Third-party errors are translated at the boundary (``raise InputError(...) from exc``) so that the
CLI can print one clear line and never a traceback for user mistakes.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BusyError",
    "DataMissingError",
    "InputError",
    "IntegrityError",
    "NotFoundError",
    "NotVerifiedError",
    "OfflineError",
    "SkillpathError",
]


class SkillpathError(Exception):
    """Base class for all errors Skillpath raises on purpose."""

    exit_code: int = 1


class InputError(SkillpathError):
    """Bad user input. Names the file, row, column and value where known, and what to do.

    Args:
        message: what is wrong and what to do about it.
        file: the file the problem is in, if any.
        row: the 1-based row (line) number, counting the header as row 1 for tabular files.
        column: the column or field name; a name starting with ``-`` is a command-line option
            and is reported as "option '--name'".
        value: the offending value.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            kind = "option" if self.column.startswith("-") else "column"
            where.append(f"{kind} {self.column!r}")
        if self.value is not None:
            v = repr(self.value)
            where.append(f"value {v[:80]}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class NotFoundError(InputError):
    """Something the user named (a role, a skill, a course, an item id) does not exist."""


class DataMissingError(SkillpathError):
    """Data the command needs has not been imported yet."""

    exit_code = 2


class OfflineError(SkillpathError):
    """A download could not reach the network."""

    exit_code = 2


class BusyError(SkillpathError):
    """The database stayed locked by another process (a concurrent import) past the wait."""

    exit_code = 2


class IntegrityError(SkillpathError):
    """Stored or downloaded data failed a consistency or checksum check."""


class NotVerifiedError(SkillpathError):
    """Nothing failed, but a check could not be completed here: it needs a network fetch (offline)
    or an unsupported form (e.g. a credential's status list, a hosted assertion, did:web)."""

    exit_code = 3
