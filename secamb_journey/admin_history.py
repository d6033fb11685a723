"""The admin's history pages for records the services own: readable, never revertible.

simple-history's "revert" saves an old row over the current one, around every service: it would put
a withdrawn update back to published, or an assured action back to complete with its sign-off erased
while the progress log still says assured. Hiding the button is not enough (the form view still takes
a POST), so the POST is refused too.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("History can be read here, not reverted: make the change through the service.")
        return super().history_form_view(request, object_id, version_id, extra_context)
