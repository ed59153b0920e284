// convogen studio page: the library (models, tools, agents) and the team editor.
// Agents, models and tools are defined once; teams send their members by name, so an edit
// to an agent reaches every team that uses it (the server rebuilds their specs).
"use strict";

function itemRow(label, detail, ...actions) {
  return el("li", {}, el("span", { class: "item-name" }, label), el("span", { class: "small" }, detail),
    el("span", { class: "item-actions" }, ...actions));
}

function button(text, onclick, cls) {
  return el("button", { type: "button", class: cls || "", onclick }, text);
}

async function removeItem(kind, name) {
  try {
    await api("DELETE", `/api/${kind}s/${encodeURIComponent(name)}`);
    toast(`Deleted ${kind} ${name}`);
    await loadLibrary();
  } catch (err) { toast(err.message, true); }
}

async function saveItem(kind, item, list) {
  const exists = list.some((x) => x.name === item.name);
  await api(exists ? "PUT" : "POST", `/api/${kind}s` + (exists ? "/" + item.name : ""), item);
  toast(`Saved ${kind} ${item.name}`);
  await loadLibrary();
}

// ----------------------------------------------------------------- models
function modelFromForm() {
  const model = { name: $("model-name").value.trim(), api_type: $("model-api-type").value,
    model: $("model-model").value.trim() };
  if ($("model-base-url").value.trim()) model.base_url = $("model-base-url").value.trim();
  if ($("model-key-env").value.trim()) model.api_key_env = $("model-key-env").value.trim();
  if ($("model-max-tokens").value) model.max_tokens = Number($("model-max-tokens").value);
  return model;
}

function fillModelForm(model) {
  $("model-name").value = model.name || "";
  $("model-api-type").value = model.api_type || "openai";
  $("model-model").value = model.model || "";
  $("model-base-url").value = model.base_url || "";
  $("model-key-env").value = model.api_key_env || "";
  $("model-max-tokens").value = model.max_tokens ?? "";
}

async function testModel(name) {
  const box = $("model-test-result");
  box.hidden = false;
  box.className = "test-result";
  box.textContent = `Testing ${name}…`;
  try {
    const answer = await api("POST", `/api/models/${encodeURIComponent(name)}/test`);
    box.className = "test-result " + (answer.ok ? "ok" : "bad");
    box.textContent = answer.ok ? `${name}: connected in ${answer.seconds}s, replied "${answer.reply}"`
      : `${name}: ${answer.error}`;
  } catch (err) { box.className = "test-result bad"; box.textContent = err.message; }
}

function renderModels() {
  $("model-list").replaceChildren(...state.models.map((m) => itemRow(m.name,
    `${m.api_type} · ${m.model}${m.api_key_env ? " · $" + m.api_key_env : ""}`,
    button("Test", () => testModel(m.name), "test"),
    m.name === "local" ? null : button("Edit", () => fillModelForm(m)),
    m.name === "local" ? null : button("Delete", () => removeItem("model", m.name), "danger"))));
  const options = (empty) => [el("option", { value: "" }, empty),
    ...state.models.map((m) => el("option", { value: m.name }, m.name))];
  for (const [id, empty] of [["agent-model", "(config below)"], ["team-manager-model", "(none)"]]) {
    const previous = $(id).value;
    $(id).replaceChildren(...options(empty));
    $(id).value = state.models.some((m) => m.name === previous) ? previous : "";
  }
  toggleLlmBox();
}

// ------------------------------------------------------------------ tools
function renderTools(checked) {
  $("tool-list").replaceChildren(...state.tools.map((t) => itemRow(t.name, t.ref,
    button("Edit", () => { $("tool-name").value = t.name; $("tool-ref").value = t.ref;
      $("tool-description").value = t.description || ""; }),
    button("Delete", () => removeItem("tool", t.name), "danger"))));
  $("agent-tools").replaceChildren(...state.tools.map((t) => el("label", { class: "check", title: t.ref },
    el("input", { type: "checkbox", value: t.ref }), " " + t.name)));
  for (const box of document.querySelectorAll("#agent-tools input")) box.checked = checked.includes(box.value);
}

function toolFromForm() {
  const tool = { name: $("tool-name").value.trim(), ref: $("tool-ref").value.trim() };
  if ($("tool-description").value.trim()) tool.description = $("tool-description").value.trim();
  return tool;
}

// ----------------------------------------------------------------- agents
function toggleLlmBox() {
  $("agent-llm-label").hidden = $("agent-model").value !== "";
}

