"""Accounts, sessions, API tokens and login throttling (argon2 password hashes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from skillpath.errors import InputError
from skillpath.store import Store
from skillpath.store.models.web import WebApiToken, WebLoginAttempt, WebSession, WebUser

__all__ = [
    "ROLES",
    "AuthError",
    "User",
    "api_token_user",
    "authenticate",
    "end_session",
    "forget_user",
    "get_user",
    "list_users",
    "new_api_token",
    "new_session",
    "register",
    "session_user",
]

ROLES = ("learner", "mentor", "admin")
SESSION_DAYS = 14
MAX_FAILURES = 5  # failed logins per email or client before a lock
LOCK_MINUTES = 15
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
_hasher = PasswordHasher()


class AuthError(InputError):
    """Wrong credentials, a locked account, or an expired session (the web answers 401/429)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    """The stored form of a session, invite or API token (its SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


class User:
    """A signed-in account (a plain value; never the ORM row)."""

    __slots__ = ("email", "id", "name", "role")

    def __init__(self, id: int, email: str, name: str, role: str) -> None:
        self.id, self.email, self.name, self.role = id, email, name, role

    @property
    def is_admin(self) -> bool:
        """Admins manage accounts; they do not read learners' evidence without an invitation."""
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"User({self.id}, {self.email!r}, {self.role})"


def _user(row: WebUser) -> User:
    return User(row.id, row.email, row.name, row.role)


def register(
    store: Store, *, email: str, password: str, name: str = "", role: str = "learner"
) -> User:
    """Create an account.

    Raises:
        InputError: a malformed email, a short password, an unknown role, or the email is taken.
    """
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InputError("not an email address", column="email", value=email)
    if len(password) < 8:
        raise InputError("the password needs at least 8 characters", column="password")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}", column="role", value=role)
    password_hash = _hasher.hash(password)  # before the write lock: it takes tens of ms
    with store.session(write=True) as s:
        if s.scalars(select(WebUser).where(WebUser.email == email)).first() is not None:
            raise InputError("an account with this email exists: sign in instead", column="email")
        row = WebUser(
            email=email,
            name=name.strip()[:200],
            password_hash=password_hash,
            role=role,
            created_at=_iso(_now()),
        )
        s.add(row)
        s.flush()
        return _user(row)


def _throttled(s, key: str, now: dt.datetime) -> bool:
    row = s.get(WebLoginAttempt, key)
    return bool(row and row.locked_until and dt.datetime.fromisoformat(row.locked_until) > now)


def _fail(s, key: str, now: dt.datetime) -> None:
    row = s.get(WebLoginAttempt, key)
    if row is None:
        row = WebLoginAttempt(key=key, failures=0)
        s.add(row)
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = _iso(now + dt.timedelta(minutes=LOCK_MINUTES))
        row.failures = 0


def authenticate(store: Store, *, email: str, password: str, client: str = "") -> User:
    """Check a password, with throttling per email and per client address.

    Raises:
        AuthError: wrong email or password (one message for both), or too many failures.
    """
    email = email.strip().lower()
    # no account's email holds a NUL, and PostgreSQL text cannot: it is looked up as no account
    # (the same answer and cost), its throttling key written with the NUL escaped
    nul = "\x00" in email
    now = _now()
    keys = [f"email:{email.replace(chr(0), '%00')}"] + ([f"client:{client}"] if client else [])
    with store.session() as s:
        throttled = any(_throttled(s, k, now) for k in keys)
        row = None if nul else s.scalars(select(WebUser).where(WebUser.email == email)).first()
    if throttled:
        err = AuthError(f"too many failed sign-ins: try again in {LOCK_MINUTES} minutes")
        err.throttled = True  # type: ignore[attr-defined]
        raise err
    ok = False  # the password check (tens of ms) holds no database lock
    if row is not None:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # same cost whether or not the account exists
    # write sessions take SQLite's write lock at BEGIN, so they wait for another writer instead
    # of failing when a read-then-write transaction upgrades (decision 0130)
    with store.session(write=True) as s:
        for k in keys:
            if not ok:
                _fail(s, k, now)
            elif (r := s.get(WebLoginAttempt, k)) is not None:
                s.delete(r)
    if not ok or row is None:
        raise AuthError("wrong email or password")
    return _user(row)


