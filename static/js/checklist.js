// The checklist's "select all open tasks" box: shown only when this script runs (the form works
// without it), it checks or unchecks every box named by its data-checks attribute. Loaded from
// this site, as the Content-Security-Policy (script-src 'self') allows; no inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const all of document.querySelectorAll("input[data-checks]")) {
    const boxes = () => all.form.querySelectorAll(`input[name="${all.dataset.checks}"]`);
    if (!boxes().length) continue;
    all.closest("[hidden]")?.removeAttribute("hidden");
    all.addEventListener("change", () => {
      for (const box of boxes()) box.checked = all.checked;
    });
    all.form.addEventListener("change", (event) => {
      if (event.target.name === all.dataset.checks) {
        all.checked = [...boxes()].every((box) => box.checked);
      }
    });
  }
});