function agentFromForm() {
  const agent = { name: $("agent-name").value.trim(), kind: $("agent-kind").value };
  const optional = { system_message: $("agent-system").value, description: $("agent-description").value,
    human_input_mode: $("agent-mode").value };
  for (const [key, value] of Object.entries(optional)) if (value.trim()) agent[key] = value;
  if ($("agent-max-auto").value !== "") agent.max_consecutive_auto_reply = Number($("agent-max-auto").value);
  const llm = $("agent-llm").value.trim();
  if ($("agent-model").value) agent.model = $("agent-model").value;
  else if (llm) {
    try { agent.llm_config = JSON.parse(llm); } catch (err) { throw new Error("Model config is not valid JSON: " + err.message); }
  } else if (agent.kind === "user_proxy") agent.llm_config = false;
  agent.tools = [...document.querySelectorAll("#agent-tools input:checked")].map((box) => box.value);
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
  $("agent-model").value = agent.model || "";
  $("agent-llm").value = agent.llm_config ? JSON.stringify(agent.llm_config, null, 2) : "";
  $("agent-code").checked = Boolean(agent.code_execution);
  renderTools(agent.tools || []);
  toggleLlmBox();
}

// ------------------------------------------------------------------ teams
const editor = { order: [], inline: {}, transitions: [] };

function setMembers(names) {
  editor.order = names.slice();
  for (const box of document.querySelectorAll("#team-members input")) box.checked = names.includes(box.value);
  refreshTeamEditor();
}

function memberToggled(event) {
  const name = event.target.value;
  if (event.target.checked) editor.order.push(name);
  else {
    editor.order = editor.order.filter((n) => n !== name);
    editor.transitions = editor.transitions.filter(([a, b]) => a !== name && b !== name);
  }
  refreshTeamEditor();
}

function renderMembers() {
  const names = [...new Set([...state.agents.map((a) => a.name), ...Object.keys(editor.inline)])];
  $("team-members").replaceChildren(...names.map((name) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: name, onchange: memberToggled }), " " + name)));
  setMembers(editor.order.filter((n) => names.includes(n)));
}

function fillSelect(id, names, fallback) {
  const select = $(id);
  const previous = select.value;
  select.replaceChildren(...names.map((name) => el("option", { value: name }, name)));
  select.value = names.includes(previous) ? previous : (fallback ?? names[0] ?? "");
}

function move(index, step) {
  const order = editor.order;
  const target = index + step;
  if (target < 0 || target >= order.length) return;
  [order[index], order[target]] = [order[target], order[index]];
  refreshTeamEditor();
}

function refreshTeamEditor() {
  const members = editor.order;
  fillSelect("team-initiator", members);
  fillSelect("team-recipient", members, members[1]);
  fillSelect("transition-from", members);
  fillSelect("transition-to", members, members[1]);
  const group = $("team-type").value === "group_chat";
  for (const node of document.querySelectorAll(".group-only")) node.hidden = !group;
  for (const node of document.querySelectorAll(".two-only")) node.hidden = group;
  $("team-order").replaceChildren(...members.map((name, i) => el("li", {}, el("span", {}, name),
    button("↑", () => move(i, -1), "up"), button("↓", () => move(i, 1), "down"))));
  $("team-transitions").replaceChildren(...editor.transitions.map(([a, b], i) => el("li", {},
    el("span", {}, `${a} → ${b}`), button("Remove", () => { editor.transitions.splice(i, 1); refreshTeamEditor(); }))));
  drawGraph($("team-graph"), members, editor.transitions);
}

function addTransition() {
  const pair = [$("transition-from").value, $("transition-to").value];
  if (!pair[0] || !pair[1]) return;
  if (!editor.transitions.some(([a, b]) => a === pair[0] && b === pair[1])) editor.transitions.push(pair);
  refreshTeamEditor();
}

function drawGraph(box, names, edges) {
  // A small inline SVG: members on a circle, an arrow for each allowed transition.
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const node = (tag, attrs) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    return n;
  };
  svg.setAttribute("viewBox", "0 0 360 220");
  const marker = node("marker", { id: "arrowhead", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(node("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#2563eb" }));
  const defs = node("defs", {});
  defs.append(marker);
  svg.append(defs);
  const at = {};
  names.forEach((name, i) => {
    const angle = (2 * Math.PI * i) / Math.max(names.length, 1) - Math.PI / 2;
    at[name] = [180 + 130 * Math.cos(angle), 110 + 80 * Math.sin(angle)];
  });
  for (const [a, b] of edges) {
    if (!at[a] || !at[b]) continue;
    const [x1, y1] = at[a]; const [x2, y2] = at[b];
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const [dx, dy] = [(x2 - x1) / len, (y2 - y1) / len];
    const [ox, oy] = [-dy * 5, dx * 5];  // a -> b and b -> a run side by side, not on top
    svg.append(node("line", { class: "edge", x1: x1 + dx * 22 + ox, y1: y1 + dy * 14 + oy,
      x2: x2 - dx * 22 + ox, y2: y2 - dy * 14 + oy, stroke: "#2563eb", "stroke-width": 1.5, "marker-end": "url(#arrowhead)" }));
  }
  for (const name of names) {
    const [x, y] = at[name];
    svg.append(node("ellipse", { class: "node", cx: x, cy: y, rx: 40, ry: 14, fill: "#e0e7ff", stroke: "#4f46e5" }));
    const label = node("text", { x, y: y + 4, "text-anchor": "middle" });
    label.textContent = name;
    svg.append(label);
  }
  box.replaceChildren(svg);
}