def new_session(store: Store, user: User) -> tuple[str, str]:
    """Start a session: returns (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    with store.session(write=True) as s:
        s.add(
            WebSession(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf=csrf,
                created_at=_iso(now),
                expires_at=_iso(now + dt.timedelta(days=SESSION_DAYS)),
            )
        )
    return token, csrf


class _Recent:
    """Who a session or API token belongs to, remembered for a few seconds per process.

    Every request resolves its cookie or bearer token; under load two primary-key reads per
    request add up. Entries live ``TTL`` seconds and are dropped at once when this process signs
    the session out or erases the account (:func:`end_session`, :func:`forget_user`); a change
    made by another process (an admin tool) is seen within ``TTL``.
    """

    TTL = 5.0
    MAX = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._d: dict[tuple[str, str], tuple[float, User, str, str]] = {}

    def get(self, store: Store, h: str) -> tuple[User, str, str] | None:
        with self._lock:
            hit = self._d.get((store.url, h))
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1], hit[2], hit[3]

    def put(self, store: Store, h: str, user: User, csrf: str, expires_at: str) -> None:
        with self._lock:
            if len(self._d) >= self.MAX:
                self._d.clear()
            self._d[(store.url, h)] = (time.monotonic() + self.TTL, user, csrf, expires_at)

    def drop(self, store: Store, h: str | None = None, user_id: int | None = None) -> None:
        with self._lock:
            for k, v in list(self._d.items()):
                if k[0] == store.url and (k[1] == h or v[1].id == user_id):
                    del self._d[k]


_recent = _Recent()


def session_user(store: Store, token: str | None) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None."""
    if not token:
        return None
    h = token_hash(token)
    hit = _recent.get(store, "s:" + h)
    if hit is None:
        with store.session() as s:
            row = s.get(WebSession, h)
            user = s.get(WebUser, row.user_id) if row is not None else None
            if row is None or user is None:
                return None
            hit = (_user(user), row.csrf, row.expires_at)
        _recent.put(store, "s:" + h, *hit)
    if dt.datetime.fromisoformat(hit[2]) < _now():
        return None
    return hit[0], hit[1]


def end_session(store: Store, token: str | None) -> None:
    """Sign out (delete the session)."""
    if not token:
        return
    h = token_hash(token)
    _recent.drop(store, "s:" + h)
    with store.session(write=True) as s:
        row = s.get(WebSession, h)
        if row is not None:
            s.delete(row)


def forget_user(store: Store, user_id: int) -> None:
    """Drop what this process remembers of the user's sessions and tokens (on erase)."""
    _recent.drop(store, user_id=user_id)


def new_api_token(store: Store, user: User, name: str = "") -> str:
    """A bearer token for /api/v1; shown once, stored hashed."""
    token = "spt_" + secrets.token_urlsafe(32)
    with store.session(write=True) as s:
        s.add(
            WebApiToken(
                token_hash=token_hash(token),
                user_id=user.id,
                name=name[:200],
                created_at=_iso(_now()),
            )
        )
    return token


def api_token_user(store: Store, token: str | None) -> User | None:
    """The user of a bearer token, or None."""
    if not token:
        return None
    h = token_hash(token)
    hit = _recent.get(store, "t:" + h)
    if hit is not None:
        return hit[0]
    with store.session() as s:
        row = s.get(WebApiToken, h)
        user = s.get(WebUser, row.user_id) if row else None
        if user is None:
            return None
        u = _user(user)
    _recent.put(store, "t:" + h, u, "", "")
    return u


def list_users(store: Store) -> list[User]:
    """Every account (for admins)."""
    with store.session() as s:
        return [_user(r) for r in s.scalars(select(WebUser).order_by(WebUser.id))]


def get_user(store: Store, user_id: int) -> User | None:
    """One account by id."""
    with store.session() as s:
        row = s.get(WebUser, user_id)
        return _user(row) if row else None
