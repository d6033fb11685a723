"""The six urgent themes, in the trust's own words (secamb_journey/content), for `seed_demo`."""

from django.db import transaction
from django.utils.text import slugify

from pillars.demo import goals_and_pillars_seed
from secamb_journey.content import strategy_text
from themes.models import Theme

# Each theme's short name, and the pillars that answer it (by pillar number).
THEME_DETAILS = [
    ("Great place to work", [3]),
    ("Vision and direction", [4, 1]),
    ("Trust in leadership", [3]),
    ("Quality thread", [1, 2]),
    ("Leadership connection", [3, 1]),
    ("Culture", [3]),
]


def themes_seed(text, pillars: dict) -> None:
    """The urgent themes from the strategy `text`, each with the pillars (by number) that answer it."""
    for number, (title, (short_name, pillar_numbers)) in enumerate(zip(text.themes, THEME_DETAILS, strict=True), 1):
        theme, _ = Theme.objects.update_or_create(
            number=number, defaults={"title": title, "short_name": short_name, "slug": slugify(short_name)}
        )
        theme.pillars.set([pillars[n] for n in pillar_numbers])


@transaction.atomic
def strategy_seed() -> None:
    """The four strategic goals, four pillars and six urgent themes, in the trust's own words."""
    text = strategy_text()
    themes_seed(text, goals_and_pillars_seed(text))
