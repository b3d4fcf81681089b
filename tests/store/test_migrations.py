"""Every released schema upgrades to head, on SQLite and PostgreSQL, and then imports work.

"Released" means every state of the migrations folder that was on main: each revision of the
current scripts (append-only from now on), plus the earlier contents of revisions that were edited
after release (kept as snapshots in ``old_migrations/<commit>``, taken with
``git show <commit>:src/skillpath/store/migrations/versions/<file>``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from skillpath.store import Base, close_all, open_store
from skillpath.store._db import MIGRATIONS, alembic_config
from skillpath.taxonomy import import_paths, status
from taxonomy._release import small_release

OLD = Path(__file__).with_name("old_migrations")


def _engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url)


def _diff(url: str) -> list[str]:
    """Differences between the database's schema and the models, as sorted strings."""
    eng = _engine(url)
    try:
        with eng.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return sorted(repr(d) for d in compare_metadata(ctx, Base.metadata))
    finally:
        eng.dispose()


def _old_scripts(commit: str, tmp: Path) -> Path:
    """A migrations folder holding the revisions as they were at ``commit``."""
    d = tmp / f"migrations-{commit}"
    (d / "versions").mkdir(parents=True)
    shutil.copy(MIGRATIONS / "env.py", d / "env.py")
    shutil.copy(MIGRATIONS / "script.py.mako", d / "script.py.mako")
    for snap in (OLD / commit).glob("*.snapshot"):
        shutil.copy(snap, d / "versions" / snap.name.removesuffix(".snapshot"))
    return d


def _upgrade(url: str, target: str, scripts: Path | None = None) -> None:
    cfg = alembic_config(url)
    if scripts is not None:
        cfg.set_main_option("script_location", str(scripts))
    command.upgrade(cfg, target)


def _released_states() -> list[tuple[str, str | None]]:
    """(target revision, old snapshot commit or None for the current scripts)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    current = [(rev.revision, None) for rev in script.walk_revisions()]
    old = [("heads", p.name) for p in sorted(OLD.iterdir()) if p.is_dir()]
    return old + sorted(current)


def test_old_snapshots_are_what_they_say() -> None:
    """The snapshot of the release before d805383 has the column that broke imports."""
    text = (OLD / "681ffab" / "0001_foundation_taxonomy.py.snapshot").read_text()
    assert "sa.Column('counts', sa.JSON(), nullable=False)" in text
    assert "origin" not in (OLD / "df78f89" / "0001_foundation_taxonomy.py.snapshot").read_text()


@pytest.mark.parametrize(("target", "commit"), _released_states(), ids=lambda v: str(v))
def test_every_released_revision_upgrades_to_head(
    db_url: str, tmp_path: Path, target: str, commit: str | None
) -> None:
    fresh = _diff_of_fresh(db_url, tmp_path)
    scripts = _old_scripts(commit, tmp_path) if commit else None
    _upgrade(db_url, target, scripts)
    if commit == "681ffab":
        assert "counts" in {c["name"] for c in inspect(_engine(db_url)).get_columns("tx_source")}
    close_all()
    store = open_store(db_url)  # applies every pending migration, as a user's first run does
    assert _diff(db_url) == fresh
    report = import_paths(store, [small_release(tmp_path / "rel")])
    assert report.loaded["requirements"] > 0
    assert status(store)["sources"][0]["source"] == "onet"


_FRESH: dict[str, list[str]] = {}


def _diff_of_fresh(db_url: str, tmp_path: Path) -> list[str]:
    """The (normally empty) model differences of a database created at head, per dialect."""
    dialect = db_url.split(":", 1)[0]
    if dialect not in _FRESH:
        if dialect == "sqlite":
            url = f"sqlite:///{tmp_path / 'fresh.db'}"
            _upgrade(url, "heads")
            _FRESH[dialect] = _diff(url)
        else:
            _upgrade(db_url, "heads")
            _FRESH[dialect] = _diff(db_url)
            command.downgrade(alembic_config(db_url), "base")
            eng = _engine(db_url)
            with eng.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            eng.dispose()
    return _FRESH[dialect]
