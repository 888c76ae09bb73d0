"""The admin of the alliance app is registered by each context's ``admin`` module;
Django's admin imports ``<app>.admin``, which imports them here."""

from alliance.conversation import admin as conversation  # noqa: F401
from alliance.focus_areas import admin as focus_areas  # noqa: F401
from alliance.governance import admin as governance  # noqa: F401
from alliance.notifications import admin as notifications  # noqa: F401
from alliance.reports import admin as reports  # noqa: F401
from alliance.working_groups import admin as working_groups  # noqa: F401
