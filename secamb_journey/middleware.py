"""Project-wide request and response guards: bounded request bodies, and the Permissions-Policy header."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import QueryDict
from django.shortcuts import render

from secamb_journey.text import clean_text


def accepts_uploads(view):
    """Mark a view as one that takes a file (evidence, the spreadsheet import): only these may receive
    file parts and bodies up to UPLOAD_MAX_BODY_BYTES; every other view refuses both early.
    """
    view.accepts_uploads = True
    return view


class FilePartRefused(Exception):
    """A file arrived at a view that takes none."""


class _RefuseFiles(FileUploadHandler):
    """Stops the multipart parser at the first file part, before a byte of it is written anywhere."""

    def new_file(self, *args, **kwargs):
        raise FilePartRefused

    def receive_data_chunk(self, raw_data, start):  # pragma: no cover -- new_file always raises first
        raise FilePartRefused

    def file_complete(self, file_size):  # pragma: no cover
        return None


def _too_large(request, limit: int):
    return render(
        request,
        "413.html",
        {"limit_kb": limit // 1024, "limit_mb": limit // (1024 * 1024)},
        status=413,
    )


class RequestBodyLimitMiddleware:
    """Refuse file parts and large bodies sent to pages that take no file, before anything reads them.

    Before CsrfViewMiddleware, which would otherwise parse (and spool to disk) a multipart body to look
    for its token: an anonymous 30 MB POST to the sign-in page is refused here with a 413 page instead.
    Views marked with `accepts_uploads` may receive up to UPLOAD_MAX_BODY_BYTES (the evidence limit
    plus room for the form's other fields); the services check each file's own limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        takes_files = getattr(view_func, "accepts_uploads", False)
        limit = settings.UPLOAD_MAX_BODY_BYTES if takes_files else settings.NON_UPLOAD_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_large(request, limit)
        if not takes_files and request.content_type == "multipart/form-data":
            request.upload_handlers = [_RefuseFiles(request)]
            try:
                request.POST  # noqa: B018 -- parse now, so a file part is refused before any view reads it
            except FilePartRefused:
                return _too_large(request, limit)
        return None


def _cleaned(data: QueryDict) -> QueryDict:
    pairs = []
    for key, values in data.lists():
        # A password is compared, never shown or exported: it is left exactly as typed.
        keep = "password" in key
        pairs += [(clean_text(key), value if keep else clean_text(value)) for value in values]
    # Immutable, as Django's own request.GET and request.POST are: built from its query string.
    return QueryDict(urlencode(pairs, encoding=data.encoding), encoding=data.encoding)


class CleanTextInputMiddleware:
    """Clean every submitted form field (and uploaded file name) of characters XML cannot carry, before
    any view or form sees them: one place that covers every form, the admin's included, and any form
    added later, with no change to the forms themselves (secamb_journey.text says why and what).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
            for upload in request.FILES.values():
                upload.name = clean_text(upload.name)
        return None


class PermissionsPolicyMiddleware:
    """Tell browsers this site uses none of the powerful features (camera, location, payment...), so an
    injected script or frame could not ask for them either.
    """

    POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "sync-xhr",
            "usb",
            "xr-spatial-tracking",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
