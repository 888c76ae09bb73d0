// The event form shows the fields that apply to the chosen format (online: the
// link; in person: venue and address; hybrid: all). Without this file every
// field shows, and the server drops what the format does not use.
(() => {
  const format = document.querySelector("#event-form [name=format]");
  if (!format) return;
  const apply = () => {
    document.querySelectorAll("#event-form [data-show-for]").forEach((field) => {
      field.hidden = !field.dataset.showFor.split(" ").includes(format.value);
    });
  };
  format.addEventListener("change", apply);
  apply();
})();
