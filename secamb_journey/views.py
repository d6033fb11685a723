"""Project-wide pages: health check, accessibility statement, error pages."""

from django.contrib.auth import views as auth_views
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from secamb_journey.glossary import GLOSSARY
from secamb_journey.health import broker_state, database_state, storage_state
from secamb_journey.landing import landing_url


class SignInView(auth_views.LoginView):
    """Sign in, then on to the page named by `next` or, without one, to the person's own work."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


@never_cache
@require_safe  # HEAD too: uptime monitors use it, and get the same status as GET
def healthz(request):
    checks = {"database": database_state(), "broker": broker_state(), "storage": storage_state()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)


@require_safe
def accessibility(request):
    return render(request, "accessibility.html")


@require_safe
def glossary(request):
    return render(request, "glossary.html", {"glossary": GLOSSARY})


@require_safe
def nhsuk_asset(request, path):
    if ".." in path:
        raise Http404("No such asset.")
    try:
        url = static(f"nhsuk/assets/{path}")
    except ValueError:  # not in the static files manifest
        raise Http404("No such asset.") from None
    return redirect(url, permanent=True)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is bare and in developer words; ours is in the site's design,
    says nothing was saved, and offers the way back to the form's page and to the person's own work.
    """
    return render(request, "403_csrf.html", {"back_url": request.path}, status=403)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the error may be in a context processor.
    return render(None, "500.html", status=500)
