// The export's progress page: ask the status URL every two seconds until the job is over, move
// the <progress> bar, and show the download link when the file is ready. (CSP: no inline script.)
(function () {
  const page = document.querySelector("[data-status-url]");
  if (!page) return;
  const bar = document.getElementById("export-progress");
  const rows = document.getElementById("export-rows");
  const status = document.getElementById("export-status");
  const download = document.getElementById("export-download");

  async function poll() {
    const response = await fetch(page.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const job = await response.json();
    bar.max = job.rows_total || 1;
    bar.value = job.rows_done;
    rows.textContent = job.rows_done + " / " + job.rows_total;
    status.textContent = job.status_display;
    if (job.download_url) {
      download.hidden = false;
      download.querySelector("a").href = job.download_url;
    }
    if (job.status === "queued" || job.status === "running") setTimeout(poll, 2000);
  }
  poll();
})();
