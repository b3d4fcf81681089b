"""Tables of the multi-user web app: accounts, sessions, sharing, evidence, reviews, mastery.

A learner's data hangs off their user id; a reviewer sees it only through a live (not revoked)
``web_link`` the learner created. Files are content-addressed blobs on disk (sha256 here).
"""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.store._base import Base


class WebUser(Base):
    """An account: email + argon2 password hash; role learner, mentor or admin."""

    __tablename__ = "web_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default="learner")
    created_at: Mapped[str] = mapped_column(String(40))


class WebSession(Base):
    """A login session; the cookie holds the token, the table its SHA-256 and CSRF secret."""

    __tablename__ = "web_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))


class WebApiToken(Base):
    """A bearer token for scripts using /api/v1 (stored hashed)."""

    __tablename__ = "web_api_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))


class WebLoginAttempt(Base):
    """Failed logins per key (email or client address), for throttling."""

    __tablename__ = "web_login_attempt"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(40), nullable=True)


class WebLearner(Base):
    """A learner's state: profile read from the CV (with corrections), target, plan, progress."""

    __tablename__ = "web_learner"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), primary_key=True
    )
    cv_filename: Mapped[str] = mapped_column(Text, default="")
    profile: Mapped[dict] = mapped_column(JSON, default=dict)  # skills, occupations, warnings
    corrections: Mapped[dict] = mapped_column(JSON, default=dict)  # skill id -> level | None
    target: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[dict] = mapped_column(JSON, default=dict)
    plan: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[list] = mapped_column(JSON, default=list)  # plan item ids marked done
    hours_logged: Mapped[dict] = mapped_column(JSON, default=dict)  # item id -> hours
    plan_status: Mapped[str] = mapped_column(String(16), default="none")  # none|running|ready|error
    plan_error: Mapped[str] = mapped_column(Text, default="")
    # re-plan generations (decision 0150): each request (a review, a new target) bumps
    # plan_gen in the UPDATE that marks "running"; plan_gen_done is the generation the stored
    # outcome (plan or error) was computed from. "ready" only when they meet.
    plan_gen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    plan_gen_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[str] = mapped_column(String(40))


class WebLink(Base):
    """An invitation by a learner to a mentor or peer, and, once accepted, their access."""

    __tablename__ = "web_link"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(16))  # mentor | peer
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_at: Mapped[str] = mapped_column(String(40))
    accepted_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    revoked_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class WebEvidence(Base):
    """Evidence a learner submitted on a plan task: text, a file, a link or a video."""

    __tablename__ = "web_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(Text)  # the plan item (task) it answers
    title: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list] = mapped_column(JSON, default=list)  # [{skill_id, label, target}]
    kind: Mapped[str] = mapped_column(String(8))  # text | file | link | video
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    filename: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    feedback_requested: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(40))


class WebReview(Base):
    """A review of evidence: rubric score, written feedback; an observation for mastery."""

    __tablename__ = "web_review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("web_evidence.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(12))  # self | peer | mentor
    rubric: Mapped[int] = mapped_column(Integer)  # index into mentoring.RUBRIC_LEVELS
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))


class WebComment(Base):
    """A comment on evidence, optionally anchored to a moment (seconds) of its video."""

    __tablename__ = "web_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("web_evidence.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"))
    at_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))


class WebEndorsement(Base):
    """A reviewer's endorsement of a learner's skill."""

    __tablename__ = "web_endorsement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))


class WebBadge(Base):
    """An Open Badges 3.0 credential issued for a skill backed by reviewed evidence."""

    __tablename__ = "web_badge"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the credential id
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("web_user.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, default="")
    evidence_ids: Mapped[list] = mapped_column(JSON, default=list)
    credential: Mapped[str] = mapped_column(Text)
    public: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(40))
