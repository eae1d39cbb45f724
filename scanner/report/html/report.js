// keyhole report: filtering and sorting of the findings table. Every value
// from the scan reaches the page through textContent, never as markup.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('keyhole-data').textContent);
  const findings = data.findings.map(function (f, i) {
    f.index = i;
    f.haystack = [f.rule, f.kind, f.severity, f.description, f.target, f.path, f.format,
      f.secret, f.match, f.commit, f.fingerprint].join('\n').toLowerCase();
    return f;
  });
  const pageSize = 1000;
  const $ = function (id) { return document.getElementById(id); };
  const table = $('findings-table');
  const tbody = table.tBodies[0];
  const boxes = Array.from(document.querySelectorAll('#filter-severity input'));
  const selects = { target: $('filter-target'), rule: $('filter-rule'), kind: $('filter-kind') };
  let state = blank();
  let limit = pageSize;

  function blank() {
    return { q: '', severity: [], target: '', rule: '', kind: '', sort: '', dir: 1 };
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function labelled(label, className, text) {
    const div = el('div');
    div.append(el('span', 'label', label), ' ', el('code', className, text));
    return div;
  }

  function row(f) {
    const tr = el('tr', 'finding');
    const sev = el('td');
    sev.append(el('span', 'badge sev-' + f.severity, f.severity));
    const rule = el('td');
    rule.append(el('code', '', f.rule));
    (f.refs || []).forEach(function (url, i) {
      if (!/^https?:\/\//i.test(url)) return;
      const a = el('a', 'ref', 'ref ' + (i + 1));
      a.href = url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      rule.append(' ', a);
    });
    const path = el('td');
    path.append(el('code', 'path', f.path));
    if (f.format) path.append(' ', el('span', 'format', f.format));
    const target = el('td');
    target.append(el('code', '', f.target));
    const details = el('td', 'details');
    details.append(el('div', 'description', f.description));
    if (f.secret) details.append(labelled('secret', 'secret', f.secret));
    if (f.match) details.append(labelled('match', 'match', f.match));
    if (f.commit) details.append(labelled('commit', 'commit', f.commit));
    tr.append(sev, rule, el('td', '', f.kind), target, path, el('td', 'num', f.position), details);
    return tr;
  }

  function matches(f) {
    return (!state.q || f.haystack.includes(state.q.toLowerCase())) &&
      (state.severity.length === 0 || state.severity.includes(f.severity)) &&
      (!state.target || f.target === state.target) &&
      (!state.rule || f.rule === state.rule) &&
      (!state.kind || f.kind === state.kind);
  }

  function compare(a, b) {
    let d = 0;
    switch (state.sort) {
      case 'severity': d = a.rank - b.rank; break;
      case 'line': d = a.line - b.line; break;
      case '': break;
      default: d = a[state.sort] < b[state.sort] ? -1 : a[state.sort] > b[state.sort] ? 1 : 0;
    }
    return d * state.dir || a.index - b.index;
  }

  function render() {
    const shown = findings.filter(matches).sort(compare);
    const rows = shown.slice(0, limit).map(row);
    if (shown.length === 0) {
      const td = el('td', 'empty', findings.length ? 'No findings match the filters.' : 'No findings.');
      td.colSpan = 7;
      const tr = el('tr');
      tr.append(td);
      rows.push(tr);
    }
    tbody.replaceChildren.apply(tbody, rows);
    $('shown').textContent = shown.length === findings.length
      ? findings.length + ' findings' : shown.length + ' of ' + findings.length + ' findings';
    const more = $('show-more');
    if (more) more.remove();
    if (shown.length > limit) {
      const button = el('button', 'more', 'Show all ' + shown.length + ' findings');
      button.id = 'show-more';
      button.type = 'button';
      button.addEventListener('click', function () { limit = Infinity; render(); });
      table.after(button);
    }
    table.querySelectorAll('th[data-key]').forEach(function (th) {
      if (th.dataset.key === state.sort) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  // The URL hash holds the filters (#severity=critical,high&rule=…&q=…),
  // so a filtered view can be bookmarked or passed on.
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const s = blank();
    s.q = p.get('q') || '';
    s.severity = (p.get('severity') || '').split(',').filter(function (v) { return data.severities.includes(v); });
    ['target', 'rule', 'kind'].forEach(function (k) { s[k] = p.get(k) || ''; });
    s.sort = ['severity', 'rule', 'kind', 'target', 'path', 'line'].includes(p.get('sort')) ? p.get('sort') : '';
    s.dir = p.get('dir') === 'desc' ? -1 : 1;
    return s;
  }

  function writeHash() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.severity.length) p.set('severity', state.severity.join(','));
    ['target', 'rule', 'kind'].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.sort) {
      p.set('sort', state.sort);
      if (state.dir < 0) p.set('dir', 'desc');
    }
    const hash = p.toString();
    try {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the view still works.
    }
  }

  function showState() {
    $('filter-q').value = state.q;
    boxes.forEach(function (b) { b.checked = state.severity.length === 0 || state.severity.includes(b.value); });
    Object.keys(selects).forEach(function (k) {
      const sel = selects[k];
      if (state[k] && !Array.from(sel.options).some(function (o) { return o.value === state[k]; })) {
        sel.append(new Option(state[k], state[k])); // a value from the hash that no finding has
      }
      sel.value = state[k];
    });
  }

  function update() {
    limit = pageSize;
    writeHash();
    render();
  }

  function fillSelect(sel, key) {
    const values = Array.from(new Set(findings.map(function (f) { return f[key]; }))).sort();
    values.forEach(function (v) { sel.append(new Option(v, v)); });
  }

  fillSelect(selects.target, 'target');
  fillSelect(selects.rule, 'rule');
  fillSelect(selects.kind, 'kind');

  $('filter-q').addEventListener('input', function (e) { state.q = e.target.value; update(); });
  boxes.forEach(function (b) {
    b.addEventListener('change', function () {
      const on = boxes.filter(function (x) { return x.checked; }).map(function (x) { return x.value; });
      state.severity = on.length === boxes.length ? [] : on;
      update();
    });
  });
  Object.keys(selects).forEach(function (k) {
    selects[k].addEventListener('change', function (e) { state[k] = e.target.value; update(); });
  });
  $('filter-reset').addEventListener('click', function () { state = blank(); showState(); update(); });
  table.querySelectorAll('th[data-key] button').forEach(function (button) {
    button.addEventListener('click', function () {
      const key = button.parentElement.dataset.key;
      if (state.sort === key) state.dir = -state.dir;
      else { state.sort = key; state.dir = key === 'severity' ? -1 : 1; } // most severe first
      update();
    });
  });
  document.querySelectorAll('#severity-chart .bar').forEach(function (bar) {
    bar.addEventListener('click', function () {
      state.severity = [bar.dataset.severity];
      showState();
      update();
    });
  });
  window.addEventListener('hashchange', function () { state = readHash(); showState(); render(); });

  state = readHash();
  showState();
  $('no-findings').hidden = true;
  $('controls').hidden = false;
  render();
})();
