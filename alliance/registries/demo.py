"""Demo data: each app declares how it seeds the local demo, and
``manage.py seed_demo`` runs them in their order (people before the groups they
join, groups before the events they hold).

An app registers in its ``hooks.connect()``::

    demo_register("events", seed="events.demo.seed", order=40)

``seed`` is the dotted path of ``seed(*, scale=0, stdout=None)``, imported only
when the demo is seeded; it must be safe to run again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    path: str
    order: int

    @property
    def seed(self) -> Callable[..., None]:
        return import_string(self.path)


_seeders: dict[str, DemoSeeder] = {}


def demo_register(name: str, *, seed: str, order: int) -> None:
    """Add an app's demo data; orders must differ, so the sequence never depends
    on the order of INSTALLED_APPS."""
    for other in _seeders.values():
        if other.order == order and other.name != name:
            raise ValueError(f"Demo seeders {other.name!r} and {name!r} share {order}")
    _seeders[name] = DemoSeeder(name=name, path=seed, order=order)


def demo_seeders() -> list[DemoSeeder]:
    """Return the registered demo seeders in their order."""
    return sorted(_seeders.values(), key=lambda seeder: seeder.order)
