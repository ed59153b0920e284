// convogen studio page: plain JavaScript, no build step, talks to the studio's /api.
"use strict";

// The studio token is never in a URL: signing in gives an HttpOnly session cookie that the
// browser sends with every request of this page (API calls, images, the run stream).
const $ = (id) => document.getElementById(id);
const state = { models: [], tools: [], agents: [], teams: [], socket: null, runId: null, lastSeq: -1,
  replayTimer: null };

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin" });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== "/api/login") showLogin();
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
}

function showLogin() {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== "view-login";
  $("login-token").focus();
}

async function login(event) {
  event.preventDefault();
  try {
    await api("POST", "/api/login", { token: $("login-token").value });
    $("login-token").value = "";
    showView("build");
    await loadLibrary();
  } catch (err) { toast(err.message, true); }
}

function toast(text, isError) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (isError ? " error" : "");
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, isError ? 6000 : 2500);
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value);  // CSSOM: allowed by the page's CSP
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function showView(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.view === name);
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== "view-" + name;
  if (name === "history") loadHistory();
}

// ------------------------------------------------------------------- runs
const palette = ["#2563eb", "#9333ea", "#059669", "#d97706", "#dc2626", "#0891b2", "#4f46e5"];
function colour(name) {
  let hash = 0;
  for (const ch of name || "") hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

function tidyFiles(text) {
  // Code results list every file the sandbox touched, caches included; show what was made.
  return text.replace(/^Files: (.*)$/m, (line, list) => {
    const shown = list.split(", ").map((path) => path.includes("/files/")
      ? path.slice(path.lastIndexOf("/files/") + 7) : path.split("/").pop())
      .filter((name) => !name.split("/").some((part) => part.startsWith(".")));
    return shown.length ? "Files: " + shown.join(", ") : "";
  });
}

function images(files) {
  const shown = (files || []).filter((f) => f.image);
  if (!shown.length) return null;
  return el("div", { class: "images" }, ...shown.map((f) => el("figure", {},
    el("img", { src: f.url, alt: f.name }), el("figcaption", {}, f.name))));
}

function costText(result) {
  const total = result.cost?.usage_including_cached_inference?.total_cost ?? result.total_cost;
  return total == null ? "unknown" : "$" + Number(total).toFixed(4);
}

function setStatus(status) {
  $("run-status").textContent = status;
  $("run-status").className = "badge " + status;
  $("run-start").disabled = status === "running";
  const done = status === "finished" && state.runId !== null && state.replayTimer === null;
  $("continue-box").hidden = !done;
  if (done) {
    $("transcript-json").href = `/api/runs/${state.runId}/transcript?format=json`;
    $("transcript-md").href = `/api/runs/${state.runId}/transcript?format=md`;
  }
}

function consoleBlock(timeline, text) {
  // Printed output of consecutive steps folds into one collapsed block.
  const last = timeline.lastElementChild;
  if (last && last.classList.contains("console-box")) {
    const pre = last.querySelector("pre");
    pre.textContent += "\n" + text;
    last.querySelector("summary").textContent = `Console output (${pre.textContent.split("\n").length} lines)`;
    return null;
  }
  return el("details", { class: "console-box" }, el("summary", {}, "Console output (1 line)"),
    el("pre", { class: "console" }, text));
}

function renderChoices(prompt) {
  // A manual speaker selection lists "n: name" lines; offer each as a button.
  const names = prompt.startsWith("Please select the next speaker")
    ? [...prompt.matchAll(/^\d+: (\S+)$/gm)].map((m) => m[1]) : [];
  $("human-choices").replaceChildren(...names.map((name) =>
    el("button", { type: "button", class: "choice", onclick: () => answer(name) }, name)));
}

async function continueRun(event) {
  event.preventDefault();
  const message = $("continue-message").value.trim();
  if (!message) { toast("Write the next message first", true); return; }
  try {
    const { run_id: runId } = await api("POST", `/api/runs/${state.runId}/continue`, { message });
    $("continue-message").value = "";
    watch(runId, `${$("run-title").textContent.split(":")[0]}: ${message}`);
  } catch (err) { toast(err.message, true); }
}

function updateUsage(event) {
  $("usage-tokens").textContent = String(event.total_tokens ?? 0);
  $("usage-cost").textContent = event.total_cost == null ? "unknown" : "$" + Number(event.total_cost).toFixed(4);
  $("usage-models").replaceChildren(...Object.entries(event.models || {}).map(([model, m]) =>
    el("div", {}, `${model}: ${m.calls ?? "?"} calls, ${m.prompt_tokens} + ${m.completion_tokens} tokens`)));
}

// The results of a message's tool calls, one block each; a failed call is shown as an error.
function toolResults(responses) {
  return el("div", {}, ...responses.map((r) =>
    el("div", { class: "tool-result" + (r.is_error ? " failed" : "") },
      el("div", { class: "small" }, (r.is_error ? "Tool error" : "Tool result") + ` (${r.tool_call_id})`),
      el("pre", { class: "tool-output" }, r.content))));
}

function render(event) {
  const timeline = $("timeline");
  let node = null;
  switch (event.type) {
    case "message":
      node = el("div", { class: "msg" },
        el("div", { class: "who" }, el("span", { class: "speaker", style: { background: colour(event.sender) } }, event.sender),
          event.recipient ? el("span", { class: "small" }, " → " + event.recipient) : null),
        event.tool_responses ? toolResults(event.tool_responses)
          : renderMarkdown(event.content.startsWith("exitcode:") ? tidyFiles(event.content) : event.content));
      break;
    case "code":
      node = el("div", { class: "code-result" + (event.exit_code === 0 ? "" : " failed") },
        el("div", { class: "small" }, `Code run by ${event.agent} — exit code ${event.exit_code}`),
        event.output ? el("pre", { class: "code" }, event.output) : null, images(event.files));
      break;
    case "console":
      node = consoleBlock(timeline, event.text);
      break;
    case "speaker":
      node = el("div", { class: "note" }, `Next speaker: ${event.speaker} (${event.method}) — ${event.reason || ""}`);
      break;
    case "usage":
      updateUsage(event);
      break;
    case "human_input_request":
      $("human-agent").textContent = event.agent || "";
      $("human-prompt").textContent = event.prompt || "";
      renderChoices(event.prompt || "");
      $("human-box").hidden = state.replayTimer !== null;
      if (!$("human-box").hidden) $("human-answer").focus();
      node = el("div", { class: "note ask" }, `${event.agent} asks for human input`);
      break;
    case "human_input_answer":
      $("human-box").hidden = true;
      node = el("div", { class: "note" }, `Human answered: ${event.answer === "" ? "(empty)" : event.answer}`);
      break;
    case "result":
      $("human-box").hidden = true;
      node = el("div", { class: "result", id: "result-card" }, el("h3", {}, "Result"),
        el("dl", {}, el("dt", {}, "Stop reason"), el("dd", { id: "result-stop" }, event.stop_reason || "?"),
          el("dt", {}, "Stopped by"), el("dd", {}, event.stopped_by || "—"),
          el("dt", {}, "Detail"), el("dd", {}, event.stop_detail || "—"),
          el("dt", {}, "Summary"), el("dd", {}, event.summary ? renderMarkdown(event.summary) : "—"),
          el("dt", {}, "Cost"), el("dd", {}, costText(event))),
        images(event.files));
      break;
    case "error":
      node = el("div", { class: "note error" }, event.error);
      break;
    case "status":
      setStatus(event.status);
      break;
  }
  if (node) {
    timeline.append(node);
    node.scrollIntoView({ block: "nearest" });
  }
}

function resetRunView(title) {
  if (state.socket) { state.socket.onclose = null; state.socket.close(); state.socket = null; }
  clearInterval(state.replayTimer);
  state.replayTimer = null;
  state.lastSeq = -1;
  $("timeline").replaceChildren();
  $("human-box").hidden = true;
  $("continue-box").hidden = true;
  $("run-title").textContent = title;
  updateUsage({ total_tokens: 0, total_cost: 0, models: {} });
  setStatus("idle");
}

function watch(runId, title) {
  resetRunView(title);
  state.runId = runId;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const socket = new WebSocket(scheme + location.host + "/api/runs/" + runId + "/stream");
  state.socket = socket;
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.seq <= state.lastSeq) return;  // already shown (the server resends on reconnect)
    state.lastSeq = event.seq;
    render(event);
  };
  socket.onclose = () => {
    if (state.socket === socket && $("run-status").textContent === "running") {
      // The server resends every event on a new connection, so a fresh view loses nothing.
      setTimeout(() => { if (state.socket === socket) watch(runId, $("run-title").textContent); }, 1000);
    }
  };
}

