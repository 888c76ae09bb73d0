"""Lists of events rendered once for an audience and shared (the event list,
the upcoming events on home, focus-area and group pages): each event's own slot
is marked in the HTML (``events/_event_item.html`` with ``overlay``:
``<!--mine:<event id>:<series id>-->…<!--/mine-->``), and each reader's own
registrations are laid over it (``event_list_mine`` in ``events.selectors``)."""

import re

from django.template.loader import get_template
from django.utils.safestring import mark_safe

# An event's slot in a list rendered for an audience: its id, its series' id.
_MINE_SLOT = re.compile(r"<!--mine:(\d+):(\d*)-->(.*?)<!--/mine-->", re.DOTALL)
_MINE_SLOT_IDS = re.compile(r"<!--mine:(\d+):(\d*)-->")


def mine_slot_ids(html: str) -> tuple[list[int], list[int]]:
    """Return the ids of the events and of the series marked in ``html``."""
    slots = _MINE_SLOT_IDS.findall(html)
    return (
        [int(event_id) for event_id, _series in slots],
        [int(series) for _event, series in slots if series],
    )


def mine_laid_over(html: str, mine=None) -> str:
    """Return ``html`` with the reader's own registrations (``mine``, an
    ``EventListMine``; None or nothing of theirs: the audience's slots as they
    are) in the marked slots, and the marks removed."""
    if mine is None or not (mine.statuses or mine.series_ids):
        return mark_safe(_MINE_SLOT.sub(r"\3", html))  # noqa: S308 (our own HTML)
    template = get_template("events/_event_mine.html")

    def slot(match):
        status = mine.statuses.get(int(match.group(1)))
        whole = bool(match.group(2)) and int(match.group(2)) in mine.series_ids
        if status or whole:
            return template.render({"mine": {"my_status": status, "my_series": whole}})
        return match.group(3)

    return mark_safe(_MINE_SLOT.sub(slot, html))  # noqa: S308 (our own HTML)
