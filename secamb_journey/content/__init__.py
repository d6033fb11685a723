"""The trust's own published text about its strategy and Improvement Journey, parsed once.

The text is the trust's (copied from the strategy page into improvement-journey.txt beside this
file); the product's vocabulary — goals, themes, pillars — comes from it word for word.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).with_name("improvement-journey.txt")


@dataclass(frozen=True)
class GoalText:
    title: str
    description: str


@dataclass(frozen=True)
class StrategyText:
    purpose: str
    strategy: str
    goals: tuple[GoalText, ...]
    themes: tuple[str, ...]
    pillars: tuple[str, ...]
    improvement_journey: tuple[str, ...]


def _bullets_after(lines: list[str], heading_fragment: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if heading_fragment in line)
    bullets = []
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if stripped.startswith("•"):
            bullets.append(stripped.lstrip("•").strip())
        elif bullets and stripped:
            break
    return bullets


@cache
def strategy_text() -> StrategyText:
    text = SOURCE.read_text(encoding="utf-8")
    lines = text.splitlines()
    quoted = re.findall(r"‘(.+?)’\.?$", text, flags=re.MULTILINE)
    goals = []
    for bullet in _bullets_after(lines, "four strategic goals"):
        title, _, description = bullet.partition(" – ")
        goals.append(GoalText(title.strip(), description.strip()))
    journey_start = lines.index("Our Improvement Journey")
    journey = [line.strip() for line in lines[journey_start + 1 :] if line.strip()][:2]
    return StrategyText(
        purpose=quoted[0],
        strategy=quoted[1],
        goals=tuple(goals),
        themes=tuple(_bullets_after(lines, "six key themes")),
        pillars=tuple(_bullets_after(lines, "four pillars")),
        improvement_journey=tuple(journey),
    )
