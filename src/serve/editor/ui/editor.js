// dossier's editor: the page list, the form made from the section's schema,
// the body with line numbers, findings as you type, save with conflict
// detection, and unsaved work kept in localStorage. No framework; every
// request goes to /__dossier/edit/api/ on this server (see api.rs).
'use strict';
(() => {
  const API = '/__dossier/edit/api/';
  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('aria-') || k === 'for' || k === 'role') node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) node.append(c);
    return node;
  };

  let pages = [];
  let sections = [];
  let register = []; // the source register: [{id, title, publisher, date, grade, grade_label}]
  const picked = new Map(); // a sources field's name → its ids, in order
  let current = null; // the page as loaded: {source, text, hash, fields, body, path}
  let checkTimer = 0;
  let checking = 0;

  function status(message, bad = false) {
    $('status').textContent = message;
    $('status').classList.toggle('bad', bad);
  }

  async function call(route, body) {
    const options = body === undefined ? {} : {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Dossier-Request': '1' },
      body: JSON.stringify(body),
    };
    const response = await fetch(API + route, options);
    let data = {};
    try { data = await response.json(); } catch (_) { /* not JSON */ }
    return { status: response.status, data };
  }

  // ---------- the page list ----------

  async function loadList() {
    const { status: code, data } = await call('pages');
    if (code !== 200) { status(data.error || `the page list failed (${code})`, true); return; }
    pages = data.pages;
    sections = data.sections;
    const select = $('new-section');
    select.replaceChildren(...sections.map((s) => el('option', { value: s.dir, text: s.dir === '' ? `${s.title} (top level)` : `${s.title} (${s.dir})` })));
    renderList();
  }

  function groupTitle(dir) {
    const section = sections.find((s) => s.dir === dir);
    return section ? section.title : dir || 'Top level';
  }

  function renderList() {
    const query = $('search').value.trim().toLowerCase();
    const groups = new Map();
    for (const page of pages) {
      if (query && !page.title.toLowerCase().includes(query) && !page.source.toLowerCase().includes(query)) continue;
      if (!groups.has(page.group)) groups.set(page.group, []);
      groups.get(page.group).push(page);
    }
    const list = $('page-list');
    list.replaceChildren();
    if (groups.size === 0) list.append(el('p', { text: 'No page matches.' }));
    let n = 0;
    for (const [dir, items] of groups) {
      const id = `group-${n++}`;
      const ul = el('ul', { 'aria-labelledby': id });
      items.sort((a, b) => (b.section - a.section) || a.title.localeCompare(b.title));
      for (const page of items) {
        const link = el('a', { href: `#/${page.source}`, text: page.section ? `${page.title} (section page)` : page.title });
        if (current && current.source === page.source) link.setAttribute('aria-current', 'page');
        const badges = [];
        badges.push(page.draft ? el('span', { class: 'badge draft', text: 'draft' }) : el('span', { class: 'badge published', text: 'published' }));
        if (page.errors) badges.push(el('span', { class: 'badge error', text: `${page.errors} error${page.errors > 1 ? 's' : ''}` }));
        if (page.warnings) badges.push(el('span', { class: 'badge warning', text: `${page.warnings} warning${page.warnings > 1 ? 's' : ''}` }));
        if (page.translation_stale) badges.push(el('span', { class: 'badge warning', text: `translation (${page.lang}) out of date` }));
        ul.append(el('li', {}, link, ...badges));
      }
      list.append(el('h3', { id, text: groupTitle(dir) }), ul);
    }
  }

  // ---------- opening a page ----------

  const draftKey = (source) => `dossier-edit:${source}`;

  async function open(source) {
    const { status: code, data } = await call(`page?source=${encodeURIComponent(source)}`);
    if (code !== 200) { status(data.error || `cannot open ${source} (${code})`, true); return; }
    current = data;
    $('welcome').hidden = true;
    $('conflict').hidden = true;
    $('editor').hidden = false;
    const title = data.fields.find((f) => f.name === 'title');
    $('page-heading').textContent = `Editing: ${(title && title.value) || source}`;
    $('page-source').textContent = `content/${source}`;
    renderFields(data.fields);
    $('not-in-form').textContent = data.not_in_form.length
      ? `Not in the form, kept as written (edit them in the file): ${data.not_in_form.join(', ')}.` : '';
    $('body').value = data.body;
    $('move-to').value = source;
    $('move-plan').replaceChildren();
    $('move-apply').hidden = true;
    $('preview').removeAttribute('srcdoc');
    $('preview').src = data.path || 'about:blank';
    $('preview-note').textContent = '(the saved page)';
    renderList();
    offerDraft();
    check();
    status(`Opened content/${source}`);
  }

  function renderFields(fields) {
    const list = $('field-list');
    list.replaceChildren();
    picked.clear();
    for (const field of fields) {
      const id = `field-${field.name}`;
      const hintId = `${id}-hint`;
      const error = el('p', { class: 'field-error', id: `${id}-error`, hidden: true });
      const hintText = [field.hint, field.kind === 'list' ? 'One item per line.' : ''].filter(Boolean).join(' ');
      const hint = hintText ? el('p', { class: 'hint', id: hintId, text: hintText }) : null;
      if (field.kind === 'sources') {
        list.append(sourcesField(field, id, hint, error));
        continue;
      }
      const label = el('label', { for: id, text: field.name.replace(/_/g, ' ') + ' ' });
      if (field.required) label.append(el('span', { class: 'required', text: '(required)' }));
      let input;
      if (field.kind === 'bool') {
        input = el('input', { type: 'checkbox', id, checked: field.value === true });
        const wrap = el('div', { class: 'check' }, input, ' ', label);
        list.append(wrap);
        if (hint) list.append(hint);
      } else {
        if (field.kind === 'enum') {
          input = el('select', { id });
          input.append(el('option', { value: '', text: '(not set)' }));
          for (const v of field.values) input.append(el('option', { value: v, text: v }));
          const value = typeof field.value === 'string' ? field.value : '';
          if (value && !field.values.includes(value)) input.append(el('option', { value, text: `${value} (not allowed)` }));
          input.value = value;
        } else if (field.kind === 'list') {
          input = el('textarea', { id, rows: 3 });
          input.value = Array.isArray(field.value) ? field.value.join('\n') : (field.value || '');
        } else {
          const type = field.kind === 'date' ? 'date' : field.kind === 'url' ? 'url' : 'text';
          input = el('input', { type, id });
          input.value = typeof field.value === 'string' ? field.value : '';
          if (field.kind === 'date' && input.value && input.value !== field.value) input.type = 'text';
        }
        if (field.required) input.required = true;
        list.append(label, input);
        if (hint) list.append(hint);
      }
      if (hint) input.setAttribute('aria-describedby', hintId);
      input.dataset.field = field.name;
      list.append(error);
    }
  }

  const sourceText = (s) => `${s.title} (${s.publisher}, ${s.grade_label}${s.date ? `, ${s.date}` : ''})`;
  const matches = (s, query) => !query || `${s.id} ${s.title} ${s.publisher}`.toLowerCase().includes(query);

  // A field of register ids: a box for each source, the ones chosen always
  // shown (first, in the page's order), the others as they match the search.
  // A source ticked is added at the end of the list.
  function sourcesField(field, id, hint, error) {
    const ids = Array.isArray(field.value) ? field.value.slice() : [];
    picked.set(field.name, ids);
    const legend = el('legend', { text: `${field.name.replace(/_/g, ' ')} ` });
    if (field.required) legend.append(el('span', { class: 'required', text: '(required)' }));
    const box = el('fieldset', { class: 'sources', id });
    box.dataset.field = field.name;
    box.append(legend);
    if (hint) { box.append(hint); box.setAttribute('aria-describedby', hint.id); }
    const searchId = `${id}-search`;
    const countId = `${id}-count`;
    const search = el('input', { type: 'search', id: searchId, autocomplete: 'off', 'aria-describedby': countId });
    const count = el('p', { class: 'hint', id: countId, role: 'status', 'aria-live': 'polite' });
    const options = el('ul', { class: 'picker', 'aria-label': `Sources for ${field.name.replace(/_/g, ' ')}` });
    // The chosen ones first, in the page's order, then the rest of the register.
    const byId = new Map(register.map((s) => [s.id, s]));
    const entries = [...ids.map((i) => byId.get(i) || { id: i, unknown: true }), ...register.filter((s) => !ids.includes(s.id))];
    entries.forEach((source, n) => {
      const boxId = `${id}-opt-${n}`;
      const check = el('input', { type: 'checkbox', id: boxId, value: source.id, checked: ids.includes(source.id) });
      const label = el('label', { for: boxId }, el('code', { text: source.id }), ' ',
        el('span', { class: 'meta', text: source.unknown ? '(not in the register)' : sourceText(source) }));
      check.addEventListener('change', () => {
        const now = picked.get(field.name).filter((i) => i !== source.id);
        if (check.checked) now.push(source.id);
        picked.set(field.name, now);
      });
      const item = el('li', {}, check, ' ', label);
      item.dataset.search = `${source.id} ${source.title || ''} ${source.publisher || ''}`.toLowerCase();
      options.append(item);
    });
    const filter = () => {
      const query = search.value.trim().toLowerCase();
      let shown = 0;
      for (const item of options.children) {
        const checked = item.querySelector('input').checked;
        const visible = checked || (query !== '' && item.dataset.search.includes(query));
        item.hidden = !visible;
        if (visible && !checked) shown += 1;
      }
      count.textContent = query ? `${shown} more source${shown === 1 ? ' matches' : 's match'} “${search.value.trim()}”.` : '';
    };
    box.refilter = filter; // not on every tick: a box unticked stays (and keeps the focus)
    search.addEventListener('input', filter);
    // Enter goes to the first match instead of submitting (saving) the form.
    search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const first = [...options.children].find((li) => !li.hidden && !li.querySelector('input').checked);
      if (first) first.querySelector('input').focus();
    });
    filter();
    box.append(options,
      el('label', { for: searchId, text: `Find a source to add ` }, el('span', { class: 'hint', text: '(id, title or publisher)' })),
      search, count, error);
    return box;
  }

  // Sets a sources field to `ids` (a draft being restored).
  function setSources(field, value) {
    const ids = value == null ? [] : Array.isArray(value) ? value : [value];
    picked.set(field.name, ids.slice());
    const box = $(`field-${field.name}`);
    for (const check of box.querySelectorAll('ul input[type=checkbox]')) check.checked = ids.includes(check.value);
    box.refilter();
  }

  // The form's value of a field, as the API takes it (null removes the key).
  function formValue(field) {
    const input = $(`field-${field.name}`);
    if (field.kind === 'sources') {
      const ids = picked.get(field.name) || [];
      if (ids.length === 0) return null;
      return field.single && ids.length === 1 ? ids[0] : ids;
    }
    if (field.kind === 'bool') return input.checked ? true : (field.name === 'draft' ? null : false);
    if (field.kind === 'list') {
      const items = input.value.split('\n').map((s) => s.trim()).filter(Boolean);
      return items.length ? items : null;
    }
    return input.value === '' ? null : input.value;
  }

  const loaded = (field) => {
    if (field.value === null || field.value === undefined || field.value === '') return null;
    if (field.kind === 'bool') return field.value === true ? true : (field.name === 'draft' ? null : false);
    if (Array.isArray(field.value) && field.value.length === 0) return null;
    if (field.kind === 'sources' && field.single && field.value.length === 1) return field.value[0];
    return field.value;
  };

  function changes() {
    const out = [];
    for (const field of current.fields) {
      const now = formValue(field);
      if (JSON.stringify(now) !== JSON.stringify(loaded(field))) out.push([field.name, now]);
    }
    return out;
  }

  // ---------- unsaved work ----------

  function keepDraft() {
    if (!current) return;
    const values = {};
    for (const field of current.fields) values[field.name] = formValue(field);
    const dirty = changes().length > 0 || $('body').value !== current.body;
    if (dirty) {
      localStorage.setItem(draftKey(current.source), JSON.stringify({ hash: current.hash, values, body: $('body').value, at: new Date().toISOString() }));
    } else {
      localStorage.removeItem(draftKey(current.source));
    }
  }

  function offerDraft() {
    const saved = localStorage.getItem(draftKey(current.source));
    $('restore').hidden = !saved;
    if (!saved) return;
    const draft = JSON.parse(saved);
    const changed = draft.hash !== current.hash ? ' The file has changed on disk since then.' : '';
    $('restore-text').textContent = `You have unsaved changes to this page from ${new Date(draft.at).toLocaleString()}.${changed}`;
    $('restore-yes').onclick = () => {
      for (const field of current.fields) {
        const input = $(`field-${field.name}`);
        const value = draft.values[field.name];
        if (field.kind === 'sources') setSources(field, value);
        else if (field.kind === 'bool') input.checked = value === true;
        else if (field.kind === 'list') input.value = (value || []).join('\n');
        else input.value = value ?? '';
      }
      $('body').value = draft.body;
      $('restore').hidden = true;
      check();
      status('Your unsaved changes are back.');
      $('body').focus();
    };
    $('restore-no').onclick = () => {
      localStorage.removeItem(draftKey(current.source));
      $('restore').hidden = true;
      status('Unsaved changes discarded.');
      $('body').focus();
    };
  }

  // ---------- findings as you type ----------

  function scheduleCheck() {
    keepDraft();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  }

  async function check() {
    if (!current) return;
    const ticket = ++checking;
    const { status: code, data } = await call('check', {
      source: current.source, original: current.text, changes: changes(), body: $('body').value,
    });
    if (ticket !== checking) return; // a newer check is on its way
    if (code !== 200) { status(data.error || `checking failed (${code})`, true); return; }
    renderFindings(data);
    if (data.preview) showPreview(data.preview);
  }

  // The page rendered from the unsaved text, at the scroll position it had.
  function showPreview(html) {
    const frame = $('preview');
    let y = 0;
    try { y = frame.contentWindow.scrollY; } catch (_) { /* not loaded */ }
    frame.onload = () => { try { frame.contentWindow.scrollTo(0, y); } catch (_) { /* gone */ } };
    frame.srcdoc = html;
    $('preview-note').textContent = '(your unsaved text)';
  }

  function keyLines(text, bodyLine) {
    const keys = new Map();
    text.split('\n').forEach((line, i) => {
      const m = /^([A-Za-z0-9_-]+):/.exec(line);
      if (m && i + 1 < bodyLine) keys.set(i + 1, m[1]);
    });
    return keys;
  }

  function renderFindings({ findings, text, body_line: bodyLine }) {
    const keys = keyLines(text, bodyLine);
    for (const node of document.querySelectorAll('.field-error')) { node.hidden = true; node.textContent = ''; }
    for (const node of document.querySelectorAll('[data-field]')) { node.removeAttribute('aria-invalid'); node.classList.remove('invalid'); }
    const marks = new Map(); // body line → severity
    const list = $('findings');
    list.replaceChildren();
    for (const f of findings) {
      const line = f.line;
      const where = line ? `line ${line}` : 'the page';
      const item = el('li', {}, el('span', { class: `sev-${f.severity}`, text: `${f.severity} ${f.code}` }), ` ${where}: ${f.message}`);
      if (f.hint) item.append(el('span', { class: 'hint', text: ` ${f.hint}` }));
      if (line && line >= bodyLine) {
        const bodyIndex = line - bodyLine + 1;
        if (marks.get(bodyIndex) !== 'error') marks.set(bodyIndex, f.severity);
        const go = el('button', { type: 'button', text: `Go to line ${bodyIndex} of the text` });
        go.onclick = () => goToLine(bodyIndex);
        item.append(' ', go);
      } else if (line) {
        // In the front matter: at its field when there is one.
        let key = null;
        for (let l = line; l >= 2 && !key; l--) key = keys.get(l) || null;
        const input = key && $(`field-${key}`);
        if (input) {
          if (input.tagName === 'FIELDSET') input.classList.add('invalid');
          else input.setAttribute('aria-invalid', 'true');
          const error = $(`field-${key}-error`);
          error.hidden = false;
          error.textContent = `${error.textContent} ${f.message}`.trim();
          const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((s) => s && s !== error.id);
          input.setAttribute('aria-describedby', [...described, error.id].join(' '));
        }
      }
      list.append(item);
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    $('findings-summary').textContent = findings.length ? `${errors} error(s), ${warnings} warning(s)` : 'No findings: the page reads cleanly.';
    renderGutter(marks);
  }

  function renderGutter(marks = new Map()) {
    const count = $('body').value.split('\n').length;
    const gutter = $('gutter');
    gutter.replaceChildren();
    for (let i = 1; i <= count; i++) {
      const sev = marks.get(i);
      const span = el('span', { text: String(i) });
      if (sev) span.className = sev === 'error' ? 'err' : 'warn';
      gutter.append(span, '\n');
    }
    gutter.scrollTop = $('body').scrollTop;
  }

  function goToLine(n) {
    const body = $('body');
    const lines = body.value.split('\n');
    const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
    body.focus();
    body.setSelectionRange(start, start + (lines[n - 1] || '').length);
  }

  // ---------- saving ----------

  async function save(hash) {
    const mine = $('body').value;
    const { status: code, data } = await call('save', {
      source: current.source, hash, changes: changes(), body: mine,
    });
    if (code === 409 && data.disk !== undefined) { showConflict(data); return; }
    if (code !== 200) { status(`Not saved: ${data.error || code}. Your text is kept here.`, true); return; }
    localStorage.removeItem(draftKey(current.source));
    const source = current.source;
    await open(source);
    status(`Saved content/${source}.`);
    loadList();
  }

  // The server's line diff of the file on disk against what keeping mine
  // would write: a table, each changed line said in words (not colour only).
  function showConflict(data) {
    const rows = $('conflict-diff').tBodies[0];
    rows.replaceChildren();
    let added = 0;
    let removed = 0;
    data.diff.hunks.forEach((hunk, n) => {
      if (n > 0) rows.append(el('tr', { class: 'gap' }, el('td', { colSpan: 4, text: '… unchanged lines …' })));
      for (const line of hunk) {
        const where = { equal: 'in both', delete: 'only on disk', insert: 'only in yours' }[line.tag];
        const text = line.tag === 'delete' ? el('del', { text: line.text })
          : line.tag === 'insert' ? el('ins', { text: line.text }) : line.text;
        rows.append(el('tr', { class: line.tag },
          el('td', { text: line.old ?? '' }), el('td', { text: line.new ?? '' }),
          el('td', { text: where }), el('td', {}, text)));
        if (line.tag === 'insert') added += 1;
        if (line.tag === 'delete') removed += 1;
      }
    });
    $('conflict-summary').textContent = data.diff.same
      ? 'The two versions are the same now: keeping yours changes nothing.'
      : `${removed} line${removed === 1 ? '' : 's'} only on disk, ${added} only in yours.`;
    $('conflict-disk').textContent = data.disk;
    $('conflict-mine').textContent = data.mine;
    $('copy-box').hidden = true;
    $('conflict').hidden = false;
    $('conflict').focus();
    status('Not saved: the file changed on disk. Choose which version to keep.', true);
    $('keep-mine').onclick = () => { $('conflict').hidden = true; save(data.hash); };
    $('take-disk').onclick = () => {
      localStorage.removeItem(draftKey(current.source));
      open(current.source);
    };
    $('copy-mine').onclick = async () => {
      try {
        await navigator.clipboard.writeText(data.mine);
        status('Your version is on the clipboard: paste it somewhere safe, or into the page after taking theirs.');
      } catch (_) {
        // No clipboard (permission refused): the text to copy by hand.
        $('copy-box').hidden = false;
        $('copy-text').value = data.mine;
        $('copy-text').focus();
        $('copy-text').select();
        status('Copy your version from the box: press Ctrl+C.');
      }
    };
  }

  // ---------- citations ----------

  async function loadRegister() {
    const { status: code, data } = await call('sources');
    if (code !== 200) { status(data.error || `the source register failed (${code})`, true); return; }
    register = data.sources;
    $('cite').hidden = register.length === 0;
    const list = $('cite-results');
    list.replaceChildren(...register.map((source) => {
      const button = el('button', { type: 'button', text: `Cite ${source.id}` });
      button.addEventListener('click', () => cite(source.id));
      const item = el('li', {}, button, el('span', { class: 'meta', text: sourceText(source) }));
      item.dataset.search = `${source.id} ${source.title} ${source.publisher}`.toLowerCase();
      return item;
    }));
    filterCites();
  }

  function filterCites() {
    const query = $('cite-search').value.trim().toLowerCase();
    let shown = 0;
    for (const item of $('cite-results').children) {
      item.hidden = query !== '' && !item.dataset.search.includes(query);
      if (!item.hidden) shown += 1;
    }
    $('cite-count').textContent = query ? `${shown} source${shown === 1 ? ' matches' : 's match'} “${$('cite-search').value.trim()}”.` : `${shown} sources in the register.`;
  }

  // `[@id]` (or `[@id, p. 3]`) at the cursor of the text.
  function cite(id) {
    const body = $('body');
    const locator = $('cite-locator').value.trim().replace(/[[\]]/g, '');
    const start = body.selectionStart;
    const end = body.selectionEnd;
    const before = body.value.slice(0, start);
    const text = `${before === '' || /\s$/.test(before) ? '' : ' '}[@${id}${locator ? `, ${locator}` : ''}]`;
    body.value = before + text + body.value.slice(end);
    body.focus();
    body.setSelectionRange(start + text.length, start + text.length);
    $('cite-locator').value = '';
    renderGutter();
    scheduleCheck();
    status(`Cited ${id} at line ${before.split('\n').length} of the text.`);
  }

  // ---------- images ----------

  async function addImage() {
    const file = $('image-file').files[0];
    const alt = $('image-alt').value.trim();
    if (!file) { status('Choose an image file first.', true); $('image-file').focus(); return; }
    if (!alt) { status('Write the alternative text first: what the image shows.', true); $('image-alt').focus(); return; }
    const response = await fetch(`${API}image?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-Dossier-Request': '1' },
      body: file,
    });
    let data = {};
    try { data = await response.json(); } catch (_) { /* not JSON */ }
    if (response.status !== 200) {
      status(response.status === 413 ? 'Not added: images are limited to 1 MiB.' : `Not added: ${data.error || response.status}`, true);
      return;
    }
    const body = $('body');
    const at = body.selectionEnd;
    const before = body.value.slice(0, at);
    const line = `${before === '' || before.endsWith('\n') ? '' : '\n'}![${alt.replace(/[[\]]/g, '')}](${data.path})\n`;
    body.value = before + line + body.value.slice(at);
    body.setSelectionRange(at + line.length, at + line.length);
    $('image-file').value = '';
    $('image-alt').value = '';
    renderGutter();
    scheduleCheck();
    status(`Added ${data.path}; save the page to keep the reference to it.`);
    body.focus();
  }

  // ---------- moving a page ----------

  const dirty = () => current && (changes().length > 0 || $('body').value !== current.body);

  async function move(apply) {
    if (dirty()) { status('Save (or discard) your changes before moving the page.', true); return; }
    const to = $('move-to').value.trim();
    const { status: code, data } = await call('rename', { source: current.source, to, apply });
    const plan = $('move-plan');
    if (code !== 200) {
      plan.textContent = `Cannot move it: ${data.error || code}`;
      $('move-apply').hidden = true;
      return;
    }
    if (apply) {
      localStorage.removeItem(draftKey(current.source));
      plan.replaceChildren();
      $('move-apply').hidden = true;
      await loadList();
      location.hash = `#/${data.source}`;
      status(`Moved to content/${data.source}; ${data.changes.length} link(s) updated.`);
      return;
    }
    const list = el('ul');
    for (const c of data.changes) {
      const item = el('li', {}, `${c.file}, line ${c.line}: `, el('code', { text: c.old }), ' → ', el('code', { text: c.new }));
      if (c.by_hand) item.append(el('strong', { text: ' (change this one by hand first: the link is written elsewhere)' }));
      list.append(item);
    }
    plan.replaceChildren(el('p', { text: data.changes.length ? `Moving to content/${data.to} changes these links:` : `Moving to content/${data.to} changes no links.` }), list);
    $('move-apply').hidden = data.by_hand;
  }

  // ---------- wiring ----------

  $('move-preview').addEventListener('click', () => move(false));
  $('move-apply').addEventListener('click', () => move(true));

  $('image-add').addEventListener('click', addImage);
  const code = document.querySelector('.code');
  code.addEventListener('dragover', (e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); code.classList.add('dropping'); } });
  code.addEventListener('dragleave', () => code.classList.remove('dropping'));
  code.addEventListener('drop', (e) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    code.classList.remove('dropping');
    $('image-file').files = e.dataTransfer.files;
    status(`${e.dataTransfer.files[0].name}: now write its alternative text and press Insert the image.`);
    $('image-alt').focus();
  });

  $('search').addEventListener('input', renderList);
  $('cite-search').addEventListener('input', filterCites);
  for (const id of ['cite-search', 'cite-locator']) {
    $(id).addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault(); // not a save: go to the first source to cite
      const first = [...$('cite-results').children].find((li) => !li.hidden);
      if (first) first.querySelector('button').focus();
    });
  }
  $('editor').addEventListener('input', scheduleCheck);
  $('editor').addEventListener('change', scheduleCheck);
  $('body').addEventListener('input', () => renderGutter());
  $('body').addEventListener('scroll', () => { $('gutter').scrollTop = $('body').scrollTop; });
  $('editor').addEventListener('submit', (e) => { e.preventDefault(); if (current) save(current.hash); });
  $('new-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const { status: code, data } = await call('new', { section: $('new-section').value, title: $('new-title').value });
    if (code !== 200) { status(`Not created: ${data.error || code}`, true); return; }
    $('new-title').value = '';
    await loadList();
    location.hash = `#/${data.source}`;
  });
  const route = () => {
    const source = decodeURIComponent(location.hash.replace(/^#\//, ''));
    if (source) open(source);
  };
  window.addEventListener('hashchange', route);
  loadRegister().then(loadList).then(route);
})();