function teamFromForm() {
  const team = { name: $("team-name").value.trim(), type: $("team-type").value,
    agents: editor.order.map((name) => editor.inline[name] || name), initiator: $("team-initiator").value };
  if (team.type === "two_agent") team.recipient = $("team-recipient").value;
  else {
    team.speaker_selection_method = $("team-method").value;
    team.max_round = Number($("team-max-round").value || 10);
    if ($("team-manager-model").value) team.manager_model = $("team-manager-model").value;
    if (editor.transitions.length) {
      team.allowed_transitions = {};
      for (const [a, b] of editor.transitions) (team.allowed_transitions[a] ||= []).push(b);
    }
  }
  if ($("team-max-turns").value) team.max_turns = Number($("team-max-turns").value);
  if ($("team-task").value.trim()) team.task = $("team-task").value.trim();
  return team;
}

function fillTeamForm(team) {
  const refs = team.agent_refs || [];
  editor.inline = {};
  for (const agent of team.agents) if (!refs.includes(agent.name)) editor.inline[agent.name] = agent;
  editor.transitions = Object.entries(team.allowed_transitions || {}).flatMap(([a, bs]) => bs.map((b) => [a, b]));
  $("team-name").value = team.name;
  $("team-type").value = team.type;
  $("team-method").value = team.speaker_selection_method || "round_robin";
  $("team-max-round").value = team.max_round;
  $("team-max-turns").value = team.max_turns ?? "";
  $("team-task").value = team.task || "";
  $("team-manager-model").value = team.manager_model || "";
  editor.order = team.agents.map((a) => a.name);
  renderMembers();
  $("team-initiator").value = team.initiator;
  if (team.recipient) $("team-recipient").value = team.recipient;
}

function clearTeamForm() {
  $("team-form").reset();
  Object.assign(editor, { order: [], inline: {}, transitions: [] });
  renderMembers();
}

async function importTeam(event) {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const team = await api("POST", "/api/teams/import", JSON.parse(await file.text()));
    toast("Imported team " + team.name);
    await loadLibrary();
  } catch (err) { toast("Import failed: " + err.message, true); }
  event.target.value = "";
}

function renderTeams() {
  $("team-list").replaceChildren(...state.teams.map((team) => itemRow(team.name,
    team.agents.map((a) => a.name).join(", "), button("Edit", () => fillTeamForm(team)),
    el("a", { class: "export", href: `/api/teams/${team.name}/export`, download: team.name + ".json" }, "Export"),
    button("Delete", () => removeItem("team", team.name), "danger"))));
  const current = $("run-team").value;
  $("run-team").replaceChildren(...state.teams.map((t) => el("option", { value: t.name }, t.name)));
  if (state.teams.some((t) => t.name === current)) $("run-team").value = current;
}

async function loadLibrary() {
  [state.models, state.tools, state.agents, state.teams] = await Promise.all(
    ["models", "tools", "agents", "teams"].map((kind) => api("GET", "/api/" + kind)));
  renderModels();
  const checkedTools = [...document.querySelectorAll("#agent-tools input:checked")].map((b) => b.value);
  renderTools(checkedTools);
  $("agent-list").replaceChildren(...state.agents.map((agent) => itemRow(agent.name,
    agent.kind + (agent.model ? " · " + agent.model : ""), button("Edit", () => fillAgentForm(agent)),
    button("Delete", () => removeItem("agent", agent.name), "danger"))));
  renderMembers();
  renderTeams();
}

function bindLibrary() {
  const submit = (id, make, kind, list) => $(id).addEventListener("submit", async (event) => {
    event.preventDefault();
    try { await saveItem(kind, make(), state[list]); } catch (err) { toast(err.message, true); }
  });
  submit("model-form", modelFromForm, "model", "models");
  submit("tool-form", toolFromForm, "tool", "tools");
  submit("agent-form", agentFromForm, "agent", "agents");
  submit("team-form", teamFromForm, "team", "teams");
  $("model-clear").addEventListener("click", () => fillModelForm({}));
  $("tool-clear").addEventListener("click", () => $("tool-form").reset());
  $("agent-clear").addEventListener("click", () => fillAgentForm({}));
  $("agent-model").addEventListener("change", toggleLlmBox);
  $("team-clear").addEventListener("click", clearTeamForm);
  $("team-type").addEventListener("change", refreshTeamEditor);
  $("transition-add").addEventListener("click", addTransition);
  $("team-import").addEventListener("change", importTeam);
}
