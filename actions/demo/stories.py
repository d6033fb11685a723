"""The demo actions, in the order they are seeded."""

from actions.demo import journey, must_dos, should_dos, warning_notices

# Each action has its own description and its owner's own account of the work (story), and the events
# that the leads, committees and reviews added to it (events), all dated in days before today.
DEMO_ACTIONS = [*warning_notices.STORIES, *must_dos.STORIES, *should_dos.STORIES, *journey.STORIES]
