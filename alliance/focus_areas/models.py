from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.core.markdown import MarkdownField


class FocusArea(models.Model):
    """One of the alliance's six focus areas (names and texts in every language)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    description = MarkdownField(_("description"), blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["number"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliance:focus_area_detail", kwargs={"slug": self.slug})
