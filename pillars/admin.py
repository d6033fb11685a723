from django.contrib import admin

from pillars.models import Pillar, StrategicGoal


@admin.register(StrategicGoal)
class StrategicGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "retired"]
    fields = ["number", "slug", "title", "description", "retired"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "retired"]
    fields = ["number", "slug", "name", "description", "goals", "retired"]
    filter_horizontal = ["goals"]
    prepopulated_fields = {"slug": ["name"]}
