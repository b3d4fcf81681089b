"""Interactions: learners' ordered course histories as compact arrays plus a sparse matrix.

The value object every model fits on. Sequences keep the order of first contact (by time when
the events carry one, else file order), which the leave-last-out split and the sequence-aware
model rely on (decision 0041).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skillpath.errors import InputError

__all__ = [
    "Interactions",
    "Split",
    "leave_last_out",
    "random_holdout",
    "read_sequences",
    "stable_hash",
]


@dataclass(frozen=True, eq=False)
class Interactions:
    """Ordered, de-duplicated learner histories.

    Attributes:
        learners: external learner ids, index = learner number.
        courses: external course ids, index = course number.
        indptr: ``indptr[u]:indptr[u+1]`` slices ``items`` for learner ``u``.
        items: course numbers, each learner's in order (first contact first), no repeats.
    """

    learners: tuple[str, ...]
    courses: tuple[str, ...]
    indptr: np.ndarray
    items: np.ndarray
    _matrix: list[sp.csr_matrix] = field(default_factory=list, repr=False, compare=False)
    _grams: dict[float, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_learners(self) -> int:
        """Number of learners (rows)."""
        return len(self.learners)

    @property
    def n_courses(self) -> int:
        """Number of courses (columns)."""
        return len(self.courses)

    @property
    def n_events(self) -> int:
        """Number of (learner, course) pairs."""
        return int(self.items.shape[0])

    def history(self, learner: int) -> np.ndarray:
        """The course numbers of one learner, in order."""
        return self.items[self.indptr[learner] : self.indptr[learner + 1]]

    def lengths(self) -> np.ndarray:
        """History length per learner."""
        return np.diff(self.indptr)

    @property
    def matrix(self) -> sp.csr_matrix:
        """Binary learner x course matrix (float32, sorted indices); built once and cached."""
        if not self._matrix:
            data = np.ones(self.items.shape[0], dtype=np.float32)
            m = sp.csr_matrix(
                (data, self.items.astype(np.int32), self.indptr.astype(np.int64)),
                shape=(self.n_learners, self.n_courses),
            )
            m.sort_indices()
            self._matrix.append(m)
        return self._matrix[0]

    def gram(self, user_weight: float = 0.0) -> np.ndarray:
        """Item x item co-occurrence ``X' D^-2p X`` (float64), each learner's row scaled by
        ``len(history)^-p`` with ``p = user_weight``; cached, shared by the models that need it.

        ``p = 0`` counts co-enrolments; ``p = 0.5`` weighs a pair by ``1/len(history)``, so a
        learner with 500 courses does not dominate the item-item statistics.
        """
        g = self._grams.get(user_weight)
        if g is None:
            x = self.matrix
            if user_weight:
                deg = np.maximum(self.lengths(), 1).astype(np.float32)
                x = sp.diags(np.power(deg, -user_weight, dtype=np.float32)) @ x
            g = np.asarray((x.T @ x).toarray(), dtype=np.float64)
            self._grams[user_weight] = g
        return g

    def canonical(self) -> Interactions:
        """The same histories with learners and courses numbered in sorted id order.

        Anything computed on it (splits, samples, fits, selections) is the same however the
        input file was ordered; each learner's own course order is kept.
        """
        lorder = np.argsort(np.asarray(self.learners, dtype=object), kind="stable")
        corder = np.argsort(np.asarray(self.courses, dtype=object), kind="stable")
        if np.array_equal(lorder, np.arange(len(lorder))) and np.array_equal(
            corder, np.arange(len(corder))
        ):
            return self
        new_id = np.empty(len(corder), dtype=np.int32)
        new_id[corder] = np.arange(len(corder), dtype=np.int32)
        lengths = self.lengths()[lorder]
        indptr = np.zeros(self.n_learners + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        starts = self.indptr[:-1][lorder]
        # gather each learner's slice in the new learner order, vectorised
        idx = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Interactions(
            learners=tuple(self.learners[i] for i in lorder),
            courses=tuple(self.courses[i] for i in corder),
            indptr=indptr,
            items=new_id[self.items[idx]],
        )

    def course_index(self) -> dict[str, int]:
        """Map from external course id to course number."""
        return {c: i for i, c in enumerate(self.courses)}

    def learner_index(self) -> dict[str, int]:
        """Map from external learner id to learner number."""
        return {u: i for i, u in enumerate(self.learners)}

    @classmethod
    def from_sequences(
        cls,
        sequences: Iterable[tuple[str, Sequence[str]]],
        *,
        courses: Sequence[str] | None = None,
    ) -> Interactions:
        """Build from ``(learner, [course, ...])`` pairs in order; repeats keep the first contact.

        Args:
            sequences: learner id and that learner's courses, first contact first.
            courses: optional fixed course vocabulary (unknown courses then raise InputError).
        """
        fixed = courses is not None
        cindex: dict[str, int] = {c: i for i, c in enumerate(courses or ())}
        names: list[str] = list(courses or ())
        learners: list[str] = []
        indptr = [0]
        items: list[int] = []
        for learner, seq in sequences:
            seen: set[int] = set()
            for c in seq:
                i = cindex.get(c)
                if i is None:
                    if fixed:
                        raise InputError("unknown course", value=c)
                    i = cindex[c] = len(names)
                    names.append(c)
                if i not in seen:
                    seen.add(i)
                    items.append(i)
            learners.append(learner)
            indptr.append(len(items))
        return cls(
            learners=tuple(learners),
            courses=tuple(names),
            indptr=np.asarray(indptr, dtype=np.int64),
            items=np.asarray(items, dtype=np.int32),
        )

    def with_histories(self, indptr: np.ndarray, items: np.ndarray) -> Interactions:
        """A copy with the same learners and courses and new histories."""
        return Interactions(self.learners, self.courses, indptr, items)


def read_sequences(path: str | Path, *, limit: int | None = None) -> Interactions:
    """Read the ``learner course course ...`` text format (one learner per line, in order).

    This is the format of the MOOCCubeX/XuetangX benchmark files.

    Raises:
        InputError: the file is missing, empty, not UTF-8 or has a malformed line.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", file=p)

    def gen() -> Iterable[tuple[str, list[str]]]:
        try:
            with p.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if limit is not None and n > limit:
                        return
                    parts = line.split()
                    if not parts:
                        continue
                    yield parts[0], parts[1:]
        except UnicodeDecodeError as exc:
            raise InputError("not UTF-8 text; re-save the file as UTF-8", file=p) from exc

    inter = Interactions.from_sequences(gen())
    if inter.n_learners == 0:
        raise InputError("empty file: no learners", file=p)
    return inter


