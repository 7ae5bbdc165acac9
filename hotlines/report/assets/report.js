/* hotlines report: table sorting and filtering, dossiers, the brand–phone graph and the maps.
   Page-derived strings reach the page only through textContent or, for plotly's labels,
   through esc(): never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  var VERDICT_COLORS = { fraud: "#c62828", official: "#2e7d32", unknown: "#8a8f98" };

  function esc(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // ---- the ranked table: sort by a column, filter by text and verdict ------------------------
  var table = document.getElementById("ranked");
  var filter = document.getElementById("filter");
  var verdictFilter = document.getElementById("verdict-filter");
  var shownCount = document.getElementById("shown-count");

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-v");
    if (value === null) value = cell.textContent;
    return numeric ? parseFloat(value) || 0 : value.toLowerCase();
  }

  if (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "number";
        var descending = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, column, numeric), y = cellValue(b, column, numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          if (order === 0) order = parseInt(a.getAttribute("data-rank"), 10) - parseInt(b.getAttribute("data-rank"), 10);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function applyFilter() {
    if (!table) return;
    var words = (filter.value || "").toLowerCase().split(/\s+/).filter(Boolean);
    var verdict = verdictFilter ? verdictFilter.value : "";
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = row.getAttribute("data-search") + " " + row.textContent.toLowerCase();
      var ok = words.every(function (word) { return text.indexOf(word) !== -1; });
      if (verdict && row.getAttribute("data-verdict") !== verdict) ok = false;
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    shownCount.textContent = shown + " of " + table.tBodies[0].rows.length + " shown";
  }
  if (filter) filter.addEventListener("input", applyFilter);
  if (verdictFilter) verdictFilter.addEventListener("change", applyFilter);

  // ---- dossiers: one open at a time, by the address's #d-N (a click on a number sets it) -------
  var drawn = {};

  function openDossier() {
    var match = /^#d-(\d+)$/.exec(window.location.hash);
    var opened = null;
    Array.prototype.forEach.call(document.querySelectorAll(".dossier"), function (article) {
      var open = match !== null && article.id === "d-" + match[1];
      article.classList.toggle("open", open);
      if (open) opened = article;
    });
    Array.prototype.forEach.call(document.querySelectorAll("#ranked tbody tr"), function (row) {
      row.classList.toggle("current", match !== null && row.getAttribute("data-dossier") === match[1]);
    });
    var none = document.getElementById("no-dossier");
    if (none) none.hidden = opened !== null;
    if (opened) {
      var position = parseInt(match[1], 10);
      if (!drawn[position]) {
        drawn[position] = true;
        drawMap(position);
      }
    }
  }
  window.addEventListener("hashchange", openDossier);

  // ---- the claimed service area: provinces shaded by mentions, counties as points -------------
  function drawMap(position) {
    var target = document.getElementById("map-" + position);
    var area = data.numbers[position] && data.numbers[position].map;
    if (!target || !area) return;
    var provinces = {};
    data.provinces.forEach(function (p) { provinces[p[0]] = p; });
    var context = {
      type: "scatter", mode: "text", hoverinfo: "skip", showlegend: false,
      x: data.provinces.map(function (p) { return p[3]; }), y: data.provinces.map(function (p) { return p[4]; }),
      text: data.provinces.map(function (p) { return esc(p[1]); }),
      textfont: { color: "#9aa3ad", size: 11 }
    };
    var shaded = area.provinces.filter(function (p) { return provinces[p[0]]; });
    var most = Math.max.apply(null, [1].concat(shaded.map(function (p) { return p[1]; })));
    var provinceTrace = {
      type: "scatter", mode: "markers+text", name: "mentions per province", textposition: "middle center",
      x: shaded.map(function (p) { return provinces[p[0]][3]; }), y: shaded.map(function (p) { return provinces[p[0]][4]; }),
      text: shaded.map(function (p) { return esc(provinces[p[0]][1]); }), textfont: { size: 11, color: "#222" },
      hovertext: shaded.map(function (p) { return esc(provinces[p[0]][2]) + ": " + p[1] + " mention(s)"; }),
      hoverinfo: "text",
      marker: {
        size: shaded.map(function (p) { return 16 + 34 * Math.sqrt(p[1] / most); }),
        color: shaded.map(function (p) { return p[1]; }), colorscale: "Reds", cmin: 0, cmax: most, opacity: 0.55,
        line: { color: "#7f1d1d", width: 0.5 },
        colorbar: { title: { text: "mentions" }, thickness: 10, len: 0.6 }
      }
    };
    var points = area.points;
    var countyTrace = {
      type: "scatter", mode: "markers", name: "counties (points)",
      x: points.map(function (p) { return data.units[p[0]][2]; }), y: points.map(function (p) { return data.units[p[0]][3]; }),
      hovertext: points.map(function (p) {
        var unit = data.units[p[0]];
        return esc(unit[0]) + " (" + esc(unit[1]) + "): " + p[1] + " mention(s) on " + p[2] + " page(s)";
      }),
      hoverinfo: "text",
      marker: { size: points.map(function (p) { return 3 + 1.5 * Math.log2(1 + p[1]); }), color: "#1f3b73", opacity: 0.45 }
    };
    var layout = {
      margin: { l: 10, r: 10, t: 10, b: 10 }, showlegend: false, hovermode: "closest", plot_bgcolor: "#f4f7fb",
      xaxis: { range: [73, 136], visible: false, fixedrange: false },
      yaxis: { range: [16, 54], visible: false, scaleanchor: "x", scaleratio: 1.25 }
    };
    Plotly.newPlot(target, [context, provinceTrace, countyTrace], layout, config);
  }

  // ---- the brand–phone graph ----------------------------------------------------------------
  function drawGraph() {
    var target = document.getElementById("graph");
    var graph = data.graph;
    if (!target || !graph.nodes.length) return;
    var ex = [], ey = [];
    graph.edges.forEach(function (edge) {
      var a = graph.nodes[edge[0]], b = graph.nodes[edge[1]];
      ex.push(a.x, b.x, null); ey.push(a.y, b.y, null);
    });
    var numbers = graph.nodes.filter(function (n) { return n.type === "number"; });
    var brands = graph.nodes.filter(function (n) { return n.type === "brand"; });
    var topScore = Math.max.apply(null, [1e-9].concat(numbers.map(function (n) { return n.score; })));
    var topPages = Math.max.apply(null, [1].concat(brands.map(function (n) { return n.pages; })));
    var edges = { type: "scatter", mode: "lines", x: ex, y: ey, hoverinfo: "skip", showlegend: false,
      line: { color: "rgba(120,130,145,0.35)", width: 1 } };
    var brandTrace = {
      type: "scatter", mode: brands.length <= 60 ? "markers+text" : "markers", name: "brands (size: pages)",
      x: brands.map(function (n) { return n.x; }), y: brands.map(function (n) { return n.y; }),
      text: brands.map(function (n) { return esc(n.label); }), textposition: "bottom center", textfont: { size: 10, color: "#44505c" },
      hovertext: brands.map(function (n) {
        return esc(n.label) + (n.known ? "" : " (discovered)") + "<br>" + n.pages + " page(s), " + n.numbers + " number(s) shown";
      }),
      hoverinfo: "text", customdata: brands.map(function (n) { return "b:" + n.label; }),
      marker: { symbol: "diamond", size: brands.map(function (n) { return 7 + 18 * Math.sqrt(n.pages / topPages); }),
        color: brands.map(function (n) { return n.known ? "#4a7fc1" : "#9db8dc"; }), line: { color: "#fff", width: 0.5 } }
    };
    var numberTrace = {
      type: "scatter", mode: numbers.length <= 60 ? "markers+text" : "markers", name: "numbers (size: " + (data.scored ? "risk" : "brands") + ")",
      x: numbers.map(function (n) { return n.x; }), y: numbers.map(function (n) { return n.y; }),
      text: numbers.map(function (n) { return esc(n.label); }), textposition: "top center", textfont: { size: 11, color: "#1d232b" },
      hovertext: numbers.map(function (n) {
        return "<b>" + esc(n.label) + "</b><br>" + (data.scored ? esc(n.verdict) + ", risk " + n.score.toFixed(2) + "<br>" : "") +
          n.brands + " brand(s)" + (n.undrawn ? " (" + n.undrawn + " not drawn)" : "") + ", " + n.pages + " page(s)<br>click: dossier";
      }),
      hoverinfo: "text", customdata: numbers.map(function (n) { return "d:" + n.dossier; }),
      marker: {
        size: numbers.map(function (n) { return 12 + 26 * Math.sqrt(Math.max(n.score, 0) / topScore); }),
        color: numbers.map(function (n) { return data.scored ? (VERDICT_COLORS[n.verdict] || VERDICT_COLORS.unknown) : "#c62828"; }),
        line: { color: "#fff", width: 1 }, opacity: 0.9
      }
    };
    var layout = {
      margin: { l: 10, r: 10, t: 10, b: 10 }, hovermode: "closest", plot_bgcolor: "#fff", dragmode: "pan",
      legend: { orientation: "h", x: 0, y: 1.02 },
      xaxis: { visible: false }, yaxis: { visible: false }
    };
    Plotly.newPlot(target, [edges, brandTrace, numberTrace], layout, config).then(function () {
      target.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || typeof point.customdata !== "string") return;
        if (point.customdata.slice(0, 2) === "d:") {
          window.location.hash = "#d-" + point.customdata.slice(2);
        } else if (point.customdata.slice(0, 2) === "b:" && filter) {
          filter.value = point.customdata.slice(2);
          applyFilter();
          document.getElementById("numbers").scrollIntoView();
        }
      });
    });
  }

  drawGraph();
  applyFilter();
  if (!/^#d-\d+$/.test(window.location.hash) && data.open !== null) {
    window.location.hash = "#d-" + data.open;
  } else {
    openDossier();
  }
})();