async function startRun() {
  const team = $("run-team").value;
  if (!team) { toast("Save a team first (Build tab)", true); return; }
  try {
    const { run_id: runId } = await api("POST", "/api/runs", { team, task: $("run-task").value });
    watch(runId, `${team}: ${$("run-task").value || "(default task)"}`);
  } catch (err) { toast(err.message, true); }
}

async function answer(text) {
  try {
    await api("POST", `/api/runs/${state.runId}/answer`, { answer: text });
    $("human-answer").value = "";
    $("human-box").hidden = true;
    setStatus("running");
  } catch (err) { toast(err.message, true); }
}

// ---------------------------------------------------------------- history
function money(value) {
  return value == null ? "—" : "$" + Number(value).toFixed(4);
}

function seconds(value) {
  if (value == null) return "—";
  return value < 60 ? value.toFixed(1) + " s" : Math.floor(value / 60) + " min " + Math.round(value % 60) + " s";
}

function historyRow(run) {
  const stored = run.source === "store";
  const open = () => { showView("run"); watch(run.run_id, `${run.team}: ${run.task}`); };
  return el("tr", { "data-run": run.run_id },
    el("td", {}, new Date(run.created_at * 1000).toLocaleString()), el("td", {}, run.team || "—"),
    el("td", { class: "task", title: run.task || "" }, run.task || "—"),
    el("td", {}, el("span", { class: "badge " + run.status }, run.status)),
    el("td", { class: run.error ? "error-text" : "", title: run.error || "" },
      run.stop_reason || "—", run.error ? el("div", { class: "small error-line" }, run.error) : null),
    el("td", { class: "cost" }, money(run.total_cost)), el("td", {}, String(run.total_tokens ?? "—")),
    el("td", { class: "duration" }, seconds(run.duration_s)),
    el("td", {}, el("div", { class: "item-actions" },
      stored ? el("button", { onclick: open }, "Open") : null,
      run.retryable ? el("button", { class: "retry", onclick: () => resume(run) }, "Retry") : null,
      el("button", { class: "replay", onclick: () => replay(run) }, "Replay"),
      stored ? el("a", { class: "download", href: `/api/runs/${run.run_id}/transcript?format=md`, download: "" }, "Transcript") : null,
      stored ? el("button", { class: "danger delete", onclick: () => deleteRun(run) }, "Delete") : null)));
}

