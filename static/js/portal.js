// Small progressive enhancements; every page works without this file.
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".nav-toggle");
  if (toggle) {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    return;
  }
  // Close an open user menu when clicking elsewhere.
  document.querySelectorAll("details.user-menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Tell the portal the browser's time zone, for visitors who are not signed in:
// the next page shows times in it (this one already says which zone it uses, so
// nothing on it changes under the reader's eyes).
try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const current = document.cookie.match(/(?:^|; )tz=([^;]*)/);
  // IANA names hold only letters, digits, "/", "_", "+" and "-": no encoding needed.
  if (zone && /^[A-Za-z0-9/_+-]+$/.test(zone) && (!current || current[1] !== zone)) {
    document.cookie = `tz=${zone}; path=/; max-age=31536000; samesite=lax`;
  }
} catch (error) {
  // No Intl time zone: times stay in each event's own zone.
}
