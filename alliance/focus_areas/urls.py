"""Pages of the focus areas, under /focus-areas/ in the alliance namespace."""

from django.urls import path

from alliance.focus_areas import views

urlpatterns = [
    path("", views.focus_area_list_view, name="focus_area_list"),
    path("<slug:slug>/", views.focus_area_detail, name="focus_area_detail"),
    path("<slug:slug>/level/", views.focus_area_level_view, name="focus_area_level"),
]
