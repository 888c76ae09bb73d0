"""Forms of the alliance domain's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.notifications.models import Delivery, NotificationSettings
from alliance.notifications.services.preferences import kind_groups
from alliance.notifications.services.subscriptions import (
    LEVEL_CHOICES,
    subscription_level_of,
)
from alliance.registries.notification_kinds import (
    notification_kind_choices,
    notification_kind_keys,
    notification_kinds,
)


class NotificationPreferencesForm(forms.Form):
    """The digest schedule and, per kind, email and inbox delivery."""

    digest_frequency = forms.ChoiceField(
        label=_("Digest"), choices=NotificationSettings.Frequency.choices
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Arrives at"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text=_("In your time zone."),
    )
    digest_weekday = forms.TypedChoiceField(
        label=_("On (weekly digest)"),
        coerce=int,
        choices=NotificationSettings.Weekday.choices,
    )

    def __init__(self, *args, staff: bool = False, followed=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One level per focus area (rows of subscription_level_rows): it applies
        # to everything in the area's working groups where the person set no
        # level of their own. Normal there is the default: no row is kept.
        self.areas = []
        for row in areas:
            name = f"area__{row['content_type'].pk}__{row['target'].pk}"
            initial = subscription_level_of(row["state"])
            self.fields[name] = self._level_field(str(row["target"]), initial)
            self.areas.append((name, row, initial, True))
        # One level per thing the person follows (rows of subscription_overview
        # that they may still see): watching, normal or muted. Where they set
        # none, it shows the level taken from its group or focus area; changing
        # it keeps a level of its own (so Normal overrides a muted area).
        self.followed = []
        for row in followed:
            name = f"level__{row['content_type'].pk}__{row['target'].pk}"
            inherited = row.get("inherited") if row["subscription"] is None else None
            state = inherited["state"] if inherited else row["state"]
            initial = subscription_level_of(state)
            self.fields[name] = self._level_field(str(row["target"]), initial)
            self.followed.append(
                (name, row, initial, row["implicit"] and not inherited)
            )
        if staff:
            self.fields["staff_report"] = forms.BooleanField(
                label=_("Email me the weekly staff report"), required=False
            )
        for kind in notification_kinds():
            for channel, label in (("email", _("Email")), ("inbox", _("Inbox"))):
                self.fields[f"{channel}__{kind.key}"] = forms.ChoiceField(
                    label=f"{kind.label}: {label}", choices=Delivery.choices
                )

    @staticmethod
    def _level_field(label: str, initial: str) -> forms.ChoiceField:
        return forms.ChoiceField(
            label=label,
            choices=LEVEL_CHOICES,
            widget=forms.RadioSelect,
            initial=initial,
            # Left out of a post: the level stays as it is.
            required=False,
        )

    def area_rows(self):
        """Yield (row, bound level field) for each focus area."""
        for name, row, _initial, _implicit in self.areas:
            yield row, self[name]

    def level_rows(self):
        """Yield (type label, [(row, bound level field)]) for the levels."""
        by_type = {}
        for name, row, _initial, _implicit in self.followed:
            by_type.setdefault(str(row["type_label"]), []).append((row, self[name]))
        yield from by_type.items()

    def levels_data(self) -> list[tuple[object, str, bool]]:
        """Return ``(target, level, implicit)`` for each level that changed,
        the focus areas' first."""
        return [
            (row["target"], self.cleaned_data[name], implicit)
            for name, row, initial, implicit in (*self.areas, *self.followed)
            if self.cleaned_data[name] and self.cleaned_data[name] != initial
        ]

    def kind_rows(self):
        """Yield (heading, [(kind label, email field, inbox field)]) for the table."""
        labels = dict(notification_kind_choices())
        for _key, heading, kinds in kind_groups():
            yield (
                heading,
                [
                    (labels[kind], self[f"email__{kind}"], self[f"inbox__{kind}"])
                    for kind in kinds
                ],
            )

    def kinds_data(self) -> dict[str, dict[str, str]]:
        return {
            kind: {
                "email": self.cleaned_data[f"email__{kind}"],
                "inbox": self.cleaned_data[f"inbox__{kind}"],
            }
            for kind in notification_kind_keys()
        }
