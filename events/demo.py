"""Demo data of the events app: meetings, workshops and conferences across the
working groups, past and upcoming, some full with a waitlist, and a weekly call
as a series."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alliance.focus_areas.models import FocusArea
from alliance.registries.references import reference_choices
from alliance.working_groups.selectors import working_group_chairs, working_group_list
from events.models import Event, Registration, ShowcaseEntry
from events.services.events import event_create, event_publish
from events.services.registrations import registration_create
from members.models import Affiliation, User

K, F, V = Event.Kind, Event.Format, Event.Visibility
# (days from today, local hour, hours long, time zone, title, kind, format,
#  visibility, group slug or None, focus area number, capacity, organizer, venue)
# A local hour of None means "20 hours from now": its 24-hour reminder is due as
# soon as the demo runs, so `make run` shows a reminder reaching var/mail/.
DEMO_EVENTS = [
    (
        0,
        None,
        1,
        "Europe/Berlin",
        "Evaluation office hours",
        K.WEBINAR,
        F.ONLINE,
        V.PUBLIC,
        None,
        1,
        None,
        "lena.hoffmann",
        "",
    ),
    (
        -40,
        17,
        2,
        "Europe/Berlin",
        "Multilingual evaluation kickoff",
        K.WORKSHOP,
        F.ONLINE,
        V.PUBLIC,
        "multilingual-models",
        2,
        None,
        "lena.hoffmann",
        "",
    ),
    (
        -12,
        10,
        8,
        "Europe/Zurich",
        "Open foundation models summit",
        K.CONFERENCE,
        F.HYBRID,
        V.PUBLIC,
        None,
        2,
        120,
        "marco.bianchi",
        "CERN Globe, Meyrin",
    ),
    (
        -5,
        15,
        1,
        "America/New_York",
        "Policy briefing: open models and safety",
        K.WEBINAR,
        F.ONLINE,
        V.MEMBERS,
        "policy-briefings",
        5,
        None,
        "samuel.green",
        "",
    ),
    (
        3,
        16,
        2,
        "America/Los_Angeles",
        "Red-teaming clinic",
        K.WORKSHOP,
        F.ONLINE,
        V.MEMBERS,
        "trust-and-safety-evaluation",
        1,
        4,
        "ada.brennan",
        "",
    ),
    (
        6,
        9,
        3,
        "Asia/Tokyo",
        "Accelerator kernels deep dive",
        K.WORKSHOP,
        F.HYBRID,
        V.PUBLIC,
        "accelerator-software",
        3,
        30,
        "grace.liu",
        "Sony City, Osaka",
    ),
    (
        10,
        14,
        2,
        "Europe/Helsinki",
        "Open technology showcase",
        K.SHOWCASE,
        F.IN_PERSON,
        V.PUBLIC,
        "open-showcases",
        6,
        3,
        "sofia.lindqvist",
        "Helsinki Central Library Oodi",
    ),
    (
        17,
        9,
        30,
        "Europe/Paris",
        "Safety benchmark hackathon",
        K.HACKATHON,
        F.IN_PERSON,
        V.PUBLIC,
        "trust-and-safety-evaluation",
        1,
        40,
        "lucas.martin",
        "Station F, Paris",
    ),
    (
        24,
        18,
        1,
        "Asia/Kolkata",
        "Teaching evaluation: a course for universities",
        K.WEBINAR,
        F.ONLINE,
        V.PUBLIC,
        "curriculum-and-courses",
        4,
        None,
        "priya.raman",
        "",
    ),
    (
        31,
        13,
        2,
        "Europe/Berlin",
        "Datasets working session",
        K.MEETING,
        F.ONLINE,
        V.GROUP,
        "open-datasets",
        2,
        None,
        "lucas.martin",
        "",
    ),
    (
        45,
        10,
        8,
        "America/New_York",
        "Trust and safety tools day",
        K.CONFERENCE,
        F.IN_PERSON,
        V.PUBLIC,
        None,
        1,
        2,
        "emily.carter",
        "IBM Research, Yorktown",
    ),
]
# The full ones: who registers (the last ones land on the waitlist).
REGISTRANTS = {
    "Evaluation office hours": ["kenji.watanabe", "emily.carter"],
    "Red-teaming clinic": [
        "kenji.watanabe", "emily.carter", "felix.braun", "nora.svensson",
        "jonas.keller", "lena.hoffmann",
    ],
    "Open technology showcase": [
        "chloe.dubois", "aisha.bello", "noah.fischer", "lena.hoffmann", "tom.becker",
    ],
    "Trust and safety tools day": ["ravi.patel", "ada.brennan", "mia.schneider"],
    "Accelerator kernels deep dive": ["ravi.patel", "tom.becker", "hannah.weber"],
    "Open foundation models summit": [
        "lena.hoffmann", "yuki.tanaka", "omar.haddad", "clara.neumann",
    ],
}  # fmt: skip
DESCRIPTION = """{title}, organized in the AI Alliance's {area} focus area.

## Agenda

1. Welcome and introductions
2. Short talks from member organizations
3. Open discussion and next steps

