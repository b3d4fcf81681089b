"""Write ``marketing.docx`` (a Word CV with headings and bullet lists) and ``linkedin-nurse.zip``.

Uses python-docx (a Skillpath dependency). Run: ``python examples/cv/make_docx.py``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent

CV: list[tuple[str, str]] = [
    ("Title", "Sofia Marquez"),
    ("Normal", "Marketing Manager, digital campaigns and brand strategy"),
    ("Normal", "sofia.marquez@example.org | Barcelona, Spain"),
    ("Heading 1", "Profile"),
    (
        "Normal",
        "Marketing manager with seven years in digital marketing and brand strategy for consumer brands.",
    ),
    ("Heading 1", "Experience"),
    ("Heading 2", "Marketing Manager, Verde Foods S.L."),
    ("Normal", "Mar 2021 – present"),
    (
        "List Bullet",
        "Plan and run integrated campaigns across social media, search and email with a budget of EUR 1.2M.",
    ),
    (
        "List Bullet",
        "Lead a team of four marketing specialists; manage agencies and market research.",
    ),
    (
        "List Bullet",
        "Track campaign performance in Google Analytics and report to the executive team.",
    ),
    ("Heading 2", "Digital Marketing Specialist, Luma Cosmetics"),
    ("Normal", "Jun 2017 – Feb 2021"),
    ("List Bullet", "Managed paid search (Google Ads) and social media advertising campaigns."),
    ("List Bullet", "Wrote copy for newsletters and product pages; search engine optimization."),
    ("Heading 2", "Marketing Assistant, Costa Events"),
    ("Normal", "Sep 2015 – May 2017"),
    ("List Bullet", "Organised trade fairs and coordinated press releases."),
    ("Heading 1", "Volunteering"),
    ("Heading 2", "Communications Volunteer, Banco de Alimentos Barcelona"),
    ("Normal", "2019 – present"),
    ("List Bullet", "Run the food bank's social media accounts and fundraising campaigns."),
    ("Heading 1", "Skills"),
    ("List Bullet", "Digital marketing (expert), social media marketing, content marketing"),
    ("List Bullet", "Google Analytics, Google Ads, HubSpot, Adobe Photoshop"),
    ("List Bullet", "Market research, brand management, copywriting, public relations"),
    ("List Bullet", "Spanish (native), English (fluent)"),
    ("Heading 1", "Education"),
    ("Normal", "BA in Marketing, Universitat Pompeu Fabra, 2011 – 2015"),
    ("Heading 1", "Certifications"),
    ("List Bullet", "Google Ads Search Certification – Google, 2022"),
    ("List Bullet", "HubSpot Content Marketing Certification – HubSpot Academy, 2020"),
]


def write_docx(path: Path) -> None:
    """Write the example Word CV to ``path``."""
    document = docx.Document()
    document.core_properties.author = "Skillpath examples"
    for style, text in CV:
        document.add_paragraph(text, style=style)
    document.save(str(path))


def write_linkedin_zip(folder: Path, path: Path) -> None:
    """Zip a LinkedIn-style export folder the way LinkedIn does (files in one sub-folder)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for csv_path in sorted(folder.glob("*.csv")):
            info = zipfile.ZipInfo(
                f"Basic_LinkedInDataExport_example/{csv_path.name}", (2024, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, csv_path.read_bytes())


if __name__ == "__main__":
    write_docx(HERE / "marketing.docx")
    write_linkedin_zip(HERE / "linkedin-nurse", HERE / "linkedin-nurse.zip")
    print(HERE / "marketing.docx", HERE / "linkedin-nurse.zip")
