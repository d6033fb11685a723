from django.contrib import admin

from themes.models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "title", "retired"]
    fields = ["number", "slug", "short_name", "title", "pillars", "retired"]
    filter_horizontal = ["pillars"]
    prepopulated_fields = {"slug": ["short_name"]}
