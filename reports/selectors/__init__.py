"""Reads that feed pages, by audience: dashboard (board members, improvement leads), public (anyone),
updates (the editorial list and a published update's frozen figures).

New code imports from the module it needs; the names are also here, so `from reports.selectors import X`
keeps working for callers written before the split.
"""

from reports.selectors.dashboard import (
    DASHBOARD_LIST_LIMIT,
    ActionList,
    Figures,
    GridCell,
    GridRow,
    PillarCard,
    Slice,
    TrendTable,
    action_figures,
    dashboard_goal,
    dashboard_overview,
    dashboard_pillar,
    dashboard_theme,
    furthest_behind,
    trend_table,
)
from reports.selectors.public import (
    OPEN_DATA_FIELDS,
    PUBLIC_UPDATES_PER_PAGE,
    PillarProgress,
    home_page_content,
    open_data_actions,
    public_update_for_slug,
    public_updates,
    public_withdrawal_notices,
)
from reports.selectors.updates import (
    FrozenAction,
    FrozenRow,
    UpdateFigures,
    editorial_updates,
    update_figures,
)

__all__ = [
    "DASHBOARD_LIST_LIMIT",
    "Figures",
    "action_figures",
    "Slice",
    "PillarCard",
    "TrendTable",
    "trend_table",
    "ActionList",
    "GridCell",
    "GridRow",
    "furthest_behind",
    "dashboard_overview",
    "dashboard_pillar",
    "dashboard_theme",
    "dashboard_goal",
    "PillarProgress",
    "home_page_content",
    "PUBLIC_UPDATES_PER_PAGE",
    "public_updates",
    "public_update_for_slug",
    "public_withdrawal_notices",
    "OPEN_DATA_FIELDS",
    "open_data_actions",
    "editorial_updates",
    "FrozenRow",
    "FrozenAction",
    "UpdateFigures",
    "update_figures",
]
