from modeltranslation.translator import TranslationOptions, register

from alliance.focus_areas.models import FocusArea


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("name", "summary", "description")
    required_languages = ("en", "de")
