"""The strategic goals and pillars, in the trust's own words (secamb_journey/content), for `seed_demo`."""

from django.utils.text import slugify

from pillars.models import Pillar, StrategicGoal

PILLAR_DESCRIPTIONS = {
    "Quality Improvement": "A quality thread through everything we do: we listen, learn and improve.",
    "Responsive Care": "The right response for every patient who calls 999 or 111, in time.",
    "People and Culture": "A great place to work, where everyone is listened to, respected and well supported.",
    "Sustainability and Partnerships": "Working with our health and care partners for lasting, shared solutions.",
}
# Which strategic goals each pillar serves (by goal number in the strategy).
PILLAR_GOALS = {
    "Quality Improvement": [3],
    "Responsive Care": [1, 3],
    "People and Culture": [2],
    "Sustainability and Partnerships": [4, 1],
}


def goals_and_pillars_seed(text) -> dict[int, Pillar]:
    """The strategic goals and pillars from the strategy `text`; the pillars by number."""
    goals = {}
    for number, goal in enumerate(text.goals, start=1):
        goals[number], _ = StrategicGoal.objects.update_or_create(
            number=number, defaults={"title": goal.title, "description": goal.description, "slug": slugify(goal.title)}
        )
    pillars = {}
    for number, name in enumerate(text.pillars, start=1):
        pillar, _ = Pillar.objects.update_or_create(
            number=number,
            defaults={"name": name, "slug": slugify(name), "description": PILLAR_DESCRIPTIONS.get(name, "")},
        )
        pillar.goals.set([goals[n] for n in PILLAR_GOALS.get(name, [])])
        pillars[number] = pillar
    return pillars
