"""Settings read from the environment (prefix ``SKILLPATH_``); the library reads no config file."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir", "get_settings"]

APP = "skillpath"


class Settings(BaseSettings):
    """Runtime settings.

    Attributes:
        db: SQLAlchemy URL of the store; default a SQLite file in the user data directory.
        data: folder with official data files to import offline (``SKILLPATH_DATA``).
        cache_dir: where downloads are cached (XDG cache directory by default).
        home: the user data directory (SQLite file, attachments, keys).
    """

    model_config = SettingsConfigDict(env_prefix="SKILLPATH_", extra="ignore")

    db: str | None = None
    data: Path | None = None
    cache_dir: Path = Path(platformdirs.user_cache_dir(APP))
    home: Path = Path(platformdirs.user_data_dir(APP))

    def db_url(self) -> str:
        """The store URL: ``SKILLPATH_DB`` if set, else ``sqlite:///<home>/skillpath.db``."""
        if self.db:
            if "://" not in self.db:  # a bare path means a SQLite file
                return f"sqlite:///{Path(self.db).expanduser().resolve()}"
            return self.db
        from skillpath._private_files import private_dir

        private_dir(self.home)  # 0700: the store holds private evidence and signing keys
        return f"sqlite:///{self.home / 'skillpath.db'}"


def get_settings() -> Settings:
    """Read settings from the environment now (not cached: tests change the environment)."""
    return Settings()


def default_data_dir() -> Path | None:
    """The shared data folder: ``SKILLPATH_DATA`` or ``../shared/data`` beside the checkout."""
    s = get_settings()
    if s.data is not None:
        return s.data if s.data.exists() else None
    here = Path(__file__).resolve()
    for parent in [Path.cwd(), *here.parents]:
        cand = parent.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return None
