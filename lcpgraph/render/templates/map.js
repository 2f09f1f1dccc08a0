// lcpgraph map: search, filters and tooltips. Data arrives as JSON and reaches the page only
// through textContent, so nothing in it can run as code.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; n.title = tooltip(n); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var state = { unit: "", sector: "", kind: "", gaps: false };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function tooltip(n) {
    var box = el("div", undefined, "tip");
    box.appendChild(el("b", n.label));
    var kind = n.kind + (n.sector ? " · " + n.sector : "") + (n.role ? " · " + n.role : "");
    box.appendChild(el("div", kind, "muted"));
    if (n.gap) box.appendChild(el("div", "Gap: " + n.gap));
    if (n.forums && n.forums.length) box.appendChild(el("div", "Sits in: " + n.forums.join("; ")));
    var m = n.measures || {};
    if (m.degree !== undefined) {
      box.appendChild(el("div", "Ties: " + m.degree + " · betweenness " + m.betweenness + " · PageRank " + m.pagerank));
    }
    if (n.source) box.appendChild(el("div", "Source: " + n.source, "muted"));
    return box;
  }
  function visible(n) {
    if (state.unit && n.units.indexOf(state.unit) < 0) return false;
    if (state.sector && n.sector !== state.sector) return false;
    if (state.kind && n.kind !== state.kind) return false;
    if (state.gaps && !n.gap) return false;
    return true;
  }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { var a = byId[e.from], b = byId[e.to]; return a && b && visible(a) && visible(b); }
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  if (data.stabilise) {
    // Let the layout settle once, then hold still: a map that keeps moving is hard to present.
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
  }
  var status = document.getElementById("status");
  function refresh() {
    nodeView.refresh(); edgeView.refresh();
    status.textContent = nodeView.length + " shown";
  }
  function fill(select, items, value, text) {
    items.forEach(function (it) {
      var o = el("option", text(it)); o.value = value(it); select.appendChild(o);
    });
  }
  fill(document.getElementById("filter-unit"), data.units, function (x) { return x.id; }, function (x) { return x.name; });
  fill(document.getElementById("filter-sector"), data.sectors, String, String);
  fill(document.getElementById("filter-kind"), data.kinds, String, String);
  var names = document.getElementById("names");
  data.nodes.map(function (n) { return n.label; }).sort().forEach(function (l) {
    var o = document.createElement("option"); o.value = l; names.appendChild(o);
  });
  ["unit", "sector", "kind"].forEach(function (k) {
    document.getElementById("filter-" + k).addEventListener("change", function (ev) { state[k] = ev.target.value; refresh(); });
  });
  document.getElementById("gaps-only").addEventListener("change", function (ev) { state.gaps = ev.target.checked; refresh(); });

  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var exact = null, partial = null;
    data.nodes.forEach(function (n) {
      var l = n.label.toLowerCase();
      if (!exact && l === q) exact = n;
      if (!partial && l.indexOf(q) >= 0) partial = n;
    });
    return exact || partial;
  }
  function focusOn(text) {
    var n = find(text);
    if (!n) { status.textContent = "No match for \u201c" + text + "\u201d"; return null; }
    if (!visible(n)) {
      state = { unit: "", sector: "", kind: "", gaps: false };
      ["unit", "sector", "kind"].forEach(function (k) { document.getElementById("filter-" + k).value = ""; });
      document.getElementById("gaps-only").checked = false;
      refresh();
    }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.4, animation: false });
    status.textContent = "Found: " + n.label;
    return n.id;
  }
  var search = document.getElementById("search");
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focusOn(search.value); });
  search.addEventListener("change", function () { focusOn(search.value); });
  refresh();
  window.lcpMap = { network: network, nodes: nodes, edges: edges, focusOn: focusOn };
})();
