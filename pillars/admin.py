from django.contrib import admin

from pillars.models import Pillar, StrategicGoal


@admin.register(StrategicGoal)
class StrategicGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "retired"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "retired"]
    filter_horizontal = ["goals"]
    prepopulated_fields = {"slug": ["name"]}
