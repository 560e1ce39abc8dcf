(function () {
  'use strict';

  function cellValue(row, col) {
    var td = row.cells[col];
    if (!td) return '';
    var v = td.getAttribute('data-v');
    if (v !== null && v !== '' && !isNaN(Number(v))) return Number(v);
    return (v !== null ? v : td.textContent).trim().toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }

  function sortTable(table, col, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.setAttribute('data-order', String(i)); });
    rows.sort(function (a, b) {
      var c = compare(cellValue(a, col), cellValue(b, col)) * dir;
      return c !== 0 ? c : Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === col) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  function columnOf(table, key) {
    var cells = table.tHead.rows[0].cells;
    for (var i = 0; i < cells.length; i++) if (cells[i].getAttribute('data-sort') === key) return i;
    return -1;
  }

  function bindSorting(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (!th.hasAttribute('data-sort')) return;
      th.tabIndex = 0;
      var toggle = function () {
        var now = th.getAttribute('aria-sort');
        var dir = now === 'descending' ? 1 : now === 'ascending' ? -1 : (th.classList.contains('num') ? -1 : 1);
        sortTable(table, i, dir);
      };
      th.addEventListener('click', toggle);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
    });
  }

  function filterTable(table, text) {
    var q = text.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var hit = q === '' || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.hidden = !hit;
      if (hit) shown++;
    });
    var count = document.getElementById('site-count');
    if (count) count.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' rows';
    return shown;
  }

  function ordered(table, col, dir) {
    var rows = table.tBodies[0].rows;
    for (var i = 1; i < rows.length; i++) {
      if (compare(cellValue(rows[i - 1], col), cellValue(rows[i], col)) * dir > 0) return false;
    }
    return true;
  }

  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, bindSorting);
  var sites = document.getElementById('sites');
  var filter = document.getElementById('site-filter');
  if (sites && filter) {
    filter.addEventListener('input', function () { filterTable(sites, filter.value); });
    filterTable(sites, '');
  }

  // A hook for tests: open the page as index.html#selftest and read <pre id="selftest">.
  if (location.hash === '#selftest') {
    var out = document.getElementById('selftest');
    var results = {};
    Array.prototype.forEach.call(tables, function (table) {
      var name = table.id || 'table';
      var rows = table.tBodies[0].rows.length;
      var ok = true;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        if (!th.hasAttribute('data-sort')) return;
        sortTable(table, col, -1);
        ok = ok && ordered(table, col, -1);
        sortTable(table, col, 1);
        ok = ok && ordered(table, col, 1);
      });
      var first = columnOf(table, table.getAttribute('data-default-sort') || '');
      if (first >= 0) sortTable(table, first, Number(table.getAttribute('data-default-dir') || '1'));
      results[name] = { rows: rows, sorted: ok };
      out.setAttribute('data-test-' + name + '-rows', String(rows));
      out.setAttribute('data-test-' + name + '-sorted', ok ? 'ok' : 'FAILED');
    });
    if (sites && sites.tBodies[0].rows.length > 0) {
      var kind = sites.tBodies[0].rows[0].cells[1].textContent;
      var shown = filterTable(sites, kind);
      var none = filterTable(sites, '\u0000no such row\u0000');
      filterTable(sites, '');
      out.setAttribute('data-test-filter', shown > 0 && none === 0 ? 'ok' : 'FAILED');
    }
    // The flame graph as laid out: its frames that render with a width, and the widest frame
    // that is no pseudo-frame (the victim's line of the costliest stack, or its caller).
    var frames = document.querySelectorAll('svg.flame g.frame');
    var drawn = 0, widest = '', widestWidth = 0;
    Array.prototype.forEach.call(frames, function (g) {
      var w = g.querySelector('rect').getBoundingClientRect().width;
      if (w > 0) drawn++;
      if (w > widestWidth) { widestWidth = w; widest = g.querySelector('title').textContent.split(' \u2014 ')[0]; }
    });
    out.setAttribute('data-test-flame-frames', String(drawn));
    out.setAttribute('data-test-flame-widest', widest);
    out.setAttribute('data-test-done', 'yes');
    out.textContent = JSON.stringify(results);
  }
})();
