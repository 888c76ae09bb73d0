from modeltranslation.translator import TranslationOptions, register

from members.models import Tier


@register(Tier)
class TierTranslation(TranslationOptions):
    fields = ("name", "description")
