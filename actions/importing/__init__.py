"""Action plans in from spreadsheets: the plan (actions.importing.plan) and its rows (actions.importing.rows)."""
