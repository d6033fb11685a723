from django.urls import path

from reports.views import board_pack, dashboard, editorial, plan, public, redactions, trust_profile  # noqa: F401 -- each section uses one

app_name = "reports"

urlpatterns = [
    # --- Public pages (periodic-updates issue) ---
    path("", public.home, name="home"),
    path("updates/", public.update_list, name="public_updates"),
    path("updates/feed/", public.updates_feed, name="public_feed"),
    path("updates/<slug:slug>/", public.update_detail, name="public_update"),
    path("updates/<slug:slug>/<slug:section>/", public.update_section, name="public_update_section"),
    path("open-data/", public.open_data, name="open_data"),
    path("open-data/actions.csv", public.open_data_csv, name="open_data_csv"),
    path("open-data/actions.json", public.open_data_json, name="open_data_json"),
    path("open-data/figures.json", public.open_data_figures_json, name="open_data_figures"),
    path("open-data/updates/<slug:slug>.json", public.open_data_update_json, name="open_data_update"),
    path("plan/", plan.plan_list, name="public_plan"),
    path("plan/<str:reference>/", plan.plan_detail, name="public_plan_action"),
    # --- End of public pages ---
    # --- Board dashboard (dashboard issue) ---
    path("dashboard/", dashboard.overview, name="dashboard"),
    path("dashboard/pillars/", dashboard.pillars_overview, name="dashboard_pillars"),
    path("dashboard/pillars/<slug:slug>/", dashboard.pillar_detail, name="dashboard_pillar"),
    path("dashboard/themes/<slug:slug>/", dashboard.theme_detail, name="dashboard_theme"),
    path("dashboard/goals/<slug:slug>/", dashboard.goal_detail, name="dashboard_goal"),
    path("dashboard/cqc/", dashboard.cqc, name="dashboard_cqc"),
    # --- End of board dashboard ---
    # --- Board packs (issue 14) ---
    path("board-packs/", board_pack.board_pack_list, name="board_packs"),
    path("board-packs/<int:pack_id>/", board_pack.board_pack_detail, name="board_pack"),
    path("board-packs/<int:pack_id>.pdf", board_pack.board_pack_pdf, name="board_pack_pdf"),
    # --- End of board packs ---
    # --- Editorial pages (periodic-updates issue) ---
    path("reports/", editorial.reports_home, name="editorial_home"),
    path("reports/updates/", editorial.update_list, name="editorial_updates"),
    path("reports/updates/start/", editorial.update_start, name="editorial_start"),
    path("reports/updates/<slug:slug>/", editorial.update_detail, name="editorial_update"),
    path("reports/updates/<slug:slug>/preview/", editorial.update_preview, name="editorial_preview"),
    path("reports/updates/<slug:slug>/refresh/", editorial.update_refresh, name="editorial_refresh"),
    path(
        "reports/updates/<slug:slug>/publish/",
        editorial.update_confirm_view,
        {"step": "publish"},
        name="editorial_publish",
    ),
    path(
        "reports/updates/<slug:slug>/withdraw/",
        editorial.update_confirm_view,
        {"step": "withdraw"},
        name="editorial_withdraw",
    ),
    path("reports/updates/<slug:slug>/correct/", editorial.update_correct_view, name="editorial_correct"),
    # The trust's names and public words, for communications editors (issue 30; the admin for administrators).
    path("reports/trust-profile/", trust_profile.trust_profile_page, name="editorial_trust_profile"),
    path("reports/trust-profile/history/", trust_profile.trust_profile_history, name="editorial_trust_profile_history"),
    # --- End of editorial pages ---
    # Issue 28, finding 8: an administrator redacts published words.
    path("reports/redact/<str:field>/<int:record_id>/", redactions.redact, name="redact"),
]
