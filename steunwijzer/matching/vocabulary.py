"""The words people tap: themes, target groups and places. Labels are msgids; their meaning for
catalogue editors is in the README."""

from __future__ import annotations

from collections.abc import Iterable

from steunwijzer.i18n import N_
from steunwijzer.models import TARGET_GROUPS, THEMES, Fund

THEME_LABELS: dict[str, str] = {
    "meeting": N_("Meeting each other"),
    "neighbourhood": N_("A nicer neighbourhood"),
    "green": N_("Nature, green and climate"),
    "care": N_("Caring for each other"),
    "poverty": N_("Less poverty and money worries"),
    "youth": N_("Activities for children and young people"),
    "culture": N_("Culture and art"),
    "sport": N_("Sport and exercise"),
    "education": N_("Learning and language"),
    "participation": N_("Taking part in society"),
    "health": N_("Health"),
    "volunteering": N_("Volunteer work"),
}
TARGET_GROUP_LABELS: dict[str, str] = {
    "residents": N_("People in the neighbourhood"),
    "children": N_("Children"),
    "young_people": N_("Young people"),
    "elderly": N_("Older people"),
    "newcomers": N_("Newcomers (refugees and migrants)"),
    "low_income": N_("People with little money"),
    "lonely": N_("People who feel lonely"),
    "disabled": N_("People with a disability"),
    "women": N_("Women"),
    "everyone": N_("Everyone"),
}
assert tuple(THEME_LABELS) == THEMES and tuple(TARGET_GROUP_LABELS) == TARGET_GROUPS

# "Another municipality": only funds for the whole country can fit.
OTHER_MUNICIPALITY = "other"
OTHER_MUNICIPALITY_LABEL = N_("Another municipality")
EVERYONE = "everyone"


def normalize_place(name: str | None) -> str:
    """'Gemeente Den Haag', ' den haag ' -> 'den haag' (for comparing, never for showing)."""
    text = " ".join((name or "").split()).casefold()
    return text.removeprefix("gemeente ").strip()


def display_place(name: str) -> str:
    """'Gemeente Voorbeeld' -> 'Voorbeeld'."""
    text = " ".join(name.split())
    return text[len("gemeente "):] if text.casefold().startswith("gemeente ") else text


def municipality_choices(funds: Iterable[Fund], configured: str | None) -> list[str]:
    """The municipality question's options: the configured one first, then every municipality
    of an open fund in the catalogue (sorted), then OTHER_MUNICIPALITY."""
    seen: dict[str, str] = {}
    for fund in funds:
        if not fund.is_open:
            continue
        for name in fund.municipalities:
            seen.setdefault(normalize_place(name), display_place(name))
    first = display_place(configured) if configured and configured.strip() else None
    rest = sorted((v for k, v in seen.items() if first is None or k != normalize_place(first)), key=str.casefold)
    return ([first] if first else []) + rest + [OTHER_MUNICIPALITY]
