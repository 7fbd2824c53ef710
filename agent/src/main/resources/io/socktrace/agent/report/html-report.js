// socktrace's HTML report. Builds the page from the JSON block with textContent and SVG attributes only: every
// name in the data (hosts, threads, classes, files) stays text. No eval, no network, no library.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var CAUSES = [
    ['readTimeout', 'read timeout'], ['endOfStream', 'peer closed (end of stream)'], ['reset', 'reset'],
    ['ioError', 'I/O error'], ['noError', 'closed with no error'], ['collected', 'garbage collected']];
  var CAUSE_NAMES = {};
  CAUSES.forEach(function (c) { CAUSE_NAMES[c[0]] = c[1]; });
  // connections still open when the report was taken, by whether they opened while recording or before it
  var STATES = [['stillOpen', 'still open'], ['openedBefore', 'opened before recording, still open']];
  STATES.forEach(function (c) { CAUSE_NAMES[c[0]] = c[1]; });
  var LANE_HEIGHT = 22;
  var data = JSON.parse(document.getElementById('socktrace-data').textContent);
  var root = document.getElementById('report');
  var stacks = {};
  data.stacks.forEach(function (s) { stacks[s.id] = s; });
  var byLane = data.endpoints.map(function () { return []; });
  data.cycles.forEach(function (entry) { byLane[entry.lane].push(entry.c); });
  var openByLane = data.endpoints.map(function () { return []; });
  data.open.forEach(function (entry) { openByLane[entry.lane].push(entry.o); });
  var t0 = data.startedAtMicros;
  data.cycles.forEach(function (entry) { t0 = Math.min(t0, openOf(entry.c)); });
  data.open.forEach(function (entry) { if (entry.o.openedAtMicros !== null) { t0 = Math.min(t0, entry.o.openedAtMicros); } });
  var t1 = Math.max(data.takenAtMicros, t0 + 1);
  var view = { from: t0, to: t1 };
  var hidden = {};
  var onlyLane = -1;
  var selected = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    return e;
  }
  function openOf(c) { return c.openedAtMicros !== null ? c.openedAtMicros : c.firstSeenAtMicros; }
  // a connection still open: from its open, or (opened before recording, open time unknown) from the axis's start
  function stateOf(o) { return o.openedBeforeRecording ? 'openedBefore' : 'stillOpen'; }
  function startOf(o) { return o.openedAtMicros !== null ? o.openedAtMicros : t0; }
  function pad(n, w) { var s = String(n); while (s.length < w) { s = '0' + s; } return s; }
  function time(us) {
    if (!us) { return '-'; }
    var iso = new Date(Math.floor(us / 1000)).toISOString();
    return iso.substring(0, 10) + ' ' + iso.substring(11, 23) + pad(us % 1000, 3) + ' UTC';
  }
  function duration(us) {
    if (us === null || us === undefined || us < 0) { return '-'; }
    if (us < 1000) { return us + ' us'; }
    if (us < 1000000) { return (us / 1000).toFixed(1) + ' ms'; }
    return (us / 1000000).toFixed(3) + ' s';
  }
  function frame(f) { return f['class'] + '.' + f.method + '(' + (f.file || 'Unknown Source') + (f.line > 0 ? ':' + f.line : '') + ')'; }

  // header: process, JVM, span, totals, agent health, and what this file leaves out
  var header = el('header');
  header.appendChild(el('h1', null, 'socktrace report (' + data.trigger + ')  pid ' + data.process.pid + '  ' + data.process.jvm));
  header.appendChild(el('div', null, 'recorded ' + time(data.startedAtMicros) + ' .. ' + time(data.takenAtMicros)
      + ' (' + duration(data.takenAtMicros - data.startedAtMicros) + '); all times are UTC, to the microsecond'));
  var t = data.totals;
  header.appendChild(el('div', null, 'connections: ' + t.opened + ' opened, ' + t.accepted + ' accepted, '
      + t.openedBeforeRecording + ' open since before recording, ' + t.failedConnects + ' failed to connect, '
      + t.closed + ' closed, ' + t.open + ' open   reconnects: ' + t.reconnects));
  var health = 'agent: ' + data.agent.errors + ' internal errors' + (data.agent.lastError ? ' (last: ' + data.agent.lastError + ')' : '');
  var unavailable = Object.keys(data.agent.unavailable);
  if (unavailable.length) { health += '; not reached: ' + unavailable.join(', '); }
  var d = data.dropped;
  health += '; dropped: ' + d.stacks + ' stacks, ' + d.untrackedConnections + ' untracked connections, '
      + d.traceEvents + ' trace events; ' + d.stacksNotSampled + ' stacks not sampled';
  header.appendChild(el('div', data.agent.errors ? 'warn' : 'muted', health));
  var lo = data.leftOut;
  var left = [];
  if (lo.endpoints) { left.push(lo.endpoints + ' endpoints'); }
  if (lo.cycles) { left.push(lo.cycles + ' connections'); }
  if (lo.stacks) { left.push(lo.stacks + ' stacks'); }
  if (lo.openConnections) { left.push(lo.openConnections + ' open connections'); }
  var leftText = left.length ? 'left out of this file to keep it under ' + lo.maxBytes + ' bytes of data: ' + left.join(', ') + '. '
      : 'nothing the recorder kept was left out of this file. ';
  leftText += lo.cyclesNotKept ? lo.cyclesNotKept + ' earlier closed connections were not kept by the recorder (cycles='
      + data.limits.cycles + ' per endpoint; cycles=N keeps more). ' : '';
  var openOmitted = data.endpoints.reduce(function (n, e) { return n + e.openConnectionsOmitted; }, 0);
  leftText += 'Connections still open at the report\'s time are drawn up to it'
      + (openOmitted ? '; ' + openOmitted + ' more open were not kept in full (at most ' + data.limits.openConnectionsPerEndpoint
        + ' per endpoint, ' + data.limits.openConnectionsInAll + ' in all), counted per lane.' : '.');
  header.appendChild(el('div', left.length || lo.cyclesNotKept || openOmitted ? 'warn' : 'muted', leftText)).id = 'left-out';
  root.appendChild(header);

  // controls: zoom, endpoint filter, cause filter
  var controls = el('div', 'controls');
  var zoomOut = el('button', null, 'zoom out');
  zoomOut.id = 'zoom-out';
  zoomOut.type = 'button';
  zoomOut.addEventListener('click', function () { view = { from: t0, to: t1 }; draw(); });
  controls.appendChild(zoomOut);
  controls.appendChild(el('span', 'muted', 'drag across a lane to zoom'));
  var select = el('select');
  select.id = 'endpoint-filter';
  var all = el('option', null, 'all endpoints');
  all.value = '-1';
  select.appendChild(all);
  data.endpoints.forEach(function (e, i) {
    var o = el('option', null, e.endpoint + (e.accepted ? ' (accepted)' : ''));
    o.value = String(i);
    select.appendChild(o);
  });
  select.addEventListener('change', function () { onlyLane = parseInt(select.value, 10); draw(); });
  controls.appendChild(select);
  CAUSES.concat(STATES).forEach(function (c) {
    var label = el('label');
    var box = el('input', 'cause-filter');
    box.type = 'checkbox';
    box.checked = true;
    box.value = c[0];
    box.addEventListener('change', function () { hidden[c[0]] = !box.checked; draw(); });
    label.appendChild(box);
    label.appendChild(el('span', 'swatch c-' + c[0]));
    label.appendChild(document.createTextNode(c[1]));
    controls.appendChild(label);
  });
  root.appendChild(controls);
  var legend = el('div', 'legend');
  legend.id = 'legend';
  [['before', 'opened before recording: a still open bar runs from the axis\'s start (open time unknown), a closed one is marked at its start'],
    ['stillOpen', 'still open: the bar runs to the report\'s time']].forEach(function (x) {
    var item = el('span');
    item.appendChild(el('span', 'swatch c-' + x[0]));
    item.appendChild(document.createTextNode(x[1]));
    legend.appendChild(item);
  });
  legend.appendChild(el('span', null, '| tick: the timeout, end of stream or error (on bars wide enough); on a bar opened before recording, when it was first seen'));
  legend.appendChild(el('span', null, '▾ last write, when a request was in flight'));
  legend.appendChild(el('span', null, 'bars too close to tell apart are drawn as density, counts exact'));
  root.appendChild(legend);
  var axis = el('div');
  root.appendChild(axis);
  var lanes = el('div');
  lanes.id = 'lanes';
  root.appendChild(lanes);
  var detail = el('div');
  detail.id = 'detail';
  root.appendChild(detail);

  function width() { return Math.max(300, lanes.clientWidth || root.clientWidth || 900); }
  function x(us, w) { return (us - view.from) / (view.to - view.from) * w; }

  function drawAxis(w) {
    axis.textContent = '';
    var s = svg('svg', { 'class': 'axis', height: 18, viewBox: '0 0 ' + w + ' 18' });
    for (var i = 0; i <= 5; i++) {
      var us = view.from + (view.to - view.from) * i / 5;
      var px = i * w / 5;
      s.appendChild(svg('line', { x1: px, x2: px, y1: 12, y2: 18 }));
      var label = svg('text', { x: Math.min(Math.max(px, 2), w - 2), y: 10, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' });
      label.textContent = '+' + duration(Math.round(us - t0));
      s.appendChild(label);
    }
    axis.appendChild(s);
    axis.title = 'time since ' + time(t0);
  }

  function visible(c) {
    return !hidden[c.cause] && c.closedAtMicros >= view.from && openOf(c) <= view.to;
  }
  function visibleOpen(o) {
    return !hidden[stateOf(o)] && data.takenAtMicros >= view.from && startOf(o) <= view.to;
  }

  function drawLane(i, w) {
    var e = data.endpoints[i];
    var cycles = byLane[i].filter(visible);
    var open = openByLane[i].filter(visibleOpen);
    var lane = el('section', 'lane');
    lane.dataset.endpoint = e.endpoint;
    lane.dataset.accepted = String(e.accepted);
    lane.dataset.bars = String(cycles.length);
    lane.dataset.openBars = String(open.length);
    lane.appendChild(el('div', 'lane-title', e.endpoint + (e.accepted ? ' (accepted)' : '') + '   reconnects ' + e.reconnects
        + '  opened ' + e.opened + (e.openedBeforeRecording ? ' (+' + e.openedBeforeRecording + ' before recording)' : '')
        + '  closed ' + e.closed + '  open ' + e.open + (e.failedConnects ? '  failed ' + e.failedConnects : '')));
    lane.appendChild(el('div', 'verdict', 'verdict: ' + e.verdict));
    var note = cycles.length + ' of ' + e.cyclesKept + ' kept connections in view';
    if (e.cyclesDropped) { note += '; ' + e.cyclesDropped + ' earlier not kept'; }
    if (e.open) {
      note += '; ' + open.length + ' of ' + e.openConnectionsKept + ' kept still open in view';
      if (e.openConnectionsOmitted) { note += ', ' + e.openConnectionsOmitted + ' more open not kept in full'; }
    }
    var s = svg('svg', { height: LANE_HEIGHT, viewBox: '0 0 ' + w + ' ' + LANE_HEIGHT });
    s.appendChild(svg('rect', { x: 0, y: 0, width: w, height: LANE_HEIGHT, fill: 'transparent', 'class': 'lane-bg' }));
    var density = cycles.length + open.length > w / 4;
    lane.dataset.mode = density ? 'density' : 'bars';
    if (density) {
      note += ' (drawn as density: too many to tell apart at this zoom)';
      drawDensity(s, cycles.map(function (c) { return [openOf(c), c.closedAtMicros]; })
          .concat(open.map(function (o) { return [startOf(o), data.takenAtMicros]; })), w);
    } else {
      cycles.forEach(function (c) { drawBar(s, e, c, w); });
      open.forEach(function (o) { drawOpenBar(s, e, o, w); });
    }
    lane.appendChild(el('div', 'muted', note));
    lane.appendChild(s);
    brush(s, w);
    lanes.appendChild(lane);
  }

  function drawBar(s, e, c, w) {
    var from = Math.max(0, x(openOf(c), w));
    var to = Math.min(w, x(c.closedAtMicros, w));
    // a bar wide enough keeps a pixel free at its end, so back-to-back connections stay apart
    var wide = to - from > 6;
    var bar = svg('rect', { x: from, y: 4, width: Math.max(1.5, wide ? to - from - 1 : to - from), height: LANE_HEIGHT - 8, 'class': 'bar c-' + c.cause });
    bar.dataset.id = String(c.id);
    bar.dataset.port = String(c.localPort);
    bar.dataset.cause = c.cause;
    var title = svg('title', {});
    title.textContent = ':' + c.localPort + '  ' + CAUSE_NAMES[c.cause] + '  ' + duration(c.closedAtMicros - openOf(c));
    bar.appendChild(title);
    var show = function () { showCycle(e, c, bar); };
    bar.addEventListener('mouseenter', show);
    bar.addEventListener('click', show);
    s.appendChild(bar);
    if (c.openedBeforeRecording) {
      s.appendChild(svg('rect', { x: from, y: 4, width: 3, height: LANE_HEIGHT - 8, 'class': 'c-before' }));
    }
    // marks only where the bar is wide enough to show them beside its colour (the details always have the times)
    if (wide && c.causeAtMicros && c.cause !== 'noError' && c.cause !== 'collected') {
      var cx = x(c.causeAtMicros, w);
      if (cx >= 0 && cx <= w) { s.appendChild(svg('line', { x1: cx, x2: cx, y1: 1, y2: LANE_HEIGHT - 1, 'class': 'mark' })); }
    }
    if (wide && c.requestInFlight && c.lastWriteAtMicros) {
      var wx = x(c.lastWriteAtMicros, w);
      if (wx >= 0 && wx <= w) {
        s.appendChild(svg('path', { d: 'M' + (wx - 3) + ' 0 L' + (wx + 3) + ' 0 L' + wx + ' 5 Z', 'class': 'mark-write' }));
      }
    }
  }

  // a connection still open: to the report's time, in its state's colour; hover shows what is known so far
  function drawOpenBar(s, e, o, w) {
    var from = Math.max(0, x(startOf(o), w));
    var to = Math.min(w, x(data.takenAtMicros, w));
    var bar = svg('rect', { x: from, y: 4, width: Math.max(1.5, to - from), height: LANE_HEIGHT - 8, 'class': 'bar-open c-' + stateOf(o) });
    bar.dataset.id = String(o.id);
    bar.dataset.port = String(o.localPort);
    bar.dataset.state = stateOf(o);
    var title = svg('title', {});
    title.textContent = ':' + o.localPort + '  ' + CAUSE_NAMES[stateOf(o)]
        + (o.openedAtMicros !== null ? '  ' + duration(data.takenAtMicros - o.openedAtMicros) + ' so far' : '');
    bar.appendChild(title);
    var show = function () { showOpen(e, o, bar); };
    bar.addEventListener('mouseenter', show);
    bar.addEventListener('click', show);
    s.appendChild(bar);
    if (o.openedBeforeRecording) {
      var sx = x(o.firstSeenAtMicros, w);
      if (sx >= 0 && sx <= w) { s.appendChild(svg('line', { x1: sx, x2: sx, y1: 1, y2: LANE_HEIGHT - 1, 'class': 'mark' })); }
    }
    if (o.requestInFlight && o.requestAtMicros) {
      var wx = x(o.requestAtMicros, w);
      if (wx >= 0 && wx <= w) {
        s.appendChild(svg('path', { d: 'M' + (wx - 3) + ' 0 L' + (wx + 3) + ' 0 L' + wx + ' 5 Z', 'class': 'mark-write' }));
      }
    }
  }

  // connections alive per 2-pixel column, by a difference array: linear in connections plus columns
  function drawDensity(s, spans, w) {
    var columns = Math.max(1, Math.floor(w / 2));
    var diff = new Int32Array(columns + 1);
    spans.forEach(function (c) {
      var a = Math.max(0, Math.min(columns - 1, Math.floor(x(c[0], w) / 2)));
      var b = Math.max(a, Math.min(columns - 1, Math.floor(x(c[1], w) / 2)));
      diff[a]++;
      diff[b + 1]--;
    });
    var alive = 0;
    var counts = new Int32Array(columns);
    var max = 1;
    for (var i = 0; i < columns; i++) { alive += diff[i]; counts[i] = alive; max = Math.max(max, alive); }
    for (var j = 0; j < columns; j++) {
      if (!counts[j]) { continue; }
      var r = svg('rect', { x: j * 2, y: 4, width: 2, height: LANE_HEIGHT - 8, 'class': 'density', 'fill-opacity': (0.15 + 0.85 * counts[j] / max).toFixed(2) });
      r.dataset.count = String(counts[j]);
      var title = svg('title', {});
      title.textContent = counts[j] + ' connections in this column';
      r.appendChild(title);
      s.appendChild(r);
    }
  }

  function brush(s, w) {
    var start = null;
    var box = null;
    function at(ev) { var b = s.getBoundingClientRect(); return (ev.clientX - b.left) / b.width * w; }
    s.addEventListener('mousedown', function (ev) {
      start = at(ev);
      box = svg('rect', { x: start, y: 0, width: 0, height: LANE_HEIGHT, 'class': 'brush' });
      s.appendChild(box);
      ev.preventDefault();
    });
    s.addEventListener('mousemove', function (ev) {
      if (start === null) { return; }
      var now = at(ev);
      box.setAttribute('x', Math.min(start, now));
      box.setAttribute('width', Math.abs(now - start));
    });
    function end(ev) {
      if (start === null) { return; }
      var a = Math.min(start, at(ev));
      var b = Math.max(start, at(ev));
      start = null;
      if (b - a < 4) { if (box.parentNode) { box.parentNode.removeChild(box); } return; }
      var span = view.to - view.from;
      view = { from: view.from + span * a / w, to: view.from + span * b / w };
      draw();
    }
    s.addEventListener('mouseup', end);
    s.addEventListener('mouseleave', function (ev) { if (start !== null) { end(ev); } });
  }

  function stackLines(title, id) {
    if (id === null || id === undefined || id < 0) { return [title + ': no stack kept']; }
    var stack = stacks[id];
    if (!stack) { return [title + ': stack s' + id + ' left out of this file']; }
    var lines = [title + ' [s' + id + '] ' + stack.count + 'x' + (stack.truncated ? ' (truncated)' : '')];
    stack.frames.forEach(function (f) { lines.push('    at ' + frame(f)); });
    return lines;
  }

  function showCycle(e, c, bar) {
    if (selected) { selected.classList.remove('selected'); }
    selected = bar;
    bar.classList.add('selected');
    var lines = [
      e.endpoint + (e.accepted ? ' (accepted)' : '') + '  connection ' + c.id + '  ' + c.transport + (c.tls ? '  TLS' : ''),
      'local port   ' + c.localPort + '  (' + c.localAddress + ')' + (c.peer ? '  peer ' + c.peer : ''),
      (c.openedBeforeRecording ? 'first seen   ' + time(c.firstSeenAtMicros) + '  (open before recording)'
          : 'open         ' + time(c.openedAtMicros) + '  (connect ' + duration(c.connectMicros) + ')'),
      'last write   ' + time(c.lastWriteAtMicros) + '  (' + c.bytesWritten + ' bytes in all)',
      'last read    ' + time(c.lastReadAtMicros) + '  (' + c.bytesRead + ' bytes in all)',
      'cause        ' + CAUSE_NAMES[c.cause] + (c.causeAtMicros ? ' at ' + time(c.causeAtMicros) : '')
          + (c.timeoutMillis ? '  (SO_TIMEOUT ' + c.timeoutMillis + ' ms, blocked ' + duration(c.timeoutBlockedMicros) + ')' : '')
          + (c.error ? '  error: ' + c.error : ''),
      'close        ' + time(c.closedAtMicros) + ' by thread "' + c.closeThread + '"',
      'in flight    ' + (c.requestInFlight ? 'yes, a request was in flight' : 'no'),
      'reopened     ' + (c.reopenedAfterMicros > 0 ? duration(c.reopenedAfterMicros) + ' later' : '-')];
    lines = lines.concat(stackLines('closing stack', c.closeStackId), stackLines(e.accepted ? 'accepting stack' : 'opening stack', c.connectStackId));
    detail.textContent = lines.join('\n');
  }

  function showOpen(e, o, bar) {
    if (selected) { selected.classList.remove('selected'); }
    selected = bar;
    bar.classList.add('selected');
    var lines = [
      e.endpoint + (e.accepted ? ' (accepted)' : '') + '  connection ' + o.id + '  ' + o.transport + (o.tls ? '  TLS' : ''),
      'local port   ' + o.localPort + '  (' + o.localAddress + ')' + (o.peer ? '  peer ' + o.peer : ''),
      (o.openedBeforeRecording ? 'first seen   ' + time(o.firstSeenAtMicros) + '  (opened before recording: when and by whom unknown)'
          : 'open         ' + time(o.openedAtMicros) + '  (connect ' + duration(o.connectMicros) + ') by thread "' + o.connectThread + '"'),
      'last write   ' + time(o.lastWriteAtMicros) + '  (' + o.bytesWritten + ' bytes in all)',
      'last read    ' + time(o.lastReadAtMicros) + '  (' + o.bytesRead + ' bytes in all)',
      'in flight    ' + (o.requestInFlight ? 'yes, a request sent at ' + time(o.requestAtMicros) + ' is not answered yet' : 'no'),
      'peer closed  ' + (o.endOfStreamAtMicros ? 'end of stream read at ' + time(o.endOfStreamAtMicros) + ', not closed here' : '-'),
      'still open   at the report\'s time, ' + time(data.takenAtMicros)];
    lines = lines.concat(stackLines(e.accepted ? 'accepting stack' : 'opening stack', o.connectStackId));
    detail.textContent = lines.join('\n');
  }

  function draw() {
    var w = width();
    drawAxis(w);
    lanes.textContent = '';
    for (var i = 0; i < data.endpoints.length; i++) {
      if (onlyLane < 0 || onlyLane === i) { drawLane(i, w); }
    }
    zoomOut.disabled = view.from === t0 && view.to === t1;
    root.dataset.viewFrom = String(Math.round(view.from));
    root.dataset.viewTo = String(Math.round(view.to));
  }

  var resizing = null;
  window.addEventListener('resize', function () { clearTimeout(resizing); resizing = setTimeout(draw, 100); });
  draw();
  root.dataset.ready = 'true';
  if (window.performance && performance.mark) { performance.mark('socktrace-ready'); } // for the benchmark suite
}());
