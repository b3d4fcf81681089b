"""Tables for the occupational taxonomies (O*NET, ESCO) and their crosswalk.

Identifiers are natural keys so that re-importing a release is idempotent:
occupations ``onet:15-1252.00`` / ``esco:<uuid uri>``, skills ``onet:2.A.1.a`` (content model
element), ``onet-tech:<slug>`` (technology examples), ``esco:<uri>``.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.store._base import Base


class Source(Base):
    """One imported release of one taxonomy source (``onet``, ``esco``, ``crosswalk``)."""

    __tablename__ = "tx_source"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    release: Mapped[str] = mapped_column(String(64), primary_key=True)
    imported_at: Mapped[str] = mapped_column(String(40))
    files: Mapped[list] = mapped_column(JSON)
    # newest data date (YYYY-MM) in an unnamed release's files: orders it among numbered releases
    data_date: Mapped[str | None] = mapped_column(String(7), nullable=True)


class Occupation(Base):
    """An occupation of O*NET (``taxonomy='onet'``) or ESCO (``'esco'``)."""

    __tablename__ = "tx_occupation"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(16), index=True)
    code: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    release: Mapped[str] = mapped_column(String(64), default="")
    # 'current' or 'legacy' (a code only in an older O*NET-SOC release, e.g. 2010 vs 2019)
    status: Mapped[str] = mapped_column(String(16), default="current")
    group_code: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Skill(Base):
    """A skill, knowledge area, ability, technology or ESCO skill/competence."""

    __tablename__ = "tx_skill"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    label: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    alt_labels: Mapped[list] = mapped_column(JSON, default=list)
    parent_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reuse_level: Mapped[str | None] = mapped_column(String(32), nullable=True)
    hot: Mapped[bool] = mapped_column(Boolean, default=False)


class SkillBroader(Base):
    """A broader relation in a skill hierarchy (ESCO skill -> group, group -> group)."""

    __tablename__ = "tx_skill_broader"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    skill_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    broader_id: Mapped[str] = mapped_column(String(200), primary_key=True)


class Requirement(Base):
    """An occupation needs a skill: O*NET level (0-7) and importance (1-5), or ESCO relation."""

    __tablename__ = "tx_requirement"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("tx_occupation.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(
        ForeignKey("tx_skill.id", ondelete="CASCADE"), primary_key=True
    )
    relation: Mapped[str] = mapped_column(
        String(16)
    )  # rated | technology | tool | essential | optional
    importance: Mapped[float | None] = mapped_column(Float, nullable=True)
    level: Mapped[float | None] = mapped_column(Float, nullable=True)
    hot: Mapped[bool] = mapped_column(Boolean, default=False)
    # O*NET 28+: the technology is in demand in job postings for this occupation
    in_demand: Mapped[bool] = mapped_column(Boolean, default=False)
    not_relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    suppress: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_tx_requirement_skill", "skill_id"),)


class Title(Base):
    """A job title that names an occupation (alternate, reported, ESCO preferred/alt label)."""

    __tablename__ = "tx_title"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("tx_occupation.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(400), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


class Task(Base):
    """A task statement of an O*NET occupation."""

    __tablename__ = "tx_task"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("tx_occupation.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    task_type: Mapped[str | None] = mapped_column(String(24), nullable=True)
    emerging: Mapped[bool] = mapped_column(Boolean, default=False)


class Related(Base):
    """Occupation relatedness: career changers / related occupations, or the ESCO-O*NET crosswalk."""

    __tablename__ = "tx_related"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    from_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    to_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(24), primary_key=True
    )  # career_changer|related|crosswalk
    rank: Mapped[float | None] = mapped_column(Float, nullable=True)
    # O*NET Related Occupations: Primary-Short | Primary-Long | Supplemental
    tier: Mapped[str | None] = mapped_column(String(24), nullable=True)


class Scale(Base):
    """An O*NET scale (Scales Reference): IM importance 1-5, LV level 0-7, ..."""

    __tablename__ = "tx_scale"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    minimum: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)


class Anchor(Base):
    """A level scale anchor: what a value on a scale means for one element."""

    __tablename__ = "tx_anchor"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    element_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[float] = mapped_column(Float, primary_key=True)
    description: Mapped[str] = mapped_column(Text)


class ContentElement(Base):
    """An element of the O*NET Content Model (skills, knowledge, abilities, activities...)."""

    __tablename__ = "tx_content_element"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class Collection(Base):
    """Membership of a skill in an ESCO collection (ICT, transversal, language, ...)."""

    __tablename__ = "tx_collection"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    skill_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    collection: Mapped[str] = mapped_column(String(64), primary_key=True)


class Orphan(Base):
    """A row that refers to something not in the taxonomy; kept so it never vanishes silently."""

    __tablename__ = "tx_orphan"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    file: Mapped[str] = mapped_column(String(300))
    row: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")


class OccupationValue(Base):
    """A rated descriptor of an occupation that is not a skill (O*NET 29+ files).

    Job Zones (``element_id='job_zone'``, value 1-5), Education, Training, and Experience
    (``2.D.1`` RL / ``3.A.1`` RW / ``3.A.2`` PT / ``3.A.3`` OJ: the share of incumbents, in %, per
    ``category``) and Interests (RIASEC ``1.B.1.a``..., scale OI 1-7, IH high-point codes).
    """

    __tablename__ = "tx_occupation_value"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("tx_occupation.id", ondelete="CASCADE"), primary_key=True
    )
    element_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    category: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[float] = mapped_column(Float)
    suppress: Mapped[bool] = mapped_column(Boolean, default=False)


class Category(Base):
    """What a category of a categorical O*NET scale means (``RL`` 6 = Bachelor's Degree)."""

    __tablename__ = "tx_category"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    element_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scale_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    category: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")


class JobZoneReference(Base):
    """One O*NET Job Zone (1-5): the preparation it takes (Job Zone Reference)."""

    __tablename__ = "tx_job_zone_ref"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    zone: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    education: Mapped[str] = mapped_column(Text, default="")
    training: Mapped[str] = mapped_column(Text, default="")
    examples: Mapped[str] = mapped_column(Text, default="")
    svp: Mapped[str] = mapped_column(String(40), default="")


class TaskActivity(Base):
    """A task statement is an instance of a detailed work activity (O*NET Tasks to DWAs)."""

    __tablename__ = "tx_task_dwa"
    origin: Mapped[str] = mapped_column(String(40), default="", index=True)
    occupation_id: Mapped[str] = mapped_column(
        ForeignKey("tx_occupation.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dwa_id: Mapped[str] = mapped_column(String(200), primary_key=True)
