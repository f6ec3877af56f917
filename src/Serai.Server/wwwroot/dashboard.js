// Serai dashboard: live updates (server-sent events, polling as the fallback), uPlot charts, and the job log follow.
// Served from this host only; the page's CSP forbids inline script, so all behaviour lives here.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var pollTimer = null;

  function tick() { document.body.dispatchEvent(new CustomEvent("serai:tick")); }
  function say(text) { if (status) { status.textContent = text; } }
  function startPolling() {
    if (pollTimer === null) { pollTimer = setInterval(tick, 5000); say("live (polling)"); }
  }
  function stopPolling() { if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; } }

  if (status) {
    if (window.EventSource) {
      var source = new EventSource("/events");
      source.addEventListener("open", function () { stopPolling(); say("live"); });
      source.addEventListener("tick", function () { tick(); });
      source.addEventListener("error", function () { startPolling(); });
    } else {
      startPolling();
    }
  }

  // ---- charts ----
  var KINDS = { throttle: "#b26200", preempt: "#b3261e", defer: "#6a3fb5" };
  var charts = [];

  function eventMarks(events) {
    return function (u) {
      var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
      ctx.save();
      ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
      events.forEach(function (e) {
        var x = u.valToPos(e.atUnix, "x", true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) { return; }
        ctx.strokeStyle = KINDS[e.kind] || "#4a5260";
        ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
      });
      ctx.restore();
    };
  }

  function options(kind, width, events) {
    var base = { width: width, height: 260, cursor: { drag: { x: true, y: false } }, scales: { x: { time: true } } };
    if (kind === "power") {
      // limits change in steps (a cap is set, an hour turns): drawn as steps, not slopes
      var step = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
      base.series = [{}, { label: "IT power kW", stroke: "#0b57d0", width: 2, fill: "rgba(11,87,208,0.08)" },
        { label: "IT cap kW", stroke: "#b3261e", width: 2, dash: [6, 4], paths: step },
        { label: "cooling at outdoor T kW", stroke: "#00838f", width: 1.5, dash: [2, 3], paths: step },
        { label: "grid ÷ PUE kW", stroke: "#6a3fb5", width: 1.5, dash: [8, 3, 2, 3], paths: step }];
      base.axes = [{}, { label: "kW" }];
      base.hooks = { draw: [eventMarks(events)] };
    } else if (kind === "cooling") {
      base.scales.c = {};
      base.series = [{}, { label: "PUE", stroke: "#0b57d0", width: 2 }, { label: "outdoor °C", stroke: "#b26200", width: 1.5, scale: "c" }];
      base.axes = [{}, { label: "PUE" }, { side: 1, scale: "c", label: "°C", grid: { show: false } }];
    } else {
      base.scales.p = {};
      base.series = [{}, { label: "carbon g/kWh (modelled)", stroke: "#1e7a34", width: 2 }, { label: "price $/kWh (modelled)", stroke: "#ad1457", width: 1.5, scale: "p" }];
      base.axes = [{}, { label: "g/kWh" }, { side: 1, scale: "p", label: "$/kWh", grid: { show: false } }];
    }
    return base;
  }

  function columns(kind, samples) {
    var t = samples.map(function (s) { return s.atUnix; });
    function col(f) { return samples.map(f); }
    if (kind === "power") {
      return [t, col(function (s) { return s.itWatts / 1000; }), col(function (s) { return s.itCapWatts / 1000; }),
        col(function (s) { return s.coolingLimitWatts / 1000; }), col(function (s) { return s.gridItLimitWatts / 1000; })];
    }
    if (kind === "cooling") { return [t, col(function (s) { return s.pue; }), col(function (s) { return s.outdoorC; })]; }
    return [t, col(function (s) { return s.carbonGPerKwh; }), col(function (s) { return s.priceUsdPerKwh; })];
  }

  function draw(el) {
    var kind = el.dataset.chart, hours = parseInt(el.dataset.hours || "6", 10);
    var now = Math.floor(Date.now() / 1000);
    var url = "/api/v1/sites/" + encodeURIComponent(el.dataset.site) + "/series?from=" + (now - hours * 3600) + "&to=" + (now + 60);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("series: HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        var width = Math.max(280, el.clientWidth || 600);
        if (el._plot) { el._plot.destroy(); }
        el.textContent = "";
        el._plot = new uPlot(options(kind, width, data.events), columns(kind, data.samples), el);
        var caps = {};
        data.samples.forEach(function (s) { caps[s.itCapWatts] = true; });
        el.dataset.points = String(data.samples.length);
        el.dataset.events = String(data.events.length);
        el.dataset.caps = Object.keys(caps).join(" ");
        el.dataset.drawn = "true";
      })
      .catch(function (e) { el.textContent = "Chart unavailable: " + e.message; });
  }

  document.querySelectorAll(".chart[data-chart]").forEach(function (el) { charts.push(el); draw(el); });
  if (charts.length > 0) {
    var lastDraw = Date.now();
    document.body.addEventListener("serai:tick", function () {
      if (Date.now() - lastDraw >= 10000) { lastDraw = Date.now(); charts.forEach(draw); }
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { charts.forEach(function (el) { if (el._plot) { el._plot.setSize({ width: Math.max(280, el.clientWidth), height: 260 }); } }); }, 200);
    });
  }

  // ---- job log with follow: appends new bytes; scrolls only while the reader is at the bottom ----
  var log = document.getElementById("log");
  if (log) {
    var follow = document.getElementById("log-follow");
    var streamSelect = document.getElementById("log-stream");
    var offset = 0, busy = false, stopped = false;
    function atBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 8; }
    log.addEventListener("scroll", function () { follow.checked = atBottom(); });
    follow.addEventListener("change", function () { if (follow.checked) { log.scrollTop = log.scrollHeight; } });
    streamSelect.addEventListener("change", function () { offset = 0; log.textContent = ""; stopped = false; poll(); });
    function poll() {
      if (busy || stopped) { return; }
      busy = true;
      var url = "/api/v1/jobs/" + log.dataset.job + "/logs?stream=" + streamSelect.value + "&offset=" + offset;
      fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 404) { stopped = true; return ""; }
          if (!r.ok) { return ""; }
          var next = r.headers.get("X-Next-Offset");
          if (next !== null) { offset = parseInt(next, 10); }
          return r.text();
        })
        .then(function (text) {
          if (text) {
            var stick = follow.checked && atBottom();
            log.appendChild(document.createTextNode(text));
            if (stick) { log.scrollTop = log.scrollHeight; }
          }
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { busy = false; });
    }
    poll();
    setInterval(poll, 2000);
  }
})();
