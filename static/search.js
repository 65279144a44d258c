/* Site search (templates/search.html). Loads search-index.js with a
   <script>, not fetch, so file:// works. Case and accents are ignored; each
   query word must start a word; title > headings > description > text.
   Index text goes in by textContent only. */
(() => {
  const $ = (id) => document.getElementById(id);
  const form = $('search-form'), input = $('search-q'), status = $('search-status'),
    list = $('search-results'), az = $('a-z');
  if (!form || !input || !status || !list) return;
  // The site root relative to this page ("../"), from base.html.
  const root = document.currentScript?.dataset.root || '';
  // The index of this page's language (fr/search-index.js), from search.html.
  const indexFile = document.currentScript?.dataset.index || 'search-index.js';
  // The messages in the page's language, from search.html (English without).
  const said = document.currentScript?.dataset || {};
  const say = (key, english, n, q) =>
    said[key] ? said[key].replace('{n}', n).replace('{q}', q) : english;
  const NOT_WORD = /[^\p{L}\p{N}]+/u, IS_WORD = /[\p{L}\p{N}\p{M}]/u;
  const SPECIAL = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe' };
  // Koréa -> korea
  const fold = (s) => s.normalize('NFD').toLowerCase().replace(/\p{M}/gu, '')
    .replace(/[łøđßæœ]/g, (c) => SPECIAL[c]);
  // fold(s), and each folded character's offset in s.
  const foldMap = (s) => {
    let text = '', i = 0;
    const from = [];
    for (const ch of s) {
      const f = fold(ch);
      text += f;
      from.push(...Array(f.length).fill(i));
      i += ch.length;
    }
    from.push(i);
    return { text, from };
  };
  // Where `word` starts a word of `text` (folded), or -1.
  const find = (text, word, from = 0) => {
    for (let at = text.indexOf(word, from); at >= 0; at = text.indexOf(word, at + 1)) {
      if (at === 0 || NOT_WORD.test(text[at - 1])) return at;
    }
    return -1;
  };
  const count = (text, w, n = 0) => {
    for (let at = find(text, w); at >= 0 && n < 5; at = find(text, w, at + 1)) n++;
    return n;
  };

  let pages = null, indexHtml = true, last = null, timer = 0;

  const score = (e, ws) => {
    let total = 0;
    for (const w of ws) {
      const at = find(e.t, w);
      const s = at >= 0 ? 100 + (at === 0 ? 20 : 0) + (NOT_WORD.test(e.t[at + w.length] || ' ') ? 10 : 0)
        : find(e.h, w) >= 0 ? 30 : find(e.d, w) >= 0 ? 10 : count(e.b, w);
      if (!s) return 0;
      total += s;
    }
    return total;
  };

  // The description if it matches, else the text around the first match.
  const snippet = (p, ws) => {
    const d = p.d || '', body = p.b || '';
    if (ws.some((w) => find(fold(d), w) >= 0)) return d;
    const fb = foldMap(body);
    const hits = ws.map((w) => find(fb.text, w)).filter((at) => at >= 0);
    if (!hits.length && d) return d;
    const at = hits.length ? fb.from[Math.min(...hits)] : 0;
    const start = at > 60 ? body.lastIndexOf(' ', at - 60) + 1 : 0;
    let end = start + 200;
    const space = body.lastIndexOf(' ', end);
    if (end < body.length && space > at) end = space;
    return (start ? '\u2026 ' : '') + body.slice(start, end) + (end < body.length ? ' \u2026' : '');
  };

  // `text` into `el`, every matched word in a <mark>.
  const highlight = (el, text, ws) => {
    const m = foldMap(text), spans = [];
    for (const w of ws) {
      for (let at = find(m.text, w); at >= 0; at = find(m.text, w, at + 1)) {
        let end = m.from[at + w.length];
        while (end < text.length && IS_WORD.test(text[end])) end++;
        spans.push([m.from[at], end]);
      }
    }
    let pos = 0;
    for (const [s, e] of spans.sort((a, b) => a[0] - b[0])) {
      if (s < pos) continue;
      el.append(text.slice(pos, s), add(null, 'mark', text.slice(s, e)));
      pos = e;
    }
    el.append(text.slice(pos));
    return el;
  };

  const add = (parent, tag, text, cls) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    parent?.append(el);
    return el;
  };

  const href = (u) => root + u +
    (indexHtml && (u === '' || u.endsWith('/')) ? 'index.html' : u || root ? '' : './');

  const run = () => {
    const q = input.value.trim();
    if (!pages || q === last) return;
    last = q;
    const ws = fold(q).split(NOT_WORD).filter(Boolean);
    list.textContent = '';
    const found = ws.length
      ? pages.map((e) => ({ e, s: score(e, ws) })).filter((r) => r.s)
        .sort((a, b) => b.s - a.s || a.e.i - b.e.i)
      : [];
    list.hidden = !found.length;
    const n = found.length;
    status.textContent = !q ? '' : !ws.length ? say('empty', 'Type a word to search for.', n, q)
      : n === 0 ? say('none', `No results for \u201c${q}\u201d. Try fewer words, or the start of a word.`, n, q)
      : n === 1 ? say('one', `1 result for \u201c${q}\u201d`, n, q)
      : say('many', `${n} results for \u201c${q}\u201d`, n, q);
    for (const { e: { p } } of found) {
      const li = add(list, 'li', '', 'search-result');
      highlight(add(add(li, 'p', '', 'search-title'), 'a'), p.t || p.u, ws).href = href(p.u);
      if (p.s && /\/./.test(p.u)) add(li, 'p', p.s, 'search-section');
      const text = snippet(p, ws);
      if (text) highlight(add(li, 'p', '', 'search-snippet'), text, ws);
    }
  };

  const ready = () => {
    const index = window.DOSSIER_SEARCH_INDEX;
    if (!index) return failed();
    indexHtml = index.index_html !== false;
    pages = (index.pages || []).map((p, i) => ({
      p, i, t: fold(p.t || ''), h: fold((p.h || []).join(' \u2022 ')), d: fold(p.d || ''), b: fold(p.b || ''),
    }));
    form.hidden = false;
    if (az) az.hidden = true;
    input.value = new URLSearchParams(location.search).get('q') || input.value;
    input.addEventListener('input', () => (clearTimeout(timer), (timer = setTimeout(run, 150))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clearTimeout(timer);
      run();
      try {
        const url = new URL(location.href);
        url.searchParams.set('q', input.value.trim());
        history.replaceState(null, '', url.href);
      } catch { /* refused for file:// by some browsers */ }
    });
    run();
  };
  const failed = () => (status.textContent =
    say('failed', 'Search is unavailable: every page is listed below.', 0, ''));

  if (window.DOSSIER_SEARCH_INDEX) return ready();
  const s = add(null, 'script');
  s.src = root + indexFile;
  s.onload = ready;
  s.onerror = failed;
  document.head.append(s);
})();
