"""A NUL (0x00) in text never reaches the database: an InputError names the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from skillpath.errors import InputError
from skillpath.store import open_store


def test_a_nul_is_refused_with_the_field(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with store.session(write=True) as s:
        s.execute(text("CREATE TABLE t (name TEXT)"))
    rows = [{"name": "fine"}, {"name": "bad\x00"}]
    with pytest.raises(InputError) as err, store.session(write=True) as s:
        s.execute(text("INSERT INTO t (name) VALUES (:name)"), rows)
    assert err.value.column == "name" and "NUL" in str(err.value)
    with store.session() as s:  # the whole statement was refused: nothing half-written
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM t WHERE name = :n"), {"n": "ok"}).scalar() == 0
