"""The one xAPI 1.0.3 (IEEE 9274.1.1) statement reader (decision 0083).

``skillpath portfolio import --format xapi`` and ``skillpath recommend batch`` both read
statements through :func:`read_statements` (a file) or :func:`parse_statements` (parsed JSON):

* a statement needs ``actor`` (an Agent with exactly one identifier: ``mbox``, ``mbox_sha1sum``,
  ``openid`` or ``account``; or a Group), ``verb`` with an ``id`` IRI, and ``object`` (an Activity
  with an ``id``, an Agent/Group, a ``StatementRef`` with a UUID ``id``, or a ``SubStatement``);
  a malformed one is rejected with its reason and row;
* ``timestamp`` is optional: without it the statement's ``stored`` time is used, else none
  (callers use the import time or file order, and say so);
* a voiding statement (verb ``http://adlnet.gov/expapi/verbs/voided``, object a StatementRef)
  is not a statement about learning: it removes its target from the result;
* :data:`NOT_COMPLETIONS` (attempted, experienced, launched, ...) say someone started or saw
  something, not that they finished it; callers must not read them as completions.

The file forms: a JSON array, an LRS answer ``{"statements": [...]}``, one statement object, or
JSON Lines (streamed line by line). Every JSON text goes through :func:`skillpath._safejson.loads_json`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillpath._safejson import loads_json
from skillpath.errors import InputError

__all__ = [
    "NOT_COMPLETIONS",
    "VOIDED",
    "Statement",
    "StatementSet",
    "describe",
    "parse_statements",
    "parse_time",
    "read_statements",
]

#: The verb of a voiding statement.
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
#: Verbs (last path segment) that do not mean the learner completed anything.
NOT_COMPLETIONS = frozenset(
    {
        "attempted",
        "experienced",
        "launched",
        "initialized",
        "progressed",
        "registered",
        "interacted",
        "suspended",
        "resumed",
        "terminated",
        "exited",
        "asked",
        "answered",
        "attended",
        "imported",
        "preferred",
        "shared",
        "voided",
        "abandoned",
        "waived",
    }
)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")


def parse_time(value: str) -> dt.datetime:
    """ISO 8601 date/datetime or Unix seconds; naive values are taken as UTC.

    Raises:
        ValueError: with a message saying what was expected.
    """
    v = value.strip()
    try:
        if v.replace(".", "", 1).isdigit():
            return dt.datetime.fromtimestamp(float(v), tz=dt.UTC)
        t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(
            f"not a date/time: {value!r} (use ISO 8601, e.g. 2024-03-01T10:00)"
        ) from exc
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Statement:
    """A valid statement.

    Attributes:
        row: where it is in the source (array position or line number, 1-based).
        id: the statement id (a UUID), if it has one.
        learner: the actor's identifier (``mailto:...``, ``homePage|name``, ...).
        verb_id: the verb IRI; ``verb`` is its last path segment, lower case (``completed``).
        object_type: ``Activity``, ``Agent``, ``Group``, ``StatementRef`` or ``SubStatement``.
        object_id: the object's id (the activity IRI for an Activity), if any.
        time: ``timestamp``, else ``stored``, else None; ``time_source`` says which.
        raw: the statement as read.
    """

    row: int
    id: str | None
    learner: str
    verb_id: str
    verb: str
    object_type: str
    object_id: str | None
    time: dt.datetime | None
    time_source: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def is_completion_verb(self) -> bool:
        """False for verbs that only say something was started, seen or attended."""
        return self.verb not in NOT_COMPLETIONS


@dataclass
class StatementSet:
    """What a read produced: the valid statements left after voiding, and what was left out."""

    statements: list[Statement] = field(default_factory=list)
    rows: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    voided: list[tuple[int, str]] = field(default_factory=list)  # (row of the voided, its id)
    voiding: list[tuple[int, str]] = field(default_factory=list)  # (row, id of the target)
    notes: list[str] = field(default_factory=list)


def _is_uuid(v: object) -> bool:
    if not isinstance(v, str) or len(v) != 36:
        return False
    try:
        uuid.UUID(v)
    except ValueError:
        return False
    return True


def _lang_map(v: object, where: str) -> str | None:
    if not isinstance(v, dict) or not all(
        isinstance(k, str) and isinstance(t, str) for k, t in v.items()
    ):
        return f'{where} must be a language map ({{"en-US": "text"}})'
    return None


def _agent_id(a: dict[str, Any], where: str) -> tuple[str | None, str | None]:
    """``(identifier, problem)`` of an Agent or identified Group."""
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in a]
    if len(ifis) > 1:
        return None, f"{where} has more than one identifier ({', '.join(ifis)}); use exactly one"
    if not ifis:
        return None, None
    k = ifis[0]
    v = a[k]
    if k == "mbox":
        if not isinstance(v, str) or not v.startswith("mailto:") or "@" not in v:
            return None, f"{where}.mbox must be a mailto: IRI, not {v!r}"
    elif k == "mbox_sha1sum":
        if not isinstance(v, str) or not _SHA1.match(v):
            return None, f"{where}.mbox_sha1sum must be 40 hex digits"
    elif k == "openid":
        if not isinstance(v, str) or not _IRI.match(v):
            return None, f"{where}.openid must be a URI"
    else:
        if (
            not isinstance(v, dict)
            or not isinstance(v.get("homePage"), str)
            or not isinstance(v.get("name"), str)
            or not v.get("name")
        ):
            return None, f"{where}.account needs a homePage (IRL) and a name"
        if not _IRI.match(v["homePage"]):
            return None, f"{where}.account.homePage must be an IRL"
        return f"{v['homePage']}|{v['name']}", None
    return str(v), None


def _actor(a: object, where: str) -> tuple[str | None, str | None]:
    if not isinstance(a, dict):
        return None, f"{where} is missing or not an object"
    kind = a.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        return None, f"{where}.objectType must be Agent or Group, not {kind!r}"
    ident, why = _agent_id(a, where)
    if why:
        return None, why
    if kind == "Agent":
        if ident is None:
            return None, f"{where} has no identifier (mbox, mbox_sha1sum, openid or account)"
        return ident, None
    members = a.get("member")
    if members is not None:
        if not isinstance(members, list):
            return None, f"{where}.member must be a list of Agents"
        for i, m in enumerate(members):
            if not isinstance(m, dict) or m.get("objectType", "Agent") != "Agent":
                return None, f"{where}.member[{i}] must be an Agent"
            mid, why = _agent_id(m, f"{where}.member[{i}]")
            if why or mid is None:
                return None, why or f"{where}.member[{i}] has no identifier"
    if ident is None:
        if not members:
            return None, f"{where} is an anonymous Group without members"
        first, _ = _agent_id(members[0], where)
        return f"group:{first}", None
    return ident, None


def _verb(v: object, where: str) -> tuple[str | None, str | None]:
    if not isinstance(v, dict):
        return None, f"{where} is missing or not an object"
    vid = v.get("id")
    if not isinstance(vid, str) or not _IRI.match(vid):
        return (
            None,
            f"{where} needs an id (an IRI such as http://adlnet.gov/expapi/verbs/completed)",
        )
    if "display" in v and (why := _lang_map(v["display"], f"{where}.display")):
        return None, why
    return vid, None


def _object(o: object, where: str, *, sub: bool = False) -> tuple[str, str | None, str | None]:
    """``(objectType, id, problem)``."""
    if not isinstance(o, dict):
        return "", None, f"{where} is missing or not an object"
    kind = o.get("objectType", "Activity")
    if kind == "Activity":
        oid = o.get("id")
        if not isinstance(oid, str) or not _IRI.match(oid):
            return kind, None, f"{where} (an Activity) needs an id IRI"
        d = o.get("definition")
        if d is not None:
            if not isinstance(d, dict):
                return kind, oid, f"{where}.definition must be an object"
            for k in ("name", "description"):
                if k in d and (why := _lang_map(d[k], f"{where}.definition.{k}")):
                    return kind, oid, why
        return kind, oid, None
    if kind in ("Agent", "Group"):
        ident, why = _actor(o, where)
        return kind, ident, why
    if kind == "StatementRef":
        if not _is_uuid(o.get("id")):
            return (
                kind,
                None,
                f"{where} (a StatementRef) needs the id (a UUID) of the statement it refers to",
            )
        return kind, o["id"], None
    if kind == "SubStatement":
        if sub:
            return kind, None, f"{where}: a SubStatement cannot contain another SubStatement"
        for k in ("id", "stored", "version", "authority"):
            if k in o:
                return kind, None, f"{where} (a SubStatement) must not have {k!r}"
        why = _check_core(o, where)
        return kind, None, why
    return (
        kind,
        None,
        f"{where}.objectType {kind!r} is not one of Activity, Agent, Group, StatementRef, SubStatement",
    )


def _check_core(st: dict[str, Any], where: str) -> str | None:
    _, why = _actor(st.get("actor"), f"{where}.actor" if where else "actor")
    if why:
        return why
    _, why = _verb(st.get("verb"), f"{where}.verb" if where else "verb")
    if why:
        return why
    _, _, why = _object(st.get("object"), f"{where}.object" if where else "object", sub=bool(where))
    return why


def _nul_at(v: object, where: str) -> str | None:
    """The path of the first text (key or value) holding a NUL character, or None."""
    if isinstance(v, str):
        return where if "\x00" in v else None
    if isinstance(v, dict):
        for k, x in v.items():
            at = f"{where}.{k}" if where else str(k)
            if "\x00" in str(k):
                return at
            found = _nul_at(x, at)
            if found:
                return found
    if isinstance(v, list):
        for i, x in enumerate(v):
            found = _nul_at(x, f"{where}[{i}]")
            if found:
                return found
    return None


def _validate(st: object, row: int) -> tuple[Statement | None, str]:
    if not isinstance(st, dict):
        return None, "a statement must be a JSON object"
    nul = _nul_at(st, "")
    if nul:
        # JSON allows "\u0000", no store keeps it: the statement is refused here, with its row
        return None, f"{nul.replace(chr(0), '')} holds a NUL (0x00) character; remove it"
    learner, why = _actor(st.get("actor"), "actor")
    if why or learner is None:
        return None, why or "actor has no identifier"
    verb_id, why = _verb(st.get("verb"), "verb")
    if why or verb_id is None:
        return None, why or "verb needs an id"
    kind, oid, why = _object(st.get("object"), "object")
    if why:
        return None, why
    sid = st.get("id")
    if sid is not None and not _is_uuid(sid):
        return None, f"id must be a UUID, not {str(sid)[:60]!r}"
    if verb_id == VOIDED and kind != "StatementRef":
        return None, "a voiding statement's object must be a StatementRef"
    for k in ("result", "context"):
        if k in st and not isinstance(st[k], dict):
            return None, f"{k} must be an object"
    res = st.get("result") or {}
    for k in ("success", "completion"):
        if k in res and not isinstance(res[k], bool):
            return None, f"result.{k} must be true or false"
    score = res.get("score")
    if score is not None:
        if not isinstance(score, dict) or not all(
            isinstance(score[k], int | float) and not isinstance(score[k], bool)
            for k in ("scaled", "raw", "min", "max")
            if k in score
        ):
            return None, "result.score must be an object of numbers (scaled, raw, min, max)"
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            return None, f"result.score.scaled must be between -1 and 1, not {score['scaled']}"
        lo, hi, raw = score.get("min"), score.get("max"), score.get("raw")
        if lo is not None and hi is not None and lo > hi:
            return None, "result.score.min is above result.score.max"
        if raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
            return None, "result.score.raw is outside result.score.min..max"
    time, source = None, "none"
    for k in ("timestamp", "stored"):
        v = st.get(k)
        if v is None:
            continue
        if not isinstance(v, str):
            return None, f"{k} must be an ISO 8601 text"
        try:
            t = parse_time(v)
        except ValueError as exc:
            return None, f"{k}: {exc}"
        if time is None:
            time, source = t, k
    tail = verb_id.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()
    return (
        Statement(
            row=row,
            id=sid,
            learner=learner,
            verb_id=verb_id,
            verb=tail,
            object_type=kind,
            object_id=oid,
            time=time,
            time_source=source,
            raw=st,
        ),
        "",
    )


def _finish(out: StatementSet, valid: list[Statement]) -> StatementSet:
    targets: dict[str, int] = {}
    for s in valid:
        if s.verb_id == VOIDED and s.object_id:
            targets[s.object_id] = s.row
    voiding_ids = {s.id for s in valid if s.verb_id == VOIDED and s.id}
    for s in valid:
        if s.verb_id == VOIDED:
            out.voiding.append((s.row, s.object_id or ""))
            continue
        if s.id is not None and s.id in targets:
            out.voided.append((s.row, s.id))
            continue
        out.statements.append(s)
    for tid in sorted(set(targets) & voiding_ids):
        out.notes.append(
            f"statement {tid} voids a voiding statement, which xAPI does not allow: ignored"
        )
    n_void = sum(1 for s in valid if s.verb_id == VOIDED)
    if n_void:
        out.notes.append(
            f"{n_void} voiding statement(s) read; {len(out.voided)} voided statement(s) left out"
        )
    stored = sum(1 for s in out.statements if s.time_source == "stored")
    none = sum(1 for s in out.statements if s.time is None)
    if stored:
        out.notes.append(f"{stored} statement(s) have no timestamp: their 'stored' time is used")
    if none:
        out.notes.append(f"{none} statement(s) have neither timestamp nor stored time")
    return out


def parse_statements(doc: object, *, source: str | Path = "xapi") -> StatementSet:
    """Validate already-parsed statements (a list, ``{"statements": [...]}`` or one statement)."""
    if isinstance(doc, dict):
        doc = doc["statements"] if isinstance(doc.get("statements"), list) else [doc]
    if not isinstance(doc, list):
        raise InputError(
            'expected xAPI statements: a JSON array or {"statements": [...]}', file=source
        )
    return _collect(enumerate(doc, start=1))


def _collect(items: Iterable[tuple[int, object]], out: StatementSet | None = None) -> StatementSet:
    out = out or StatementSet()
    valid: list[Statement] = []
    for row, st in items:
        if isinstance(st, InputError):
            out.rows += 1
            out.rejected.append((row, st.message))
            continue
        out.rows += 1
        s, why = _validate(st, row)
        if s is None:
            out.rejected.append((row, why))
        else:
            valid.append(s)
    return _finish(out, valid)


def read_statements(path: str | Path) -> StatementSet:
    """Read and validate the statements of a file (JSON array, LRS answer, object or JSON Lines).

    Raises:
        InputError: missing, empty, undecodable or unparseable file (a bad line of JSON Lines is
            only that row's rejection).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", file=p)
    fh = p.open(encoding="utf-8-sig", newline="")
    with fh:
        try:
            head = fh.read(1)
            while head and head.isspace():
                head = fh.read(1)
            if not head:
                raise InputError(
                    "empty file: expected xAPI statements (JSON or JSON Lines)", file=p
                )
            rest = fh.read() if head == "[" else None
        except UnicodeDecodeError as exc:
            raise InputError("not UTF-8 text; re-save the file as UTF-8", file=p) from exc
        if rest is not None:
            doc = loads_json(head + rest, file=p, what="the xAPI statements")
            return parse_statements(doc, source=p)
        return _collect(_lines(head, fh, p))


def _lines(head: str, fh: io.TextIOWrapper, path: Path) -> Iterator[tuple[int, object]]:
    """JSON Lines, one statement per line; a pretty-printed single document is also read."""
    n = 0
    try:
        for n, line in enumerate(fh, start=1):
            if n == 1:
                line = head + line
            if not line.strip():
                continue
            try:
                obj = loads_json(line, file=path, what=f"line {n}", first_line=n)
            except InputError as exc:
                if n == 1 and line.lstrip().startswith("{") and not line.rstrip().endswith("}"):
                    doc = loads_json(line + fh.read(), file=path, what="the xAPI statements")
                    if isinstance(doc, dict) and isinstance(doc.get("statements"), list):
                        yield from enumerate(doc["statements"], start=1)
                    else:
                        yield 1, doc
                    return
                yield n, exc
                continue
            if isinstance(obj, dict) and isinstance(obj.get("statements"), list):
                yield from enumerate(obj["statements"], start=1)
                continue
            yield n, obj
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text; re-save the file as UTF-8", file=path, row=n + 1) from exc


def describe(rejected: Iterable[tuple[int, str]], limit: int = 5) -> str:
    """The first ``limit`` rejections as ``row N: reason``, joined by ``; ``."""
    items = list(rejected)
    text = "; ".join(f"row {r}: {why}" for r, why in items[:limit])
    return text + (f"; and {len(items) - limit} more" if len(items) > limit else "")
