from django.urls import path, re_path

from events import views

app_name = "events"

FEED_KEY = r"(?P<key>[A-Za-z0-9_-]{1,100})"

urlpatterns = [
    path("", views.event_list_view, name="event_list"),
    path("calendar/", views.event_calendar, name="event_calendar"),
    path("mine/", views.my_events, name="my_events"),
    path("mine/feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("new/", views.event_create_view, name="event_create"),
    re_path(rf"^feed/{FEED_KEY}\.ics$", views.personal_feed, name="personal_feed"),
    re_path(
        rf"^feed/{FEED_KEY}/groups/(?P<slug>[-a-zA-Z0-9_]+)\.ics$",
        views.group_feed,
        name="group_feed_private",
    ),
    path("groups/<slug:slug>/calendar.ics", views.group_feed, name="group_feed"),
    path("<slug:slug>/", views.event_detail_view, name="event_detail"),
    path("<slug:slug>/calendar.ics", views.event_ics_view, name="event_ics"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/agenda/", views.event_agenda_view, name="event_agenda"),
    path("<slug:slug>/publish/", views.event_publish_view, name="event_publish"),
    path("<slug:slug>/cancel/", views.event_cancel_view, name="event_cancel"),
    path("<slug:slug>/register/", views.register, name="register"),
    path(
        "<slug:slug>/registration/cancel/",
        views.registration_cancel_view,
        name="registration_cancel",
    ),
    path(
        "<slug:slug>/series/register/",
        views.series_register_view,
        name="series_register",
    ),
    path("<slug:slug>/series/leave/", views.series_leave_view, name="series_leave"),
    path(
        "<slug:slug>/registration/visibility/",
        views.registration_visibility,
        name="registration_visibility",
    ),
    path("<slug:slug>/attendees/", views.attendees, name="attendees"),
    path("<slug:slug>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path(
        "<slug:slug>/attendees/message/",
        views.attendees_message,
        name="attendees_message",
    ),
]
