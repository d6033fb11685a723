"""No page shown to a signed-in person is kept by a browser's disk cache or a shared proxy.

Staff pages show drafts, internal actions, names and evidence; even public pages, for a signed-in
person, carry their name and links. `Cache-Control: private, no-store` keeps all of it out of proxies
and off the disk of a shared computer (the back button after signing out shows nothing). One place for
every such response, rather than a decorator that a new view could forget.
"""


class StaffNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
