"""Tables of the course catalogue: courses, their skill tags, prerequisites, ratings, imports.

Course ids are natural keys ``provider:native_id`` so that re-importing a file updates in place.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.store._base import Base


class CatCourse(Base):
    """One course as imported (the original row is kept in ``raw``), plus derived fields."""

    __tablename__ = "cat_course"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    provider: Mapped[str] = mapped_column(String(64), index=True)
    native_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    syllabus: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    institution: Mapped[str] = mapped_column(Text, default="")
    instructors: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(64), default="")
    level_label: Mapped[str] = mapped_column(String(64), default="")
    level: Mapped[float] = mapped_column(Float, default=2.5)
    level_why: Mapped[str] = mapped_column(Text, default="")
    bloom: Mapped[str] = mapped_column(String(24), default="remember/understand")
    bloom_cues: Mapped[list] = mapped_column(JSON, default=list)
    duration_text: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours_pattern: Mapped[str] = mapped_column(String(64), default="")
    hours_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    is_free: Mapped[bool] = mapped_column(Boolean, default=True)
    certificate_price: Mapped[float | None] = mapped_column(Float, nullable=True)
    stated_rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    stated_rating_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    popularity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published: Mapped[str | None] = mapped_column(String(40), nullable=True)
    prerequisites_text: Mapped[str] = mapped_column(Text, default="")
    # The provider's own skill labels, as listed (Coursera's "Skills"); not taxonomy ids.
    provider_skills: Mapped[list] = mapped_column(JSON, default=list)
    url_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    title_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(300), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(40), default="")
    tag_hash: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_file: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[str] = mapped_column(String(40), default="")
    raw: Mapped[dict] = mapped_column(JSON, default=dict)


class CatCourseSkill(Base):
    """A skill a course teaches, ranked, with confidence, level and the evidence."""

    __tablename__ = "cat_course_skill"
    course_id: Mapped[str] = mapped_column(
        String(300), ForeignKey("cat_course.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    label: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float)
    level: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    why: Mapped[str] = mapped_column(Text, default="")


class CatPrerequisite(Base):
    """A prerequisite of a course: a skill at a level, or another course."""

    __tablename__ = "cat_prerequisite"
    course_id: Mapped[str] = mapped_column(
        String(300), ForeignKey("cat_course.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    ref: Mapped[str] = mapped_column(String(300), primary_key=True)
    level: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="explicit")
    label: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")


class CatRating(Base):
    """Sufficient statistics of a course's individual ratings (from a ratings file)."""

    __tablename__ = "cat_rating"
    provider: Mapped[str] = mapped_column(String(64), primary_key=True)
    native_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    total_sq: Mapped[float] = mapped_column(Float)
    histogram: Mapped[list] = mapped_column(JSON, default=list)
    by_year: Mapped[dict] = mapped_column(JSON, default=dict)
    first: Mapped[str | None] = mapped_column(String(10), nullable=True)
    last: Mapped[str | None] = mapped_column(String(10), nullable=True)
    source_file: Mapped[str] = mapped_column(Text, default="")


class CatImport(Base):
    """One import run: counts, rejected rows with reasons, warnings (the import report)."""

    __tablename__ = "cat_import"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file: Mapped[str] = mapped_column(Text)
    preset: Mapped[str] = mapped_column(String(32))
    at: Mapped[str] = mapped_column(String(40))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    rejected: Mapped[list] = mapped_column(JSON, default=list)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