@dataclass(frozen=True)
class Split:
    """A leave-last-out split: ``train`` plus one held-out course per learner (-1: none)."""

    train: Interactions
    heldout: np.ndarray

    @property
    def eval_learners(self) -> np.ndarray:
        """Learners that have a held-out course."""
        return np.flatnonzero(self.heldout >= 0)


def leave_last_out(data: Interactions, *, min_history: int = 2) -> Split:
    """Hold out each learner's last course when the learner keeps at least ``min_history`` others.

    Apply twice for the standard protocol: the first call gives the test course, the second
    (on its ``train``) the validation course. Order is the sequence order (time when known).
    """
    lengths = data.lengths()
    hold = lengths >= min_history + 1
    last_pos = data.indptr[1:] - 1
    heldout = np.where(hold, data.items[np.clip(last_pos, 0, None)] if data.n_events else -1, -1)
    keep = np.ones(data.items.shape[0], dtype=bool)
    keep[last_pos[hold]] = False
    new_lengths = lengths - hold.astype(np.int64)
    indptr = np.zeros(data.n_learners + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=indptr[1:])
    return Split(
        train=data.with_histories(indptr, data.items[keep]), heldout=heldout.astype(np.int64)
    )


def stable_hash(names: Sequence[str], seed: int = 0) -> np.ndarray:
    """A 64-bit hash per name that is the same in every process and on every machine.

    Python's ``hash`` is salted per process, so it cannot make a split reproducible.
    """
    salt = str(seed).encode()
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(n.encode(), digest_size=8, salt=salt[:16]).digest())
            for n in names
        ),
        dtype=np.uint64,
        count=len(names),
    )


def _mix(x: np.ndarray) -> np.ndarray:
    # splitmix64 finaliser: spreads the bits of a combined key (wrap-around is intended)
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def random_holdout(data: Interactions, *, seed: int = 0, min_history: int = 2) -> Split:
    """Hold out one pseudo-random course per learner who keeps at least ``min_history`` others.

    The course is the one with the smallest hash of (seed, learner id, course id), so the split
    depends only on *which* courses each learner took: shuffling the lines of the file, the
    courses within a line, or renumbering learners and courses gives the same held-out pairs.
    Every position of a history is equally likely to be held out, unlike leave-last-out, whose
    answer depends on how the file was written (decision 0045). Each seed is a different split.
    """
    lengths = data.lengths()
    hold = lengths >= min_history + 1
    if not data.n_events:
        return Split(train=data, heldout=np.full(data.n_learners, -1, dtype=np.int64))
    lh = stable_hash(data.learners, seed)
    ch = stable_hash(data.courses, seed)
    owner = np.repeat(np.arange(data.n_learners), lengths)
    with np.errstate(over="ignore"):
        key = _mix(lh[owner] ^ _mix(ch[data.items]))
    # position of the smallest key inside each learner's slice
    order = np.lexsort((key, owner))
    first = order[data.indptr[:-1][lengths > 0]]
    pick = np.full(data.n_learners, -1, dtype=np.int64)
    pick[lengths > 0] = first
    heldout = np.where(hold, data.items[np.clip(pick, 0, None)], -1).astype(np.int64)
    keep = np.ones(data.n_events, dtype=bool)
    keep[pick[hold]] = False
    indptr = np.zeros(data.n_learners + 1, dtype=np.int64)
    np.cumsum(lengths - hold.astype(np.int64), out=indptr[1:])
    return Split(train=data.with_histories(indptr, data.items[keep]), heldout=heldout)
