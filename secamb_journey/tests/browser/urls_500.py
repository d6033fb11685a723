"""The project's URLs plus one view that fails, used only by the browser tests: with DEBUG off, Django
answers an unhandled error with handler500, so the real 500 page can be loaded and checked without
adding a failing URL to the app itself.
"""

from django.urls import path

from secamb_journey.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401 -- re-exported


def server_error(request):
    raise RuntimeError("A deliberate error, so the browser tests can see the 500 page.")


urlpatterns = [path("__tests__/server-error/", server_error), *urlpatterns]
