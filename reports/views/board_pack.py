"""Board packs (issue 14): the list, a pack as a page, and its PDF. Board members and improvement leads only."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from reports.models import BoardPack
from secamb_journey.access import staff_page


def board_pack_view(view):
    """GET only, and a staff page for those who may read board packs."""
    return require_GET(staff_page("reports.view_board_packs")(view))


# Whoever may read board packs may read every one: the helper exists so a page never fetches a pack
# unscoped, and an unknown id is a 404.
def get_board_pack_for_user(request, pack_id: int, *, with_pdf: bool = False) -> BoardPack:
    packs = BoardPack.objects.select_related("meeting__committee")
    packs = packs.defer("html", "figures") if with_pdf else packs.defer("pdf")
    return get_object_or_404(packs, pk=pack_id)


@board_pack_view
def board_pack_list(request):
    packs = (
        BoardPack.objects.select_related("meeting__committee")
        .defer("html", "pdf", "figures")
        .order_by("-as_of", "-generated_at", "-id")
    )
    return render(
        request, "reports/board_pack/list.html", {"packs": packs, "days_before": settings.BOARD_PACK_DAYS_BEFORE}
    )


@board_pack_view
def board_pack_detail(request, pack_id):
    pack = get_board_pack_for_user(request, pack_id)
    others = (
        BoardPack.objects.filter(meeting=pack.meeting, **({} if pack.meeting_id else {"as_of": pack.as_of}))
        .exclude(pk=pack.pk)
        .defer("html", "pdf", "figures")
        .order_by("-version")
    )
    # The stored HTML is our own template's output, escaped when the pack was rendered (services.board_pack).
    body = mark_safe(pack.html)  # noqa: S308
    return render(request, "reports/board_pack/detail.html", {"pack": pack, "body": body, "others": others})


@board_pack_view
def board_pack_pdf(request, pack_id):
    pack = get_board_pack_for_user(request, pack_id, with_pdf=True)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    # Inline: a browser shows it; its own download button saves it under this name.
    response["Content-Disposition"] = f'inline; filename="{pack.pdf_filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
