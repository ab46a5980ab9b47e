// The cmr-monitor dashboard. Reads /api/health, /api/stats and /api/diagnostics once, then follows /api/events
// (server-sent "update" events, one per collection interval). Every name that comes from the server (component,
// check, hook, tracked block, alert rule, device, resource gauge) is put into the page as text (textContent),
// never parsed as HTML.
(function () {
  'use strict';
  var MAX_POINTS = 300;
  var STAGES = ['forward', 'layer', 'capture', 'reconstruction', 'retrieval', 'sync_wait', 'device'];
  var COLORS = ['#4c7be0', '#e0884c', '#47b07a', '#b04cc0', '#c73636', '#8a6d3b', '#2aa6b8', '#555'];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function num(v, digits) { return (v === null || v === undefined || isNaN(v)) ? '-' : Number(v).toFixed(digits); }

  // ---- charts: one ring of points per chart, x in epoch seconds ----
  function Chart(id, seriesNames, unit) {
    this.names = seriesNames;
    this.data = [[]].concat(seriesNames.map(function () { return []; }));
    var series = [{}].concat(seriesNames.map(function (n, i) {
      return { label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true };
    }));
    var target = document.getElementById(id);
    this.plot = new uPlot({ width: Math.max(target.clientWidth, 560), height: 200, series: series,
      scales: { x: { time: true } }, axes: [{}, { label: unit, size: 60 }] }, this.data, target);
  }
  Chart.prototype.push = function (t, values) {
    this.data[0].push(t);
    for (var i = 0; i < this.names.length; i++) {
      var v = values[i];
      this.data[i + 1].push(v === undefined || v === null || isNaN(v) ? null : v);
    }
    if (this.data[0].length > MAX_POINTS) { this.data.forEach(function (s) { s.shift(); }); }
    this.plot.setData(this.data);
  };

  var latencyNames = [];
  STAGES.forEach(function (s) { latencyNames.push(s + ' p50'); latencyNames.push(s + ' p99'); });
  var charts = {
    latency: new Chart('chart-latency', latencyNames, 'ms'),
    errors: new Chart('chart-errors', ['error rate'], 'ratio'),
    cpu: new Chart('chart-cpu', ['process (% of a core)', 'system'], '%'),
    memory: new Chart('chart-memory', ['process RSS', 'JVM heap used'], 'MiB'),
    gpu: new Chart('chart-gpu', ['GPU utilization', 'GPU memory utilization'], '%')
  };

  // ---- health ----
  function showHealth(h) {
    if (!h) { return; }
    var overall = document.getElementById('overall-status');
    overall.textContent = h.status;
    overall.setAttribute('data-status', h.status);
    overall.setAttribute('data-health', h.health);
    document.getElementById('overall-score').textContent = h.score === null ? 'no score' : 'score ' + h.score;
    var box = document.getElementById('components');
    clear(box);
    Object.keys(h.components || {}).forEach(function (name) {
      var c = h.components[name];
      var card = el('div', null, 'component');
      card.setAttribute('data-component', name);
      card.appendChild(el('span', name, 'name'));
      var s = el('span', c.status, 'status');
      s.setAttribute('data-status', c.status);
      card.appendChild(s);
      var d = c.details || {};
      var decided = d.decided_by;
      var line = decided ? 'decided by ' + decided : 'no data';
      if (decided && d.checks && d.checks[decided]) {
        line += ' = ' + num(d.checks[decided].value, 4);
      }
      card.appendChild(el('div', line + (d.score === null || d.score === undefined ? '' : ' (score ' + d.score + ')'),
        'decided'));
      box.appendChild(card);
    });
  }

  // ---- stats: counts, per-layer bars, tracked blocks ----
  function perLayerMeans(stats, key) {
    var t = stats.timing && stats.timing[key + '_times'];
    var out = {};
    if (t && t.per_layer) {
      Object.keys(t.per_layer).forEach(function (layer) { out[layer] = t.per_layer[layer].avg * 1e3; });
    }
    return out;
  }
  function showStats(stats) {
    if (!stats) { return; }
    var timing = stats.timing || {};
    document.getElementById('count-forwards').textContent = timing.total_forwards || 0;
    document.getElementById('count-captures').textContent = stats.total_captures || 0;
    document.getElementById('count-reconstructions').textContent = stats.total_reconstructions || 0;
    document.getElementById('count-errors').textContent = (stats.errors && stats.errors.total_errors) || 0;

    var host = perLayerMeans(stats, 'layer'), sync = perLayerMeans(stats, 'sync_wait'),
        device = perLayerMeans(stats, 'device');
    var layers = Object.keys(Object.assign({}, host, sync, device)).sort(function (a, b) { return a - b; });
    var max = 0;
    layers.forEach(function (l) { max = Math.max(max, host[l] || 0, (sync[l] || 0), (device[l] || 0)); });
    var box = document.getElementById('layers');
    clear(box);
    layers.forEach(function (l) {
      var row = el('div', null, 'layer');
      row.setAttribute('data-layer', l);
      row.appendChild(el('span', 'layer ' + l, 'label'));
      [['host', host[l]], ['sync', sync[l]], ['device', device[l]]].forEach(function (p) {
        var bar = el('span', null, 'bar ' + p[0]);
        bar.style.width = (max > 0 ? Math.max(1, 300 * (p[1] || 0) / max) : 1) + 'px';
        bar.title = p[0] + ' ' + num(p[1], 3) + ' ms';
        row.appendChild(bar);
      });
      row.appendChild(el('span', ' ' + num(host[l], 3) + ' / ' + num(sync[l], 3) + ' / ' + num(device[l], 3),
        'muted'));
      box.appendChild(row);
    });

    var tbody = document.querySelector('#tracked tbody');
    clear(tbody);
    Object.keys(stats.tracked_blocks || {}).forEach(function (name) {
      var t = stats.tracked_blocks[name];
      var tr = el('tr');
      tr.appendChild(el('td', name, 'tracked-name'));
      tr.appendChild(el('td', t.count));
      tr.appendChild(el('td', num(t.p99 * 1e3, 3)));
      tbody.appendChild(tr);
    });
  }

  function showAlerts(alerts) {
    var list = document.getElementById('alerts');
    clear(list);
    if (!alerts || alerts.length === 0) { list.appendChild(el('li', 'none', 'muted')); return; }
    alerts.forEach(function (a) {
      var li = el('li', a.rule + ' (' + a.state + ', ' + a.severity + '): ' + a.metric + ' = ' + num(a.value, 4)
        + ' vs ' + a.threshold, a.severity);
      list.appendChild(li);
    });
  }

  function showHooks(diagnostics) {
    var tbody = document.querySelector('#hooks tbody');
    clear(tbody);
    var hooks = (diagnostics && diagnostics.hook_analysis && diagnostics.hook_analysis.hooks) || [];
    hooks.forEach(function (h) {
      var tr = el('tr');
      tr.appendChild(el('td', h.name, 'hook-name'));
      tr.appendChild(el('td', h.kind));
      tr.appendChild(el('td', h.calls));
      tr.appendChild(el('td', h.errors));
      tbody.appendChild(tr);
    });
  }

  // ---- live points ----
  function firstResource(resources, suffix) {
    var keys = Object.keys(resources || {}).filter(function (k) { return k.endsWith('.' + suffix); }).sort();
    return keys.length ? resources[keys[0]] : null;
  }
  function pushPoints(update) {
    var t = Date.now() / 1e3;
    var live = update.live || {}, stages = live.stages || {};
    var lat = [];
    STAGES.forEach(function (s) {
      var r = stages[s];
      var has = r && r.count > 0;
      lat.push(has ? r.p50_upper_bound * 1e3 : null);
      lat.push(has ? r.p99_upper_bound * 1e3 : null);
    });
    charts.latency.push(t, lat);
    charts.errors.push(t, [live.error_rate === null || live.error_rate === undefined ? 0 : live.error_rate]);
    document.getElementById('error-rate').textContent = num(live.error_rate, 4);
    document.getElementById('rate-forwards').textContent =
      num(live.throughput && live.throughput.forwards_per_second, 1);
    var res = (update.stats && update.stats.resources) || {};
    charts.cpu.push(t, [firstResource(res, 'process_cpu_core_percent'), firstResource(res, 'system_cpu_percent')]);
    var mib = function (v) { return v === null ? null : v / 1048576; };
    charts.memory.push(t, [mib(firstResource(res, 'process_rss_bytes')), mib(firstResource(res, 'jvm_heap_used_bytes'))]);
    charts.gpu.push(t, [firstResource(res, 'gpu_utilization_percent'),
      firstResource(res, 'gpu_memory_utilization_percent')]);
    state.points++;
  }

  var state = { points: 0, updates: 0 };
  window.cmrDashboard = state;

  function getJson(path) {
    return fetch(path, { headers: { Accept: 'application/json' } }).then(function (r) { return r.json(); });
  }
  getJson('/api/health').then(showHealth);
  getJson('/api/stats').then(showStats);
  function refreshHooks() { getJson('/api/diagnostics').then(showHooks).catch(function () {}); }
  refreshHooks();
  setInterval(refreshHooks, 5000);

  var source = new EventSource('/api/events');
  var connection = document.getElementById('connection');
  source.addEventListener('open', function () { connection.textContent = 'live'; });
  source.addEventListener('error', function () { connection.textContent = 'reconnecting'; });
  source.addEventListener('update', function (e) {
    var update = JSON.parse(e.data);
    state.updates++;
    showHealth(update.health);
    showStats(update.stats);
    showAlerts(update.alerts);
    pushPoints(update);
  });
})();
