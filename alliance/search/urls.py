"""The search page: /search/ (in the "alliance" namespace)."""

from django.urls import path

from alliance.search import views

urlpatterns = [path("", views.search, name="search")]
