// unspin web app: a little plain JS, no library. Pages work without it (forms, links, a
// refresh fallback on the job page); the JS adds live progress and new-article notices.
"use strict";

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return response.json();
}

function link(href, text) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  li.appendChild(a);
  return li;
}

// Job page: follow the background analysis until it is done or failed.
function followJob(box) {
  const id = box.dataset.jobId;
  const loadedUnfinished = box.dataset.status !== "done" && box.dataset.status !== "failed";
  const bar = document.getElementById("job-progress");
  const stage = document.getElementById("job-stage");
  const error = document.getElementById("job-error");
  const results = document.getElementById("job-results");
  async function tick() {
    let job;
    try {
      job = await getJSON("/api/v1/jobs/" + encodeURIComponent(id));
    } catch (e) {
      setTimeout(tick, 2000);
      return;
    }
    bar.value = job.progress;
    stage.textContent = job.stage;
    box.dataset.status = job.status;
    if (job.error) {
      error.textContent = job.error;
      error.hidden = false;
    }
    if (job.status === "done" || job.status === "failed") {
      if (job.status === "done" && loadedUnfinished) {
        location.reload(); // the server draws what was found: a finished job's page is that summary
        return;
      }
      results.replaceChildren(
        ...job.article_ids.map((a) => link("/articles/" + a, "the analysed article")),
        ...job.story_ids.map((s) => link("/stories/" + s, "its story"))
      );
      return;
    }
    setTimeout(tick, 500);
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") tick();
}

// Story list: tell the reader when a newer story update has arrived.
function watchForNews(notice) {
  const since = notice.dataset.newest ? Date.parse(notice.dataset.newest) : 0;
  async function tick() {
    try {
      const stories = await getJSON("/api/v1/stories?limit=1");
      const latest = stories.length && stories[0].updated ? Date.parse(stories[0].updated) : 0;
      if (latest > since) {
        notice.hidden = false;
        return;
      }
    } catch (e) {
      /* the server may be restarting: try again later */
    }
    setTimeout(tick, 5000);
  }
  setTimeout(tick, 5000);
}

// Submit page: show only the inputs of the chosen mode.
function switchModes(form) {
  function show() {
    const mode = form.querySelector("input[name=mode]:checked").value;
    form.querySelectorAll(".mode").forEach((div) => {
      div.hidden = !div.classList.contains("mode-" + mode);
    });
  }
  form.querySelectorAll("input[name=mode]").forEach((r) => r.addEventListener("change", show));
  show();
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.getElementById("job");
  if (job) followJob(job);
  const notice = document.getElementById("live-notice");
  if (notice) watchForNews(notice);
  const form = document.querySelector("form.submit");
  if (form) switchModes(form);
});
