// convogen studio page: plain JavaScript, no build step, talks to the studio's /api.
"use strict";

// The studio token is never in a URL: signing in gives an HttpOnly session cookie that the
// browser sends with every request of this page (API calls, images, the run stream).
const $ = (id) => document.getElementById(id);
const state = { agents: [], teams: [], socket: null, runId: null, lastSeq: -1, replayTimer: null };

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

// ---------------------------------------------------------------- agents
function agentFromForm() {
  const agent = { name: $("agent-name").value.trim(), kind: $("agent-kind").value };
  const optional = { system_message: $("agent-system").value, description: $("agent-description").value,
    human_input_mode: $("agent-mode").value };
  for (const [key, value] of Object.entries(optional)) if (value.trim()) agent[key] = value;
  if ($("agent-max-auto").value !== "") agent.max_consecutive_auto_reply = Number($("agent-max-auto").value);
  const llm = $("agent-llm").value.trim();
  if (llm) {
    try { agent.llm_config = JSON.parse(llm); } catch (err) { throw new Error("Model config is not valid JSON: " + err.message); }
  } else if (agent.kind === "user_proxy") agent.llm_config = false;
  agent.code_execution = $("agent-code").checked ? { work_dir: "coding", timeout: 60 } : false;
  return agent;
}

function fillAgentForm(agent) {
  $("agent-name").value = agent.name || "";
  $("agent-kind").value = agent.kind || "assistant";
  $("agent-mode").value = agent.human_input_mode || "";
  $("agent-max-auto").value = agent.max_consecutive_auto_reply ?? "";
  $("agent-system").value = agent.system_message || "";
  $("agent-description").value = agent.description || "";
  $("agent-llm").value = agent.llm_config ? JSON.stringify(agent.llm_config, null, 2) : "";
  $("agent-code").checked = Boolean(agent.code_execution);
}

async function saveAgent(event) {
  event.preventDefault();
  try {
    const agent = agentFromForm();
    const exists = state.agents.some((a) => a.name === agent.name);
    await api(exists ? "PUT" : "POST", exists ? "/api/agents/" + agent.name : "/api/agents", agent);
    toast("Saved agent " + agent.name);
    await loadLibrary();
  } catch (err) { toast(err.message, true); }
}

// ----------------------------------------------------------------- teams
function selectedMembers() {
  return [...document.querySelectorAll("#team-members input:checked")].map((box) => box.value);
}

function refreshTeamSelects() {
  const members = selectedMembers();
  for (const id of ["team-initiator", "team-recipient"]) {
    const select = $(id);
    const previous = select.value;
    select.replaceChildren(...members.map((name) => el("option", { value: name }, name)));
    if (members.includes(previous)) select.value = previous;
    else if (id === "team-recipient" && members.length > 1) select.value = members[1];
  }
  const group = $("team-type").value === "group_chat";
  for (const node of document.querySelectorAll(".group-only")) node.hidden = !group;
  for (const node of document.querySelectorAll(".two-only")) node.hidden = group;
}

function renderMembers(checked) {
  $("team-members").replaceChildren(...state.agents.map((agent) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: agent.name, onchange: refreshTeamSelects }), " " + agent.name,
    el("span", { class: "small" }, " (" + agent.kind + ")"))));
  for (const box of document.querySelectorAll("#team-members input")) box.checked = checked.includes(box.value);
  refreshTeamSelects();
}

function teamFromForm() {
  const names = selectedMembers();
  const team = { name: $("team-name").value.trim(), type: $("team-type").value,
    agents: names.map((name) => state.agents.find((a) => a.name === name)), initiator: $("team-initiator").value };
  if (team.type === "two_agent") team.recipient = $("team-recipient").value;
  else {
    team.speaker_selection_method = $("team-method").value;
    team.max_round = Number($("team-max-round").value || 10);
  }
  if ($("team-max-turns").value) team.max_turns = Number($("team-max-turns").value);
  if ($("team-task").value.trim()) team.task = $("team-task").value.trim();
  return team;
}

function fillTeamForm(team) {
  $("team-name").value = team.name;
  $("team-type").value = team.type;
  $("team-method").value = team.speaker_selection_method === "manual" ? "round_robin" : team.speaker_selection_method;
  $("team-max-round").value = team.max_round;
  $("team-max-turns").value = team.max_turns ?? "";
  $("team-task").value = team.task || "";
  for (const agent of team.agents) if (!state.agents.some((a) => a.name === agent.name)) state.agents.push(agent);
  renderMembers(team.agents.map((a) => a.name));
  $("team-initiator").value = team.initiator;
  if (team.recipient) $("team-recipient").value = team.recipient;
}

async function saveTeam(event) {
  event.preventDefault();
  try {
    const team = teamFromForm();
    const exists = state.teams.some((t) => t.name === team.name);
    await api(exists ? "PUT" : "POST", exists ? "/api/teams/" + team.name : "/api/teams", team);
    toast("Saved team " + team.name);
    await loadLibrary();
    $("run-team").value = team.name;
  } catch (err) { toast(err.message, true); }
}

