"""The admin for records the services own: readable, never written around the services.

simple-history's "revert" saves an old row over the current one, around every service: it would put
a withdrawn update back to published, or an assured action back to complete with its sign-off erased
while the progress log still says assured. Hiding the button is not enough (the form view still takes
a POST), so the POST is refused too.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ViewOnlyAdmin(admin.ModelAdmin):
    """Records written only by a service (or a task): the admin may list and read them, never add,
    change or delete one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History to read; "revert" refused (it would save an old row over the current one)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("History can be read here, not reverted: make the change through the service.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyHistoryAdmin(NoRevertHistoryAdmin):
    """As NoRevertHistoryAdmin, and the history's form shown read only."""

    def has_change_history_permission(self, request, obj=None):
        return False


class ViewOnlyHistoryAdmin(ViewOnlyAdmin, ReadOnlyHistoryAdmin):
    pass