async function loadHistory() {
  const runs = await api("GET", "/api/runs");
  $("history-empty").hidden = runs.length > 0;
  $("history-rows").replaceChildren(...runs.map(historyRow));
}

async function deleteRun(run) {
  try {
    await api("DELETE", `/api/runs/${run.run_id}`);
    toast("Deleted the run");
    await loadHistory();
  } catch (err) { toast(err.message, true); }
}

async function resume(run) {
  try {
    await api("POST", `/api/runs/${run.run_id}/resume`);
    showView("run");
    watch(run.run_id, `${run.team}: ${run.task}`);
  } catch (err) { toast(err.message, true); }
}

async function replay(run) {
  try {
    const { events } = await api("GET", `/api/runs/${encodeURIComponent(run.run_id)}/replay`);
    showView("run");
    resetRunView(`Replay — ${run.team || run.run_id}${run.task ? ": " + run.task : ""}`);
    state.runId = null;
    setStatus("replay");
    let index = 0;
    state.replayTimer = setInterval(() => {
      if (index >= events.length) { clearInterval(state.replayTimer); state.replayTimer = null; setStatus("replayed"); return; }
      const event = events[index++];
      if (event.type !== "status") render(event);
    }, 120);
  } catch (err) { toast(err.message, true); }
}

// ------------------------------------------------------------------ start
for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showView(tab.dataset.view));
bindLibrary();
$("continue-box").addEventListener("submit", continueRun);
$("run-start").addEventListener("click", startRun);
$("human-box").addEventListener("submit", (event) => { event.preventDefault(); answer($("human-answer").value); });
$("human-exit").addEventListener("click", () => answer("exit"));
$("history-refresh").addEventListener("click", loadHistory);
$("login-form").addEventListener("submit", login);
loadLibrary().catch((err) => { if ($("view-login").hidden) toast(err.message, true); });
