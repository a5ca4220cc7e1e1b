// detente dashboard: one dyad's relations index with its evidence, the turnaround leaderboard of the
// period, and an actor's isolation or the period's signed network. Everything comes from /api.
"use strict";

const $ = (id) => document.getElementById(id);

// The bands of the -9..+9 index, as in the reports (docs/methods.md).
const BANDS = [
  [-9, -6, "hostile", "#d7301f"],
  [-6, -3, "tense", "#fc8d59"],
  [-3, 0, "discordant", "#fdd49e"],
  [0, 3, "ordinary", "#e0ecf4"],
  [3, 6, "good", "#9ebcda"],
  [6, 9, "friendly", "#41ae76"],
];
const PLOT_CONFIG = { responsive: true, displaylogo: false };

async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Plotly hover labels do not wrap: break long sentences into lines of about `width` characters.
function wrap(text, width = 90) {
  const lines = [];
  let line = "";
  for (const word of String(text ?? "").split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map(escapeHtml).join("<br>");
}

function fmt(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return typeof value === "number" ? value.toFixed(digits) : String(value);
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(
    ...rows.map(({ cells, className }) => {
      const tr = document.createElement("tr");
      if (className) tr.className = className;
      for (const [text, numeric] of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        if (numeric) td.className = "num";
        tr.append(td);
      }
      return tr;
    }),
  );
}

// Operations under way (loads and their renders): 0 when the page is settled, for users and tests alike.
let busy = 0;
async function whileBusy(work) {
  document.body.dataset.busy = String(++busy);
  try {
    return await work();
  } finally {
    document.body.dataset.busy = String(--busy);
  }
}

// Runs one panel's loader and marks the panel loading/ready/error. Only the latest run of a panel
// may draw: an answer that arrives after a newer request was made is dropped.
const latestRun = {};
async function runPanel(panelId, errorId, loader) {
  const panel = $(panelId);
  const error = $(errorId);
  const run = (latestRun[panelId] = (latestRun[panelId] || 0) + 1);
  const current = () => latestRun[panelId] === run;
  panel.dataset.state = "loading";
  try {
    await loader(current);
    if (!current()) return;
    error.hidden = true;
    panel.dataset.state = "ready";
  } catch (problem) {
    if (!current()) return;
    error.textContent = problem.message;
    error.hidden = false;
    panel.dataset.state = "error";
  }
}

function selection() {
  return {
    a: $("country-a").value,
    b: $("country-b").value,
    from: $("date-from").value,
    to: $("date-to").value,
    freq: $("freq").value,
    directed: $("directed").checked,
  };
}

// -- relations index ------------------------------------------------------------------------------

function bandShapes() {
  return BANDS.map(([low, high, , colour]) => ({
    type: "rect", xref: "paper", x0: 0, x1: 1, y0: low, y1: high,
    fillcolor: colour, opacity: 0.25, line: { width: 0 }, layer: "below",
  }));
}

function bandLabels() {
  return BANDS.map(([low, high, label]) => ({
    xref: "paper", x: 1, xanchor: "left", y: (low + high) / 2, text: label, showarrow: false,
    font: { size: 10 },
  }));
}

function markerTrace(events, cooperative) {
  const part = events.filter((e) => (e.goldstein > 0) === cooperative);
  return {
    type: "scatter",
    mode: "markers",
    name: cooperative ? "cooperative event" : "conflictual event",
    x: part.map((e) => e.date),
    y: part.map((e) => e.state),
    marker: {
      color: cooperative ? "green" : "crimson",
      size: 11,
      symbol: cooperative ? "triangle-up" : "triangle-down",
    },
    hovertext: part.map(
      (e) =>
        `<b>${escapeHtml(e.date)} ${escapeHtml(e.source_country)}→${escapeHtml(e.target_country)} ` +
        `${escapeHtml(e.cameo_label || e.cameo)} (Goldstein ${fmt(e.goldstein)})</b><br>${wrap(e.sentence)}`,
    ),
    hoverinfo: "text",
    customdata: part.map((e) => e.sentence),
  };
}

async function loadIndex(current) {
  const s = selection();
  const body = await api(`/api/dyads/${s.a}/${s.b}/index`, {
    freq: s.freq, directed: s.directed, from: s.from, to: s.to,
  });
  if (!current()) return;
  const unit = { D: "day", W: "week", M: "month" }[body.freq];
  $("index-title").textContent =
    `Relations index ${body.country_a}–${body.country_b} per ${unit}, ${body.start} to ${body.end}`;
  const directions = [...new Set(body.periods.map((p) => p.direction))];
  const lines = directions.map((direction) => {
    const part = body.periods.filter((p) => p.direction === direction);
    return {
      type: "scatter",
      mode: "lines",
      name: `index ${direction}`,
      // The state is the index at the period's end, so it is drawn there.
      x: part.map((p) => p.period_end),
      y: part.map((p) => p.state),
      line: { width: 2 },
      customdata: part.map((p) => [p.period, p.band, p.n_events]),
      hovertemplate:
        `${direction}, period from %{customdata[0]} to %{x}: %{y:.2f} (%{customdata[1]}), ` +
        `%{customdata[2]} events<extra></extra>`,
    };
  });
  // The daily state behind the per-period line: the markers sit on it, on their own day.
  const daily = directions.map((direction) => {
    const part = body.daily.filter((d) => d.direction === direction);
    return {
      type: "scatter",
      mode: "lines",
      name: `daily ${direction}`,
      x: part.map((d) => d.date),
      y: part.map((d) => d.state),
      line: { width: 1, color: "rgba(90,90,90,0.45)" },
      hoverinfo: "skip",
    };
  });
  const markers = [markerTrace(body.evidence, true), markerTrace(body.evidence, false)];
  const layout = {
    margin: { t: 20, r: 90 },
    hovermode: "closest",
    xaxis: { title: { text: "date" }, range: [body.start, body.end] },
    yaxis: { title: { text: "relations index (−9 hostile … +9 friendly)" }, range: [-9.5, 9.5] },
    shapes: bandShapes(),
    annotations: bandLabels(),
    legend: { orientation: "h", y: -0.2 },
  };
  await Plotly.react("index-chart", [...lines, ...daily, ...markers], layout, PLOT_CONFIG);
  $("index-caveats").replaceChildren(
    ...body.caveats.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
  );
  fillRows(
    $("evidence-table").tBodies[0],
    body.evidence.map((e) => ({
      cells: [
        [e.date],
        [`${e.source_country}→${e.target_country}`],
        [`${e.cameo} ${e.cameo_label || ""}`],
        [fmt(e.goldstein), true],
        [e.sentence],
      ],
    })),
  );
}

// -- turnarounds ----------------------------------------------------------------------------------

async function loadTurnarounds(current) {
  const s = selection();
  const body = await api("/api/turnarounds", { dyad: `${s.a}-${s.b}`, from: s.from, to: s.to, top: 15 });
  if (!current()) return;
  const dyad = body.dyad;
  $("turnaround-summary").textContent =
    `${body.episodes_ranked} recovered episode(s) and ${body.episodes_open} not recovered in ` +
    `${body.dyads_scanned} dyads, ${body.start} to ${body.end}; speed measured to ${body.rule}.`;
  const shown = [...body.ranked];
  for (const episode of body.dyad_episodes || []) {
    if (episode.rank !== null && !shown.some((e) => e.rank === episode.rank)) shown.push(episode);
  }
  fillRows(
    $("turnaround-table").tBodies[0],
    shown.map((e) => ({
      className: e.dyad === dyad ? "highlight" : "",
      cells: [
        [fmt(e.rank, 0), true],
        [e.dyad],
        [e.start],
        [e.nadir],
        [fmt(e.depth), true],
        [e.milestone ? `${e.milestone} ${e.milestone_label || ""}` : "–"],
        [fmt(e.speed_days, 0), true],
        [fmt(e.swing), true],
        [e.faster_than === null ? "–" : `${Math.round(100 * e.faster_than)}%`, true],
      ],
    })),
  );
  const notes = (body.dyad_episodes || []).map((e) => {
    const place = e.rank === null ? "not recovered yet" : `rank ${e.rank} of ${body.episodes_ranked}`;
    return `${e.dyad}: fell from ${e.start}, low point ${e.nadir} (depth ${fmt(e.depth)}); ${place}`;
  });
  if (!notes.length) notes.push(`${dyad}: no fall into hostility in this period`);
  $("dyad-episodes").replaceChildren(
    ...notes.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
  );
}

// -- isolation or network -------------------------------------------------------------------------

async function loadIsolation(current) {
  const s = selection();
  const actor = $("isolation-actor").value || s.a;
  const body = await api(`/api/isolation/${actor}`, { from: s.from, to: s.to, freq: s.freq });
  if (!current()) return;
  $("third-summary").textContent =
    `${body.actor} and its ${body.partners.length} main past partners (${body.partners.join(", ")}); ` +
    `trend ${fmt(body.trend, 2)} (positive: more isolated).`;
  const x = body.periods.map((p) => p.period);
  await Plotly.react(
    "third-chart",
    [
      { type: "scatter", mode: "lines+markers", name: "isolation", x, y: body.periods.map((p) => p.isolation) },
      {
        type: "scatter", mode: "lines", name: "share of cooperation", x,
        y: body.periods.map((p) => p.coop_share), line: { dash: "dot" },
      },
    ],
    {
      margin: { t: 20 },
      yaxis: { range: [-0.05, 1.05], title: { text: "share (0..1)" } },
      legend: { orientation: "h", y: -0.2 },
    },
    PLOT_CONFIG,
  );
}

// Countries on a circle, grouped by bloc; green ties are cooperative, red hostile.
async function loadNetwork(current) {
  const s = selection();
  const body = await api("/api/network", { from: s.from, to: s.to });
  if (!current()) return;
  const nodes = [...body.node_list].sort((p, q) => (p.bloc ?? 99) - (q.bloc ?? 99) || p.code.localeCompare(q.code));
  const where = new Map(
    nodes.map((node, i) => {
      const angle = (2 * Math.PI * i) / Math.max(nodes.length, 1);
      return [node.code, [Math.cos(angle), Math.sin(angle)]];
    }),
  );
  const edgeTrace = (sign, colour, name) => {
    const x = [];
    const y = [];
    for (const edge of body.edge_list.filter((e) => e.sign === sign)) {
      x.push(where.get(edge.country_a)[0], where.get(edge.country_b)[0], null);
      y.push(where.get(edge.country_a)[1], where.get(edge.country_b)[1], null);
    }
    return { type: "scatter", mode: "lines", name, x, y, line: { color: colour, width: 1.5 }, hoverinfo: "skip" };
  };
  $("third-summary").textContent =
    `${body.nodes} countries, ${body.edges} ties, ${body.blocs.length} blocs; ` +
    `balanced triads ${body.balance === null ? "–" : `${Math.round(100 * body.balance)}%`}, ` +
    `${body.start} to ${body.end}.`;
  await Plotly.react(
    "third-chart",
    [
      edgeTrace(1, "rgba(0,128,0,0.6)", "cooperative tie"),
      edgeTrace(-1, "rgba(220,20,60,0.7)", "hostile tie"),
      {
        type: "scatter",
        mode: "markers+text",
        name: "country (colour: bloc)",
        x: nodes.map((n) => where.get(n.code)[0]),
        y: nodes.map((n) => where.get(n.code)[1]),
        text: nodes.map((n) => n.code),
        textposition: "top center",
        marker: { size: 14, color: nodes.map((n) => n.bloc ?? -1), colorscale: "Viridis" },
        hovertext: nodes.map(
          (n) => `${n.code}: bloc ${n.bloc === null ? "–" : n.bloc + 1}, ${n.allies} allies, ${n.adversaries} adversaries`,
        ),
        hoverinfo: "text",
      },
    ],
    {
      margin: { t: 20 },
      hovermode: "closest",
      xaxis: { visible: false },
      yaxis: { visible: false, scaleanchor: "x" },
      legend: { orientation: "h", y: -0.1 },
    },
    PLOT_CONFIG,
  );
}

function loadThird() {
  const view = document.querySelector("input[name=view]:checked").value;
  return runPanel("third-panel", "third-error", view === "network" ? loadNetwork : loadIsolation);
}

function showAll() {
  return Promise.all([
    runPanel("index-panel", "index-error", loadIndex),
    runPanel("turnaround-panel", "turnaround-error", loadTurnarounds),
    loadThird(),
  ]);
}

// -- period ---------------------------------------------------------------------------------------

let storeSpan = ["", ""];

function shiftDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

// The period shown for a dyad by default: the span of its events with a margin (a tenth of the span,
// at least three weeks) kept inside the store's span, as the CLI's charts do.
async function fitPeriod() {
  const a = $("country-a").value;
  const b = $("country-b").value;
  const body = await api("/api/dyads", { actor: a, limit: 1000 });
  const pair = body.dyads.find((d) => [d.country_a, d.country_b].sort().join() === [a, b].sort().join());
  if (!pair || !pair.first) return; // no events: the panels will say so
  const days = (Date.parse(pair.last) - Date.parse(pair.first)) / 86400000;
  const margin = Math.max(21, Math.round(days / 10));
  const from = shiftDays(pair.first, -margin);
  const to = shiftDays(pair.last, margin);
  $("date-from").value = storeSpan[0] && from < storeSpan[0] ? storeSpan[0] : from;
  $("date-to").value = storeSpan[1] && to > storeSpan[1] ? storeSpan[1] : to;
}

// -- start ----------------------------------------------------------------------------------------

function fillCountrySelect(select, countries, chosen) {
  select.replaceChildren(
    ...countries.map((c) => {
      const option = new Option(`${c.code} ${c.name} (${c.events})`, c.code);
      option.selected = c.code === chosen;
      return option;
    }),
  );
}

async function start() {
  try {
    const [stats, countries, dyads] = await Promise.all([
      api("/api/stats"),
      api("/api/countries"),
      api("/api/dyads", { limit: 1 }),
    ]);
    const firsts = stats.datasets.map((d) => d.first).filter(Boolean).sort();
    const lasts = stats.datasets.map((d) => d.last).filter(Boolean).sort();
    storeSpan = [firsts[0] || "", lasts[lasts.length - 1] || ""];
    $("store-summary").textContent =
      `${stats.events.toLocaleString()} events` +
      (firsts.length ? `, ${storeSpan[0]} to ${storeSpan[1]}` : "") +
      ` in ${stats.path}`;
    if (!countries.countries.length) {
      $("store-summary").textContent += ": no events to show yet (detente ingest / detente import).";
      return;
    }
    const top = dyads.dyads[0] || { country_a: countries.countries[0].code, country_b: countries.countries[1]?.code };
    fillCountrySelect($("country-a"), countries.countries, top.country_a);
    fillCountrySelect($("country-b"), countries.countries, top.country_b);
    fillCountrySelect($("isolation-actor"), countries.countries, top.country_a);
    [$("date-from").value, $("date-to").value] = storeSpan;
    await fitPeriod();
  } catch (problem) {
    $("store-summary").textContent = `Cannot read the store: ${problem.message}`;
    return;
  }
  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(showAll);
  });
  // A new dyad shows at once, over its own period; dates, unit and direction wait for "Show".
  for (const id of ["country-a", "country-b"]) {
    $(id).addEventListener("change", () =>
      whileBusy(async () => {
        if (id === "country-a") $("isolation-actor").value = $(id).value;
        await fitPeriod().catch(() => undefined);
        await showAll();
      }),
    );
  }
  for (const radio of document.querySelectorAll("input[name=view]")) {
    radio.addEventListener("change", () => whileBusy(loadThird));
  }
  $("isolation-actor").addEventListener("change", () => whileBusy(loadThird));
  document.body.dataset.ready = "true";
  await whileBusy(showAll);
}

start();