Everyone is welcome to bring questions. Slides are shared afterwards.
"""


def _person(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@demo.alliance.example").first()


def _start(days: int, hour: int, tz: str) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(tz)
    if hour is None:
        soon = timezone.now() + datetime.timedelta(days=days, hours=20)
        return soon.replace(minute=0, second=0, microsecond=0).astimezone(zone)
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


# A working-group meeting's agenda as its chairs draft it (the group's open
# action items are shown under it by themselves).
MEETING_AGENDA = """1. Welcome and the minutes of the last meeting
2. **Status of the datasets review**: what is left before publication
3. Proposals for the next quarter
4. Any other business"""


def _seed_event(row, areas, groups) -> None:
    (
        days,
        hour,
        length,
        tz,
        title,
        kind,
        fmt,
        visibility,
        group,
        area,
        cap,
        who,
        venue,
    ) = row
    if Event.objects.filter(title=title).exists():
        return
    organizer = _person(who)
    if organizer is None:
        return
    start = _start(days, hour, tz)
    affiliation = (
        Affiliation.objects.filter(user=organizer, status=Affiliation.Status.ACTIVE)
        .select_related("organization")
        .first()
    )
    event = Event.objects.create(
        title=title,
        slug=slugify(f"{title}-{start:%Y-%m-%d}"),
        description=DESCRIPTION.format(title=title, area=areas[area].name),
        kind=kind,
        agenda=MEETING_AGENDA if kind == K.MEETING else "",
        format=fmt,
        visibility=visibility,
        working_group=groups.get(group),
        focus_area=areas[area],
        organizer=organizer,
        organization=affiliation.organization if affiliation else None,
        venue=venue,
        online_url="https://meet.alliance.example/" + slugify(title)
        if fmt != F.IN_PERSON
        else "",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=length),
        time_zone=zoneinfo.ZoneInfo(tz),
        capacity=cap,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    people = [_person(name) for name in REGISTRANTS.get(title, [])]
    for person in filter(None, people):
        if event.starts_at > timezone.now():
            registration_create(event=event, user=person, show_on_list=True)
        else:
            Registration.objects.create(
                event=event,
                user=person,
                status=Registration.Status.CONFIRMED,
                show_on_list=True,
                attended=True,
            )
    if kind == K.SHOWCASE:
        for position, (slug, _title) in enumerate(
            reference_choices("catalog_entry")[:3]
        ):
            ShowcaseEntry.objects.get_or_create(
                event=event, entry_slug=slug, defaults={"position": position}
            )


def _seed_series(groups) -> None:
    group = groups.get("trust-and-safety-evaluation")
    if group is None or Event.objects.filter(series__isnull=False).exists():
        return
    chairs = working_group_chairs(group=group)
    if not chairs:
        return
    chair = chairs[0]
    days_to_tuesday = (1 - timezone.localdate().weekday()) % 7 or 7
    start = _start(days_to_tuesday, 17, "Europe/Berlin")
    event = event_create(
        organizer=chair,
        title="Trust and Safety Evaluation: weekly call",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        time_zone=zoneinfo.ZoneInfo("Europe/Berlin"),
        kind=K.MEETING,
        format=F.ONLINE,
        online_url="https://meet.alliance.example/tse-weekly",
        visibility=V.MEMBERS,
        working_group=group,
        description="The group's regular call: status of the benchmarks, reviews, "
        "and anything members bring.",
        repeat="weekly",
    )
    event_publish(event=event, actor=chair)


def seed_scale(scale: int) -> None:
    """Add ``scale // 4`` synthetic events (bulk inserts), spread over a year."""
    count = scale // 4
    if not count:
        return
    groups = list(
        working_group_list(with_counts=False, include_archived=True).values_list(
            "pk", "focus_area_id"
        )
    )
    organizers = list(
        User.objects.filter(email__endswith="@synthetic.alliance.example").values_list(
            "pk", flat=True
        )[:200]
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    kinds, formats = list(K.values), list(F.values)
    events = []
    for i in range(count):
        group_id, area_id = groups[i % len(groups)] if groups else (None, None)
        start = now + datetime.timedelta(hours=(i * 37) % (24 * 365) - 24 * 120)
        events.append(
            Event(
                title=f"Synthetic event {i:05d}",
                slug=f"synthetic-event-{i:05d}",
                description="A generated event for load tests.",
                kind=kinds[i % len(kinds)],
                format=formats[i % len(formats)],
                venue="Synthetic venue"
                if formats[i % len(formats)] != F.ONLINE
                else "",
                online_url="https://meet.alliance.example/synthetic",
                working_group_id=group_id if i % 2 else None,
                focus_area_id=area_id,
                organizer_id=organizers[i % len(organizers)] if organizers else None,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                capacity=(20, 50, None)[i % 3],
                status=Event.Status.PUBLISHED,
                published_at=now,
                visibility=(V.PUBLIC, V.MEMBERS)[i % 2],
            )
        )
    Event.objects.bulk_create(events, ignore_conflicts=True, batch_size=1000)


@transaction.atomic
def seed(*, scale: int = 0, stdout=None) -> None:
    """Create the demo events with registrations, waitlists and a weekly series."""
    areas = {area.number: area for area in FocusArea.objects.all()}
    groups = {
        group.slug: group
        for group in working_group_list(with_counts=False, include_archived=True)
    }
    for row in DEMO_EVENTS:
        _seed_event(row, areas, groups)
    _seed_series(groups)
    if scale:
        seed_scale(scale)
