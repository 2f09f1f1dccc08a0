/* <!-- lcpgraph --> the map page's script, shared by the maps here */
// lcpgraph map: filters, search, details, tour, saved image and level-of-detail labels.
//
// Data arrives as JSON and reaches the page only through textContent (or is drawn on the
// canvas), so nothing in it can run as code. Positions come from Python: nothing here moves a
// record. Filters and search only hide and show records, then fit the view to what is shown.
// Plain ES5 so the page runs in any browser an NHS laptop has, with no network access.
(function () {
  "use strict";
  // Everything waits one frame, so that "Drawing the map…" is on screen while the data is read.
  function main() {
    var data = JSON.parse(document.getElementById("map-data").textContent);
    var loading = document.getElementById("loading");
    var container = document.getElementById("network");

    function el(tag, text, cls) {
      var e = document.createElement(tag);
      if (text !== undefined && text !== null) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    }
    function $(id) { return document.getElementById(id); }
    function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

    if (typeof vis === "undefined") {
      loading.textContent = "The map could not be drawn: its vis-network script is missing. Keep the map's folder together.";
      return;
    }

    var isGov = data.view === "governance" && !!data.box;
    var recs = data.nodes;
    var byId = {};
    var order = recs.slice().sort(function (a, b) { return a.rank - b.rank; });
    var neighbours = {};      // id -> {id: true}
    var incident = {};        // id -> [edge ids]
    var relOf = {};           // id -> {kind: true}
    var changeOf = {};        // id -> {added: true, removed: true}
    var edgeById = {};
    recs.forEach(function (n) { byId[n.id] = n; neighbours[n.id] = {}; incident[n.id] = []; relOf[n.id] = {}; changeOf[n.id] = {}; });
    data.edges.forEach(function (e) {
      edgeById[e.id] = e;
      if (!byId[e.from] || !byId[e.to]) return;
      neighbours[e.from][e.to] = true; neighbours[e.to][e.from] = true;
      incident[e.from].push(e.id); incident[e.to].push(e.id);
      relOf[e.from][e.kind] = true; relOf[e.to][e.kind] = true;
      if (e.change && e.change !== "same") { changeOf[e.from][e.change] = true; changeOf[e.to][e.change] = true; }
    });

    function nameOf(id) { return byId[id] ? byId[id].label : (has(data.names, id) ? data.names[id] : id); }

    // ------------------------------------------------------------------ vis items
    var GOV_STYLE = {
      board: { background: "#1a1a1a", border: "#000000", font: "#ffffff" },
      unit: { background: "#dbe7f5", border: "#2f4f7f", font: "#1a1a1a" },
      other: { background: "#ffffff", border: "#666666", font: "#1a1a1a" }
    };
    function visNode(n) {
      var v = { id: n.id, x: n.x, y: n.y, shape: n.shape, size: n.size, physics: false, borderWidth: 1.5,
        color: { background: n.color, border: n.border,
          highlight: { background: n.color, border: "#000000" }, hover: { background: n.color, border: "#000000" } } };
      if (isGov) {
        var st = n.kind === "board" ? GOV_STYLE.board : (n.unit ? GOV_STYLE.unit : GOV_STYLE.other);
        var border = n.gap ? "#E3001B" : st.border;
        v.label = n.lines.join("\n");
        v.font = { color: st.font, size: 15, face: "Arial" };
        // The constraints size the label; vis-network adds the margins around it.
        v.widthConstraint = { minimum: data.box.width - 2 * data.box.margin, maximum: data.box.width - 2 * data.box.margin };
        v.heightConstraint = { minimum: n.height - 2 * data.box.margin, valign: "middle" };
        v.borderWidth = n.gap ? 4 : 1.5;
        v.borderWidthSelected = n.gap ? 5 : 3;
        v.color = { background: st.background, border: border,
          highlight: { background: st.background, border: n.gap ? border : "#000000" },
          hover: { background: st.background, border: n.gap ? border : "#000000" } };
      }
      return v;
    }
    function visEdge(e) {
      var v = { id: e.id, from: e.from, to: e.to, width: e.width,
        color: { color: e.color, highlight: e.color, hover: e.color, inherit: false } };
      if (e.dashes) v.dashes = e.dashes;
      if (e.arrows) v.arrows = e.arrows;
      return v;
    }

    var nodes, edges, network, first = true;
    var hiddenN = {}, hiddenE = {};
    var state = { unit: "", sector: "", kind: "", gaps: "", change: "", rel: "", focus: "" };
    var focus = null;         // {ids: [...], nodes: {id: true}, edges: [...]}
    var tourIdx = -1;
    var applying = false;     // while applying a link's state, do not rewrite the link
    var dragged = {};

    // ------------------------------------------------------------------ filters
    function nodePasses(n) {
      if (state.unit && n.units.indexOf(state.unit) < 0) return false;
      if (state.sector && n.sector !== state.sector) return false;
      if (state.kind) {
        if (state.kind === "unit") { if (!n.unit) return false; } else if (n.kind !== state.kind) return false;
      }
      if (state.gaps && (!n.gap || n.gap === "changed" || (state.gaps !== "all" && n.gap !== state.gaps))) return false;
      if (state.change) {
        var c = changeOf[n.id];
        if (state.change === "all" && n.change === "same" && n.gap !== "changed") return false;
        if (state.change === "added" && n.change !== "added" && !c.added) return false;
        if (state.change === "removed" && n.change !== "removed" && !c.removed) return false;
        if (state.change === "changed" && n.gap !== "changed") return false;
      }
      if (state.rel && !relOf[n.id][state.rel]) return false;
      return true;
    }
    function edgePasses(e) {
      if (state.rel && e.kind !== state.rel) return false;
      if (state.change === "all" && e.change === "same") return false;
      if ((state.change === "added" || state.change === "removed") && e.change !== state.change) return false;
      return true;
    }
    function shownIds() {
      var out = [];
      recs.forEach(function (n) { if (!hiddenN[n.id]) out.push(n.id); });
      return out;
    }
    function applyFilters(fit) {
      var nu = [], eu = [], shown = 0;
      recs.forEach(function (n) {
        var h = !nodePasses(n);
        if (h !== !!hiddenN[n.id]) { hiddenN[n.id] = h; nu.push({ id: n.id, hidden: h }); }
        if (!h) shown++;
      });
      data.edges.forEach(function (e) {
        var h = !!(hiddenN[e.from] || hiddenN[e.to] || !edgePasses(e));
        if (h !== !!hiddenE[e.id]) { hiddenE[e.id] = h; eu.push({ id: e.id, hidden: h }); }
      });
      if (nu.length) nodes.update(nu);
      if (eu.length) edges.update(eu);
      if (focus) {
        var still = focus.ids.filter(function (id) { return !hiddenN[id]; });
        if (still.length !== focus.ids.length) clearFocus(true);
        else computeFocus(focus.ids);
      }
      syncControls();
      say(shown === recs.length ? shown + " shown" : shown + " of " + recs.length + " shown");
      if (fit) fitShown();
      saveHash();
    }
    // The part of the map area not covered by the details panel or the tour's caption.
    function freeArea() {
      var W = container.clientWidth, H = container.clientHeight, a = { x0: 0, y0: 0, x1: W, y1: H };
      if (!details.hidden && details.offsetWidth && W - details.offsetWidth > 420) a.x0 = details.offsetLeft + details.offsetWidth + 8;
      if (!tourBox.hidden && tourBox.offsetHeight) a.y1 = Math.max(H / 2, tourBox.offsetTop - 8);
      return a;
    }
    // Fit records (all shown ones by default) into the free area, names included.
    function fitTo(ids, maxScale) {
      var bn = bodyNodes(), x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      ids.forEach(function (id) {
        var b = bn[id], n = byId[id];
        if (!b || hiddenN[id]) return;
        var w = isGov ? data.box.width / 2 : n.size * (SHAPE_R[n.shape] || 1);
        var h = isGov ? n.height / 2 : w;
        x0 = Math.min(x0, b.x - w); x1 = Math.max(x1, b.x + w);
        y0 = Math.min(y0, b.y - h); y1 = Math.max(y1, b.y + h);
      });
      if (x0 === Infinity) return;
      var a = freeArea(), W = container.clientWidth, H = container.clientHeight;
      // Room round the records for their names (drawn at a fixed size on screen).
      var padX = isGov ? 16 : 90, padY = isGov ? 16 : 40;
      var fw = Math.max(60, a.x1 - a.x0 - 2 * padX), fh = Math.max(60, a.y1 - a.y0 - 2 * padY);
      var sc = Math.min(fw / Math.max(x1 - x0, 1), fh / Math.max(y1 - y0, 1), maxScale || 1.4);
      var cx = (a.x0 + a.x1) / 2, cy = (a.y0 + a.y1) / 2;
      network.moveTo({
        position: { x: (x0 + x1) / 2 - (cx - W / 2) / sc, y: (y0 + y1) / 2 - (cy - H / 2) / sc },
        scale: sc, animation: false
      });
    }
    function fitShown() {
      if (isGov && shownIds().length === recs.length) {
        // The whole tree with its row names: fit the rows and the gutter on their left.
        var b = govBounds(), a = freeArea(), W = container.clientWidth, H = container.clientHeight;
        var w = b.maxX - b.minX + data.box.gutter, h = b.maxY - b.minY;
        var sc = Math.min((a.x1 - a.x0) / (1.03 * w), (a.y1 - a.y0) / (1.03 * h), 1.4);
        var cx = (a.x0 + a.x1) / 2, cy = (a.y0 + a.y1) / 2;
        network.moveTo({
          position: { x: (b.minX - data.box.gutter + b.maxX) / 2 - (cx - W / 2) / sc, y: (b.minY + b.maxY) / 2 - (cy - H / 2) / sc },
          scale: sc, animation: false
        });
        return;
      }
      fitTo(shownIds());
    }
    function fitFocus() {
      if (focus) fitTo(Object.keys(focus.nodes), 1.3); else fitShown();
    }
    function setFilters(f, fit) {
      ["unit", "sector", "kind", "gaps", "change", "rel"].forEach(function (k) { state[k] = f[k] || ""; });
      applyFilters(fit);
    }
    function clearFilters() { setFilters({}, false); }

    // ------------------------------------------------------------------ focus and details
    function computeFocus(ids) {
      var set = {}, es = [];
      ids.forEach(function (id) { set[id] = true; });
      if (ids.length === 1) {
        Object.keys(neighbours[ids[0]]).forEach(function (m) { if (!hiddenN[m]) set[m] = true; });
        incident[ids[0]].forEach(function (eid) { if (!hiddenE[eid]) es.push(eid); });
      } else {
        ids.forEach(function (id) {
          incident[id].forEach(function (eid) {
            var e = edgeById[eid];
            if (!hiddenE[eid] && set[e.from] && set[e.to] && es.indexOf(eid) < 0) es.push(eid);
          });
        });
      }
      focus = { ids: ids, nodes: set, edges: es };
    }
    function setFocus(ids, opts) {
      opts = opts || {};
      if (typeof ids === "string") ids = [ids];
      ids = ids.filter(function (id) { return byId[id] && !hiddenN[id]; });
      if (!ids.length) { clearFocus(); return; }
      computeFocus(ids);
      state.focus = ids.length === 1 ? ids[0] : "";
      network.selectNodes(ids);
      if (ids.length === 1 && opts.details !== false) showDetails(byId[ids[0]]); else hideDetails();
      if (opts.fit) fitFocus();
      network.redraw();
      saveHash();
    }
    function clearFocus(quiet) {
      focus = null; state.focus = "";
      hideDetails();
      network.unselectAll();
      network.redraw();
      if (!quiet) saveHash();
    }

    var details = $("details");
    function hideDetails() { details.hidden = true; details.textContent = ""; }
    function share(p) {
      if (p >= 99) return "99 in 100";
      if (p >= 90) return "9 in 10";
      if (p >= 75) return "3 in 4";
      if (p >= 50) return "half";
      if (p >= 25) return "1 in 4";
      return "";
    }
    function measureWords(n) {
      var out = [], p = n.pct || [0, 0, 0], s;
      if (n.ties === undefined) return out;
      if (!n.ties) out.push("No ties to anyone in the network.");
      else {
        s = share(p[0]);
        out.push("Tied to " + n.ties + (n.ties === 1 ? " record" : " records") +
          (s ? ": it links more partners than " + s + " of the network." : "; most of the network has as many or more."));
      }
      s = share(p[1]);
      if (n.ties && s && p[1] >= 50) out.push("A bridge: it lies on the paths between others more often than " + s + " of the network.");
      else if (n.ties) out.push("Seldom the only route between others.");
      s = share(p[2]);
      if (n.ties && s && p[2] >= 50) out.push("Close to well-connected records: more so than " + s + " of the network.");
      return out;
    }
    function kindWords(n) {
      var parts = [];
      if (n.unit) parts.push(data.words.Unit);
      else if (n.kind === "partnership" && n.type) parts.push("Partnership (" + n.type + ")");
      else if (n.kind === "board") parts.push("Board" + (n.level ? " (" + n.level + " level)" : ""));
      else parts.push(n.kind ? n.kind.charAt(0).toUpperCase() + n.kind.slice(1) : "Record");
      if (n.role) parts.push(n.role);
      if (n.sector) parts.push(n.sector);
      if (n.scope) parts.push(n.scope);
      return parts.join(" \u00b7 ");
    }
    function gapWords(n) {
      var w = data.words;
      if (n.gap === "isolated") return "Gap: an isolated " + w.focus + " partner, with no ties to anyone in the network.";
      if (n.gap === "peripheral") return "Gap: a peripheral " + w.focus + " partner, with a seat in one partnership or board at most, or no path to a board.";
      if (n.gap === "no reporting line") return "Gap: this " + w.unit + " has no reporting line to a board.";
      if (n.gap === "changed") return "Its ties changed between the two versions.";
      return "";
    }
    function linkTo(id) {
      if (byId[id]) {
        var b = el("button", nameOf(id), "link");
        b.type = "button";
        b.addEventListener("click", function () {
          if (hiddenN[id]) clearFilters();
          setFocus([id], { fit: true });
        });
        return b;
      }
      return el("span", nameOf(id));
    }
    function list(title, ids) {
      if (!ids.length) return;
      details.appendChild(el("h3", title));
      var ul = el("ul");
      ids.forEach(function (id) { var li = el("li"); li.appendChild(linkTo(id)); ul.appendChild(li); });
      details.appendChild(ul);
    }
    function showDetails(n) {
      details.textContent = "";
      var close = el("button", "\u00d7", "close");
      close.type = "button"; close.setAttribute("aria-label", "Close the details");
      close.addEventListener("click", function () { clearFocus(); });
      details.appendChild(close);
      details.appendChild(el("h2", n.label));
      details.appendChild(el("div", kindWords(n), "muted"));
      if (n.change && n.change !== "same") details.appendChild(el("div", n.change === "added" ? "Added in the new version." : "Removed in the new version.", "gap"));
      if (n.gap) details.appendChild(el("div", gapWords(n), "gap"));
      if (n.members !== undefined) {
        details.appendChild(el("div", n.members === 0 ? "No partner is recorded as a member." :
          n.members + (n.members === 1 ? " member" : " members") + ": the partners who sit in it, support it, or sit in a part of it."));
        if (n.unit && !isGov) {
          var b = el("button", "Show only its members", "link");
          b.type = "button";
          b.addEventListener("click", function () { setFilters({ unit: n.id }, true); setFocus([n.id], { fit: false }); });
          details.appendChild(b);
        }
      }
      var forums = n.forums || [];
      list("Member of", forums);
      var above = [], seen = {};
      (n.members !== undefined ? [n.id] : forums).forEach(function (f) {
        (data.above[f] || []).forEach(function (b) { if (!seen[b] && forums.indexOf(b) < 0) { seen[b] = true; above.push(b); } });
      });
      list(n.members !== undefined ? "Reports up to" : "Boards and partnerships above them", above);
      if (n.area || n.population !== undefined) {
        details.appendChild(el("h3", "Area"));
        details.appendChild(el("div", [n.area || "", n.population !== undefined ? "population " + n.population.toLocaleString("en-GB") : ""].filter(Boolean).join(" \u00b7 ")));
      }
      var words = measureWords(n);
      if (words.length) {
        details.appendChild(el("h3", "In the network"));
        words.forEach(function (w) { details.appendChild(el("div", w)); });
      }
      if (n.advice && n.advice.length) {
        details.appendChild(el("h3", "For this partner"));
        var tips = el("ul");
        n.advice.forEach(function (t) { tips.appendChild(el("li", t)); });
        details.appendChild(tips);
      }
      if (n.source) { details.appendChild(el("h3", "Source")); details.appendChild(el("div", n.source, "muted")); }
      details.hidden = false;
      details.scrollTop = 0;
    }

    // ------------------------------------------------------------------ drawing on the canvas
    var RING = { isolated: ["#E3001B", false], peripheral: ["#F77F00", true], changed: ["#111111", false] };
    var SHAPE_R = { dot: 1, square: 1.42, diamond: 1.05, triangle: 1.25, box: 1 };
    var textCache = {};
    function labelOf(ctx, n, strong) {
      var c = textCache[n.id];
      if (c) return c;
      var lines = (n.text || n.label).split("\n");
      ctx.font = strong ? "bold 15px Arial, Helvetica, sans-serif" : "14px Arial, Helvetica, sans-serif";
      var w = 0;
      lines.forEach(function (l) { w = Math.max(w, ctx.measureText(l).width); });
      c = textCache[n.id] = { lines: lines, w: w, h: lines.length * (strong ? 17 : 16), strong: strong };
      return c;
    }
    function bodyNodes() { return network.body.nodes; }
    function drawRings(ctx, only) {
      var s = network.getScale(), bn = bodyNodes();
      recs.forEach(function (n) {
        if (!n.gap || hiddenN[n.id] || !RING[n.gap] || (only && !only[n.id])) return;
        var b = bn[n.id];
        if (!b) return;
        var r = n.size * (SHAPE_R[n.shape] || 1);
        ctx.save();
        ctx.setLineDash([]);
        ctx.beginPath(); ctx.arc(b.x, b.y, r + 3 / s, 0, 2 * Math.PI);
        ctx.lineWidth = 3 / s; ctx.strokeStyle = "#ffffff"; ctx.stroke();
        ctx.beginPath(); ctx.arc(b.x, b.y, r + 6.5 / s, 0, 2 * Math.PI);
        ctx.lineWidth = 4 / s; ctx.strokeStyle = RING[n.gap][0];
        if (RING[n.gap][1]) ctx.setLineDash([7 / s, 4 / s]);
        ctx.stroke();
        ctx.restore();
      });
    }
    function drawLabels(ctx) {
      var view = network.body.view, s = view.scale, tx = view.translation.x, ty = view.translation.y;
      var W = container.clientWidth, H = container.clientHeight, pr = network.canvas.pixelRatio || 1;
      var bn = bodyNodes(), cell = 64, labelsAt = {}, nodesAt = {}, drawn = 0;
      function cells(r, fn) {
        for (var gx = Math.floor(r[0] / cell); gx <= Math.floor(r[2] / cell); gx++)
          for (var gy = Math.floor(r[1] / cell); gy <= Math.floor(r[3] / cell); gy++)
            if (fn(gx + ":" + gy) === false) return false;
        return true;
      }
      function free(grid, r, self) {
        return cells(r, function (k) {
          var rs = grid[k];
          if (!rs) return true;
          for (var i = 0; i < rs.length; i++) {
            var o = rs[i];
            if (o[4] !== self && r[0] < o[2] && r[2] > o[0] && r[1] < o[3] && r[3] > o[1]) return false;
          }
          return true;
        });
      }
      function take(grid, r) { cells(r, function (k) { (grid[k] = grid[k] || []).push(r); }); }
      var list = order;
      if (focus) list = order.filter(function (n) { return focus.nodes[n.id]; });
      // The records on screen, so that minor names do not cover them.
      var where = {};
      for (var q = 0; q < recs.length; q++) {
        var m = recs[q];
        if (hiddenN[m.id] || (focus && !focus.nodes[m.id])) continue;
        var mb = bn[m.id];
        if (!mb) continue;
        var mx = mb.x * s + tx, my = mb.y * s + ty, mr = m.size * (SHAPE_R[m.shape] || 1) * s + 1;
        if (mx < -150 || mx > W + 150 || my < -60 || my > H + 60) continue;
        where[m.id] = [mx, my, mr];
        take(nodesAt, [mx - mr, my - mr, mx + mr, my + mr, m.id]);
      }
      ctx.save();
      ctx.setTransform(pr, 0, 0, pr, 0, 0);
      ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
      for (var i = 0; i < list.length && drawn < 600; i++) {
        var n = list[i], p = where[n.id];
        if (!p) continue;
        var sx = p[0], sy = p[1], rr = p[2];
        var must = n.id === data.focus || (focus && focus.ids.indexOf(n.id) >= 0);
        var major = must || n.rank < 15 || !!n.unit;
        var t = labelOf(ctx, n, major);
        // Below the record, else above, right or left of it: the first place that is free.
        var spots = [
          [sx - t.w / 2 - 3, sy + rr + 2],
          [sx - t.w / 2 - 3, sy - rr - 2 - t.h],
          [sx + rr + 4, sy - t.h / 2],
          [sx - rr - 10 - t.w, sy - t.h / 2]
        ];
        // A place clear of names and records; failing that, a major name may cover a record.
        var spot = null;
        for (var pass = 0; pass < (major ? 2 : 1) && !spot; pass++) {
          for (var k = 0; k < spots.length && !spot; k++) {
            var r = [spots[k][0], spots[k][1], spots[k][0] + t.w + 6, spots[k][1] + t.h, n.id];
            var inside = r[0] >= 2 && r[2] <= W - 2 && r[1] >= 2 && r[3] <= H - 2;
            if (inside && free(labelsAt, r) && (pass === 1 || free(nodesAt, r, n.id))) spot = r;
          }
        }
        if (!spot && must) spot = [spots[0][0], spots[0][1], spots[0][0] + t.w + 6, spots[0][1] + t.h, n.id];
        if (!spot) continue;
        take(labelsAt, spot);
        drawn++;
        ctx.font = t.strong ? "bold 15px Arial, Helvetica, sans-serif" : "14px Arial, Helvetica, sans-serif";
        var cx = (spot[0] + spot[2]) / 2;
        for (var j = 0; j < t.lines.length; j++) {
          var y = spot[1] + j * (t.strong ? 17 : 16);
          ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.95)"; ctx.strokeText(t.lines[j], cx, y);
          ctx.fillStyle = "#111111"; ctx.fillText(t.lines[j], cx, y);
        }
      }
      ctx.restore();
    }
    var bounds = null;
    function govBounds() {
      if (bounds) return bounds;
      var minX = Infinity, maxX = -Infinity;
      recs.forEach(function (n) { minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x); });
      var minY = Infinity, maxY = -Infinity;
      data.rows.forEach(function (r) { minY = Math.min(minY, r.y0); maxY = Math.max(maxY, r.y1); });
      bounds = { minX: minX - data.box.width / 2, maxX: maxX + data.box.width / 2, minY: minY, maxY: maxY };
      return bounds;
    }
    function drawRows(ctx) {
      var b = govBounds(), s = network.getScale(), view = network.body.view;
      data.rows.forEach(function (r, i) {
        if (i % 2 === 0) { ctx.fillStyle = "#eef2f7"; ctx.fillRect(b.minX - data.box.gutter - 40, r.y0, b.maxX - b.minX + data.box.gutter + 80, r.y1 - r.y0); }
      });
      var pr = network.canvas.pixelRatio || 1;
      ctx.save();
      ctx.setTransform(pr, 0, 0, pr, 0, 0);
      ctx.fillStyle = "#3a3a3a"; ctx.textBaseline = "middle"; ctx.textAlign = "left"; ctx.lineJoin = "round";
      data.rows.forEach(function (r) {
        // The row's name stays on screen at the left when the map is panned.
        var x = Math.max(6, (b.minX - data.box.gutter) * s + view.translation.x);
        var y = (r.y0 + r.y1) / 2 * s + view.translation.y - (r.name.length - 1) * 8;
        r.name.forEach(function (line, k) {
          ctx.font = k === 0 ? "bold 16px Arial, Helvetica, sans-serif" : "13px Arial, Helvetica, sans-serif";
          ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(line, x, y + k * 17);
          ctx.fillText(line, x, y + k * 17);
        });
      });
      ctx.restore();
    }
    function drawFocus(ctx) {
      var W = container.clientWidth, H = container.clientHeight;
      var a = network.DOMtoCanvas({ x: -20, y: -20 }), z = network.DOMtoCanvas({ x: W + 20, y: H + 20 });
      ctx.save();
      ctx.fillStyle = "rgba(255,255,255,0.82)";
      ctx.fillRect(a.x, a.y, z.x - a.x, z.y - a.y);
      ctx.restore();
      try {
        // vis-network's own drawing of the highlighted ties and records, on top of the veil.
        var be = network.body.edges, bn = bodyNodes();
        focus.edges.forEach(function (id) { if (be[id]) be[id].draw(ctx); });
        focus.edges.forEach(function (id) { if (be[id]) be[id].drawArrows(ctx); });
        Object.keys(focus.nodes).forEach(function (id) { if (bn[id] && !hiddenN[id]) bn[id].draw(ctx); });
      } catch (err) { /* an older vis-network: the veil alone still shows the focus */ }
    }

    // ------------------------------------------------------------------ the link (URL fragment)
    function saveHash() {
      if (applying) return;
      var parts = ["view=" + encodeURIComponent(data.view)];
      ["unit", "sector", "kind", "gaps", "change", "rel", "focus"].forEach(function (k) {
        if (state[k]) parts.push(k + "=" + encodeURIComponent(state[k]));
      });
      if (tourIdx >= 0) parts.push("step=" + (tourIdx + 1));
      var h = "#" + parts.join("&");
      if (location.hash === h) return;
      try { history.replaceState(null, "", h); } catch (err) { /* some file: pages refuse; the link is then not kept */ }
    }
    function readHash() {
      var q = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i <= 0) return;
        try { q[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (err) { /* ignore a bad part */ }
      });
      return q;
    }
    function applyHash() {
      var q = readHash();
      if (!Object.keys(q).length) return false;
      applying = true;
      try {
        var step = parseInt(q.step, 10);
        if (step >= 1 && step <= data.tour.length) goStep(step - 1);
        else endTour();
        var f = {};
        ["unit", "sector", "kind", "gaps", "change", "rel"].forEach(function (k) { if (q[k]) f[k] = q[k]; });
        if (f.unit && !byId[f.unit]) delete f.unit;
        setFilters(f, true);
        var stepFocus = step >= 1 && step <= data.tour.length && data.tour[step - 1].focus.length;
        if (q.focus && byId[q.focus]) setFocus([q.focus], { fit: true });
        else if (stepFocus) goStepFocus(step - 1);
        else clearFocus(true);
      } finally { applying = false; }
      saveHash();
      return true;
    }

    // ------------------------------------------------------------------ the tour
    var tourBox = $("tour");
    function goStepFocus(i) {
      var s = data.tour[i];
      if (s.focus.length) setFocus(s.focus, { fit: true, details: s.focus.length === 1 });
      else { clearFocus(true); fitShown(); }
    }
    function goStep(i) {
      if (!data.tour.length) return;
      i = Math.max(0, Math.min(data.tour.length - 1, i));
      var s = data.tour[i];
      tourIdx = i;
      tourBox.hidden = false;
      $("tour-caption").textContent = s.caption;
      setFilters({ unit: s.unit, sector: s.sector, kind: s.kind, gaps: s.gaps ? "all" : "" }, false);
      goStepFocus(i);
      $("tour-count").textContent = "Step " + (i + 1) + " of " + data.tour.length;
      $("tour-back").disabled = i === 0;
      $("tour-next").textContent = i === data.tour.length - 1 ? "Finish" : "Next";
      saveHash();
    }
    function endTour() {
      if (tourIdx < 0 && tourBox.hidden) return;
      tourIdx = -1; tourBox.hidden = true; saveHash();
    }

    // ------------------------------------------------------------------ controls
    var status = $("status");
    function say(text) { status.textContent = text; }
    function fillSelect(select, items, value, text) {
      items.forEach(function (it) { var o = el("option", text(it)); o.value = value(it); select.appendChild(o); });
    }
    var legendItems = [];
    function syncControls() {
      $("filter-unit").value = state.unit;
      $("filter-sector").value = state.sector;
      $("filter-kind").value = state.kind;
      $("gaps-only").checked = !!state.gaps;
      $("changes-only").checked = !!state.change;
      legendItems.forEach(function (x) {
        var on = !!x.it.filter && state[x.it.filter] === x.it.value;
        x.li.className = on ? "on" : (x.it.filter ? "" : "static");
        if (x.it.filter) x.li.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    var SVG = "http://www.w3.org/2000/svg";
    function svg(tag, attrs) {
      var e = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      return e;
    }
    function swatch(sw) {
      var box = svg("svg", { width: sw.type === "line" ? 30 : 18, height: 16, "aria-hidden": "true" });
      if (sw.type === "fill") box.appendChild(svg("circle", { cx: 9, cy: 8, r: 6.5, fill: sw.color, stroke: "#333", "stroke-width": 0.6 }));
      else if (sw.type === "ring") box.appendChild(svg("circle", { cx: 9, cy: 8, r: 5.5, fill: "#ffffff", stroke: sw.color, "stroke-width": 3, "stroke-dasharray": sw.dashes ? "3,2" : "none" }));
      else if (sw.type === "line") {
        box.appendChild(svg("line", { x1: 1, y1: 8, x2: sw.arrow ? 22 : 29, y2: 8, stroke: sw.color, "stroke-width": sw.width || 2, "stroke-dasharray": sw.dashes ? "5,3" : "none" }));
        if (sw.arrow) box.appendChild(svg("polygon", { points: "29,8 21,4 21,12", fill: sw.color }));
      } else {
        var f = { fill: sw.color, stroke: "#333", "stroke-width": 0.8 };
        var shapes = {
          dot: ["circle", { cx: 9, cy: 8, r: 6.5 }],
          diamond: ["polygon", { points: "9,1 16,8 9,15 2,8" }],
          square: ["rect", { x: 3, y: 2, width: 12, height: 12 }],
          triangle: ["polygon", { points: "9,1 16,15 2,15" }],
          box: ["rect", { x: 1, y: 3, width: 16, height: 10, rx: 1 }]
        };
        var sh = shapes[sw.shape] || shapes.dot;
        Object.keys(f).forEach(function (k) { sh[1][k] = f[k]; });
        box.appendChild(svg(sh[0], sh[1]));
      }
      return box;
    }
    function legendItem(it) {
      var li = el("li");
      li.appendChild(swatch(it.swatch));
      li.appendChild(el("span", it.label, "t"));
      li.title = it.group ? it.group + ": " + it.label : it.label;
      li.setAttribute("data-filter", it.filter || "");
      li.setAttribute("data-value", it.value || "");
      if (it.filter) {
        li.tabIndex = 0;
        li.setAttribute("role", "button");
        var toggle = function () {
          var f = {};
          ["unit", "sector", "kind", "gaps", "change", "rel"].forEach(function (k) { f[k] = state[k]; });
          f[it.filter] = state[it.filter] === it.value ? "" : it.value;
          setFilters(f, true);
        };
        li.addEventListener("click", toggle);
        li.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(); } });
      }
      legendItems.push({ li: li, it: it });
      return li;
    }
    function buildLegend() {
      var host = $("legend");
      data.legend.forEach(function (sec) {
        if (!sec.items.length) return;
        host.appendChild(el("h2", sec.title));
        if (sec.grouped) {
          // Each hue group together (in two columns), marked by its hue on the left.
          var cols = el("div", undefined, "cols"), ul = null, group = null;
          sec.items.forEach(function (it) {
            if (it.group !== group) {
              group = it.group;
              ul = el("ul", undefined, "grp");
              ul.title = it.group;
              ul.style.borderLeftColor = it.group_color;
              cols.appendChild(ul);
            }
            ul.appendChild(legendItem(it));
          });
          host.appendChild(cols);
          return;
        }
        var list = el("ul", undefined, sec.columns === 2 ? "two" : "");
        sec.items.forEach(function (it) { list.appendChild(legendItem(it)); });
        host.appendChild(list);
      });
    }
    function buildChanges() {
      if (!data.changes.length) return;
      $("changes").hidden = false;
      $("changes-only-label").hidden = false;
      $("changes-title").textContent = "Changes (" + data.changes.length + ")";
      var ol = $("change-list"), shown = 0;
      data.changes.forEach(function (c) {
        if (shown++ >= 400) return;
        var li = el("li", c.text, c.change);
        li.tabIndex = 0;
        li.title = (c.change === "added" ? "Added: " : "Removed: ") + c.text;
        var go = function () {
          if (c.ids.some(function (id) { return hiddenN[id]; })) clearFilters();
          setFocus(c.ids, { fit: true, details: c.ids.length === 1 });
        };
        li.addEventListener("click", go);
        li.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(); });
        ol.appendChild(li);
      });
      if (data.changes.length > 400) ol.appendChild(el("li", "\u2026 and " + (data.changes.length - 400) + " more (see the diff tables)"));
    }

    function find(text) {
      var q = text.trim().toLowerCase();
      if (!q) return null;
      var exact = null, start = null, partial = null;
      for (var i = 0; i < order.length; i++) {
        var n = order[i], l = n.label.toLowerCase();
        if (l === q || n.id.toLowerCase() === q) { exact = n; break; }
        if (!start && l.indexOf(q) === 0) start = n;
        if (!partial && l.indexOf(q) >= 0) partial = n;
      }
      return exact || start || partial;
    }
    function focusOn(text) {
      var n = find(text);
      if (!n) { say("No match for \u201c" + text + "\u201d"); return null; }
      if (hiddenN[n.id]) clearFilters();
      setFocus([n.id], { fit: true });
      say("Found: " + n.label);
      return n.id;
    }
    function reset() {
      endTour();
      $("search").value = "";
      clearFocus(true);
      var moved = Object.keys(dragged);
      if (moved.length) {
        nodes.update(moved.map(function (id) { return { id: id, x: byId[id].x, y: byId[id].y }; }));
        moved.forEach(function (id) { network.moveNode(id, byId[id].x, byId[id].y); });
        dragged = {};
      }
      setFilters({}, true);
      say("Back to the whole map");
    }
    function zoom(f) {
      network.moveTo({ scale: network.getScale() * f, animation: false });
    }

    // A picture of what is on screen at twice the screen's resolution, titled, for slides.
    function saveImage() {
      var canvas = container.querySelector("canvas");
      var c = network.canvas, ratio = c.pixelRatio || 1, r = ratio * 2;
      var w = canvas.clientWidth, h = canvas.clientHeight, band = 40;
      c.pixelRatio = r;
      canvas.width = Math.round(w * r); canvas.height = Math.round(h * r);
      network.renderer._redraw();
      var out = document.createElement("canvas");
      out.width = canvas.width; out.height = canvas.height + Math.round(band * r);
      var o = out.getContext("2d");
      o.fillStyle = "#ffffff"; o.fillRect(0, 0, out.width, out.height);
      o.drawImage(canvas, 0, Math.round(band * r));
      o.scale(r, r);
      o.fillStyle = "#1a1a1a"; o.font = "bold 20px Arial, Helvetica, sans-serif"; o.textBaseline = "middle";
      o.fillText(document.title, 12, band / 2);
      c.pixelRatio = ratio;
      c.setSize();
      network.redraw();
      var name = data.file + ".png";
      function download(href, revoke) {
        var a = document.createElement("a");
        a.download = name; a.href = href; a.style.display = "none";
        document.body.appendChild(a); a.click();
        setTimeout(function () { document.body.removeChild(a); if (revoke) URL.revokeObjectURL(href); }, 1000);
      }
      if (out.toBlob) out.toBlob(function (blob) { download(URL.createObjectURL(blob), true); }, "image/png");
      else download(out.toDataURL("image/png"), false);
      say("Saved " + name);
    }

    var tip = $("tip"), pointer = { x: 0, y: 0 };
    function showTip(id) {
      var n = byId[id];
      if (!n) return;
      tip.textContent = "";
      tip.appendChild(el("b", n.label));
      tip.appendChild(el("div", kindWords(n), "muted"));
      if (n.gap) tip.appendChild(el("div", gapWords(n)));
      tip.hidden = false;
      var W = container.clientWidth;
      tip.style.left = Math.min(pointer.x + 14, W - 310) + "px";
      tip.style.top = (pointer.y + 14) + "px";
    }

    // ------------------------------------------------------------------ start
    function start() {
      nodes = new vis.DataSet(recs.map(visNode));
      edges = new vis.DataSet(data.edges.map(visEdge));
      network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
      if (isGov) network.on("beforeDrawing", drawRows);
      network.on("afterDrawing", function (ctx) {
        if (!isGov) drawRings(ctx, null);
        if (focus) {
          drawFocus(ctx);
          if (!isGov) drawRings(ctx, focus.nodes);
        }
        if (!isGov) drawLabels(ctx);
        if (first) {
          first = false;
          setTimeout(function () { loading.hidden = true; window.lcpMap.ready = true; }, 0);
        }
      });
      network.on("click", function (p) {
        var id = p.nodes && p.nodes.length ? p.nodes[0] : network.getNodeAt(p.pointer.DOM);
        if (id !== undefined && id !== null && byId[id]) setFocus([id], {});
        else clearFocus();
      });
      network.on("dragEnd", function (p) { (p.nodes || []).forEach(function (id) { dragged[id] = true; }); });
      network.on("hoverNode", function (p) { showTip(p.node); });
      network.on("blurNode", function () { tip.hidden = true; });
      network.on("dragStart", function () { tip.hidden = true; });
      container.addEventListener("mousemove", function (ev) {
        var r = container.getBoundingClientRect();
        pointer.x = ev.clientX - r.left; pointer.y = ev.clientY - r.top;
      });

      $("summary").textContent = data.summary;
      $("filter-unit-label").textContent = data.words.Unit;
      fillSelect($("filter-unit"), data.units, function (x) { return x.id; }, function (x) { return x.name; });
      fillSelect($("filter-sector"), data.sectors, String, String);
      var kinds = data.kinds.slice();
      if (data.units.length) kinds.splice(kinds.indexOf("partnership") + 1, 0, "unit");
      fillSelect($("filter-kind"), kinds, String, function (k) { return k === "unit" ? data.words.Unit : k; });
      ["unit", "sector", "kind"].forEach(function (k) {
        $("filter-" + k).addEventListener("change", function (ev) {
          var f = {};
          ["unit", "sector", "kind", "gaps", "change", "rel"].forEach(function (x) { f[x] = state[x]; });
          f[k] = ev.target.value;
          setFilters(f, true);
        });
      });
      $("gaps-only").addEventListener("change", function (ev) { state.gaps = ev.target.checked ? "all" : ""; applyFilters(true); });
      $("changes-only").addEventListener("change", function (ev) { state.change = ev.target.checked ? "all" : ""; applyFilters(true); });
      if (!recs.some(function (n) { return n.gap && n.gap !== "changed"; })) $("gaps-only").parentNode.hidden = true;
      buildLegend();
      buildChanges();
      var names = $("names"), seenName = {};
      order.forEach(function (n) {
        if (seenName[n.label]) return;
        seenName[n.label] = true;
        var o = document.createElement("option"); o.value = n.label; names.appendChild(o);
      });
      var search = $("search");
      search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); focusOn(search.value); } });
      search.addEventListener("change", function () { if (search.value) focusOn(search.value); });
      $("fit").addEventListener("click", fitFocus);
      $("zoom-in").addEventListener("click", function () { zoom(1.3); });
      $("zoom-out").addEventListener("click", function () { zoom(1 / 1.3); });
      $("reset").addEventListener("click", reset);
      $("save").addEventListener("click", saveImage);
      if (data.tour.length) {
        $("tour-start").hidden = false;
        $("tour-start").addEventListener("click", function () { goStep(0); });
      }
      $("tour-next").addEventListener("click", function () { if (tourIdx >= data.tour.length - 1) endTour(); else goStep(tourIdx + 1); });
      $("tour-back").addEventListener("click", function () { goStep(tourIdx - 1); });
      $("tour-close").addEventListener("click", endTour);
      document.addEventListener("keydown", function (ev) {
        var t = ev.target, typing = t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName);
        if (ev.key === "Escape") {
          if (document.activeElement === search) { search.value = ""; search.blur(); }
          tip.hidden = true;
          if (focus || !details.hidden) clearFocus();
          else if (tourIdx >= 0) endTour();
          say("");
        } else if (ev.key === "/" && !typing) {
          ev.preventDefault(); search.focus(); search.select();
        } else if (tourIdx >= 0 && !typing && (ev.key === "ArrowRight" || ev.key === "PageDown")) {
          ev.preventDefault(); if (tourIdx < data.tour.length - 1) goStep(tourIdx + 1);
        } else if (tourIdx >= 0 && !typing && (ev.key === "ArrowLeft" || ev.key === "PageUp")) {
          ev.preventDefault(); goStep(tourIdx - 1);
        }
      });
      window.addEventListener("hashchange", function () { applyHash(); });

      window.lcpMap = {
        network: network, nodes: nodes, edges: edges, data: data, state: state, ready: false,
        focusOn: focusOn, setFocus: setFocus, clearFocus: clearFocus, setFilters: setFilters, reset: reset,
        goStep: goStep, saveImage: saveImage, shown: shownIds,
        focused: function () { return focus ? focus.ids.slice() : []; },
        step: function () { return tourIdx; }
      };
      if (!applyHash()) { applyFilters(false); fitShown(); }
      network.redraw();
    }
    start();
  }
  if (window.requestAnimationFrame) window.requestAnimationFrame(function () { setTimeout(main, 0); });
  else setTimeout(main, 0);
})();
