from modeltranslation.translator import TranslationOptions, register

from alliance.models import FocusArea


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("name", "summary", "description")
    required_languages = ("en", "de")
