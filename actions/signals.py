"""What the actions app tells the apps above it without importing them (they connect receivers)."""

from django.dispatch import Signal

# The action edit page made a public action internal: `action` (saved), `request` (to tell the person).
# reports.receivers says which published updates still name it, since they are frozen.
made_internal = Signal()
