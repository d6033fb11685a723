"""{% needs_new_owner_count as count %}: how many open actions belong to leavers (the dashboard's figure)."""

from django import template

from actions.selectors.leavers import count_actions_needing_new_owner

register = template.Library()


@register.simple_tag
def needs_new_owner_count() -> int:
    return count_actions_needing_new_owner()