function itemRow(label, detail, onEdit, onDelete) {
  return el("li", {}, el("span", { class: "item-name" }, label), el("span", { class: "small" }, detail),
    el("span", { class: "item-actions" }, el("button", { type: "button", onclick: onEdit }, "Edit"),
      el("button", { type: "button", class: "danger", onclick: onDelete }, "Delete")));
}

async function loadLibrary() {
  [state.agents, state.teams] = await Promise.all([api("GET", "/api/agents"), api("GET", "/api/teams")]);
  $("agent-list").replaceChildren(...state.agents.map((agent) => itemRow(agent.name, agent.kind,
    () => fillAgentForm(agent),
    async () => { await api("DELETE", "/api/agents/" + agent.name); await loadLibrary(); })));
  $("team-list").replaceChildren(...state.teams.map((team) => itemRow(team.name,
    team.agents.map((a) => a.name).join(", "), () => fillTeamForm(team),
    async () => { await api("DELETE", "/api/teams/" + team.name); await loadLibrary(); })));
  renderMembers(selectedMembers());
  const current = $("run-team").value;
  $("run-team").replaceChildren(...state.teams.map((t) => el("option", { value: t.name }, t.name)));
  if (state.teams.some((t) => t.name === current)) $("run-team").value = current;
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

function richText(text) {
  // Fenced code blocks become <pre>; everything else stays plain text (never HTML).
  const box = el("div", { class: "content" });
  const parts = (text || "").split(/```[a-zA-Z0-9_+-]*\n?/);
  parts.forEach((part, i) => {
    if (!part.trim()) return;
    box.append(i % 2 ? el("pre", { class: "code" }, part.replace(/\n$/, "")) : el("p", {}, part.trim()));
  });
  return box;
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
}

function updateUsage(event) {
  $("usage-tokens").textContent = String(event.total_tokens ?? 0);
  $("usage-cost").textContent = event.total_cost == null ? "unknown" : "$" + Number(event.total_cost).toFixed(4);
  $("usage-models").replaceChildren(...Object.entries(event.models || {}).map(([model, m]) =>
    el("div", {}, `${model}: ${m.calls ?? "?"} calls, ${m.prompt_tokens} + ${m.completion_tokens} tokens`)));
}

function render(event) {
  const timeline = $("timeline");
  let node = null;
  switch (event.type) {
    case "message":
      node = el("div", { class: "msg" },
        el("div", { class: "who" }, el("span", { class: "speaker", style: { background: colour(event.sender) } }, event.sender),
          event.recipient ? el("span", { class: "small" }, " → " + event.recipient) : null),
        richText(event.content.startsWith("exitcode:") ? tidyFiles(event.content) : event.content));
      break;
    case "code":
      node = el("div", { class: "code-result" + (event.exit_code === 0 ? "" : " failed") },
        el("div", { class: "small" }, `Code run by ${event.agent} — exit code ${event.exit_code}`),
        event.output ? el("pre", { class: "code" }, event.output) : null, images(event.files));
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
          el("dt", {}, "Summary"), el("dd", {}, event.summary || "—"),
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
async function loadHistory() {
  const runs = await api("GET", "/api/runs");
  $("history-empty").hidden = runs.length > 0;
  $("history-rows").replaceChildren(...runs.map((run) => el("tr", {},
    el("td", {}, new Date(run.created_at * 1000).toLocaleString()), el("td", {}, run.team || "—"),
    el("td", { class: "task" }, run.task || "—"), el("td", {}, el("span", { class: "badge " + run.status }, run.status)),
    el("td", {}, run.stop_reason || "—"),
    el("td", { class: "item-actions" },
      run.source === "store" ? el("button", { onclick: () => { showView("run"); watch(run.run_id, `${run.team}: ${run.task}`); } }, "Open") : null,
      ["interrupted", "failed"].includes(run.status) ? el("button", { onclick: () => resume(run) }, "Resume") : null,
      el("button", { class: "replay", onclick: () => replay(run) }, "Replay")))));
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
$("agent-form").addEventListener("submit", saveAgent);
$("agent-clear").addEventListener("click", () => fillAgentForm({}));
$("team-form").addEventListener("submit", saveTeam);
$("team-clear").addEventListener("click", () => { $("team-form").reset(); renderMembers([]); });
$("team-type").addEventListener("change", refreshTeamSelects);
$("run-start").addEventListener("click", startRun);
$("human-box").addEventListener("submit", (event) => { event.preventDefault(); answer($("human-answer").value); });
$("human-exit").addEventListener("click", () => answer("exit"));
$("history-refresh").addEventListener("click", loadHistory);
$("login-form").addEventListener("submit", login);
loadLibrary().catch((err) => { if ($("view-login").hidden) toast(err.message, true); });
