"""A course's language from its title alone (most Udemy and Coursera rows have nothing else):
English titles full of product names are not another language (decision 0162)."""

from __future__ import annotations

import pytest

from skillpath.catalog._language import course_language, reads_language


@pytest.mark.parametrize(
    "title",
    [
        "Python Data Structures",  # French in Lingua's low-accuracy mode
        "Crash Course on Python",  # French
        "Mastering CSS 3.0 Selectors",  # Turkish
        "Angular 2 Demystified",  # Polish
        "Photoshop CC 2017 for Beginners: Master Photoshop Essentials",  # Dutch
    ],
)
def test_an_english_title_is_not_hidden_from_an_english_reader(title: str) -> None:
    code, _conf, source = course_language("", title, "")
    assert code in ("en", ""), (title, code)
    assert reads_language(code, ["en"])
    assert source in ("detected", "unknown")


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("La costruzione del budget di una proposta comunitaria", "it"),
        ("Introducción a la programación en Python I: Aprendiendo a programar con Python", "es"),
        ("Wie funktionieren Bitcoin? Ein Einführungskurs.", "de"),
        ("Introdução à Ciência da Computação com Python Parte 1", "pt"),
    ],
)
def test_a_title_in_another_language_is_still_found(title: str, code: str) -> None:
    got, _conf, source = course_language("", title, "")
    assert (got, source) == (code, "detected")
    assert not reads_language(got, ["en"])


def test_a_stated_language_wins() -> None:
    assert course_language("Español", "Python Data Structures", "")[:2] == ("es", 1.0)


def test_kin_languages_together_say_it_is_not_english() -> None:
    # Portuguese 0.47, Spanish 0.31, English 0.07: below the floor alone, not English together
    code, _conf, _src = course_language("", "UX / UI: Fundamentos para o design de interface", "")
    assert code == "pt"
    assert not reads_language(code, ["en"])
