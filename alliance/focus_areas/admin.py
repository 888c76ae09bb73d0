from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from alliance.focus_areas.models import FocusArea


@admin.register(FocusArea)
class FocusAreaAdmin(TranslationAdmin):
    list_display = ["number", "name", "slug"]
    ordering = ["number"]
