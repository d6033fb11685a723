"""What the staff views share: binding a form to a POST, and saving through a service.

Each view checks who is asking (anonymous: to the sign-in page and back; signed in without the
permission: 403; an unknown action or file: 404), binds a form, calls one service and redirects.
"""

import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def bound(request):
    """A form's data and files: bound on POST (even an empty one), unbound on GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@contextmanager
def saving(form, what: str, *, let_through: tuple[type[Exception], ...] = ()):
    """Run a service for a form: its refusal (ValidationError) and a database that will not take the
    write (down, read-only, out of space) both become errors on the form, so the page re-renders with
    what the person typed and they can simply try again. Services are atomic, so nothing was saved.

        with saving(form, "your progress update"):
            action_log_progress(...)
        if form.is_valid():  # no error was added: the write stands
            return redirect(...)

    `let_through`: refusals the view handles itself (a stale edit shows the stored values instead).
    """
    try:
        yield
    except let_through:
        raise
    except ValidationError as refusal:
        form.add_error(None, refusal)
    except DatabaseError:
        logger.exception("The database refused a write (%s)", what)
        form.add_error(None, f"We could not save {what} just now. Nothing was saved. Try again.")
