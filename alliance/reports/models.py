from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffReport(models.Model):
    """The weekly report for staff, kept as it was sent."""

    week = models.CharField(_("week"), max_length=8, unique=True)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    data = models.JSONField(_("tables"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff report")
        verbose_name_plural = _("staff reports")
        ordering = ["-period_start"]

    def __str__(self):
        return str(self.week)
