"""Figures that apps add to the details of ``/health/`` (staff or a monitoring
token only), without ``alliance.core`` importing them. Register in
``hooks.connect()``::

    health_detail_register("outbox", outbox_health)

``outbox_health()`` takes nothing and returns a small JSON-like dict (counts,
never personal data); it runs a constant number of queries. A figure does not
change the overall status: it is for the people who look after the portal.
"""

from collections.abc import Callable

_details: dict[str, Callable[[], dict]] = {}


def health_detail_register(name: str, figures: Callable[[], dict]) -> None:
    """Add figures under ``name``; registering a name again replaces them."""
    _details[name] = figures


def health_details() -> dict[str, dict]:
    """Return every registered figure set (an error string if one fails)."""
    out = {}
    for name, figures in sorted(_details.items()):
        try:
            out[name] = figures()
        except Exception as exc:  # noqa: BLE001 - a figure never breaks /health/
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return out
