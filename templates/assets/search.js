/* Quire search page. Loads the index named by the form's data-index (format: src/publish/search.ts)
   and searches as you type. No modules, no dependencies, no other requests. */
(() => {
  'use strict';
  const A = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  const MAX = 50, EXCERPT = 160;

  // As the index was made: lower case, NFKD without marks or apostrophes, CJK per character.
  const words = (s) => s.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').replace(/['’]/g, '')
    .replace(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu, ' $& ').match(/[\p{L}\p{N}]+/gu) || [];

  // Posting code → ascending post numbers: `~` and a bitmap, or base-32 deltas.
  const decode = (s) => {
    const out = [], bits = s[0] === '~';
    let n = 0, p = -1;
    for (let i = +bits; i < s.length; i++) {
      const v = A.indexOf(s[i]);
      if (bits) { for (let j = 0; j < 6; j++) if (v >> j & 1) out.push((i - 1) * 6 + j); }
      else if ((n = n * 32 + (v & 31)), v < 32) { out.push(p += n + 1); n = 0; }
    }
    return out;
  };

  // Query → its terms: the last word is a prefix while typing. Stop words (and single letters but
  // the last word) are not in the body index, so they count only when the query has nothing else.
  const terms = (q, stop) => {
    const ws = [...new Set(words(q))];
    const all = ws.map((w, i) => {
      const last = i === ws.length - 1, prefix = last && !/\s$/.test(q);
      return { w, prefix, f: prefix ? (x) => x.startsWith(w) : (x) => x === w, opt: stop.has(w) || (!last && /^[a-z0-9]$/.test(w)) };
    });
    const req = all.filter((t) => !t.opt);
    return req.length ? req : all;
  };

  // Index → query → [{ post, score }], best first; `.terms(q)` are the terms it matched on.
  const open = (idx) => {
    let prev = '';
    const dict = idx.words ? idx.words.split(' ').map((e) => (prev = prev.slice(0, parseInt(e[0], 36)) + e.slice(1))) : [];
    const lists = idx.postings.split(' '), cache = [], stop = new Set(idx.stop.split(' '));
    const posts = idx.posts.map((p, i) => ({
      i, title: p[0], url: p[1], date: p[2], text: p[5] || '', t: words(p[0]),
      g: words(p[3].map((c) => idx.categories[c]).concat(p[4].map((t) => idx.tags[t])).join(' ')),
    }));
    // Posts whose body has the word, or a word starting with it.
    const body = (w, prefix) => {
      const set = new Set();
      let lo = 0, hi = dict.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (dict[m] < w) lo = m + 1; else hi = m; }
      for (; lo < dict.length && (prefix ? dict[lo].startsWith(w) : dict[lo] === w); lo++) {
        for (const n of cache[lo] || (cache[lo] = decode(lists[lo]))) set.add(n);
      }
      return set;
    };
    const search = (q) => {
      const out = [], ts = terms(q, stop).map((t) => ({ ...t, b: body(t.w, t.prefix) }));
      for (const p of posts) {
        let score = 0;
        for (const t of ts) {
          const s = p.t.some(t.f) ? 4 : p.g.some(t.f) ? 2 : t.b.has(p.i) ? 1 : 0;
          if (!s) { score = 0; break; }
          score += s;
        }
        if (score) out.push({ post: p, score });
      }
      // The index lists posts newest first, so the number breaks ties by date.
      return out.sort((a, b) => b.score - a.score || a.post.i - b.post.i);
    };
    search.terms = (q) => terms(q, stop);
    return search;
  };

  // Text → [[start, end], …] of its words that a term matches (normalised as the index is).
  const marks = (text, ts) => {
    const out = [];
    for (const m of text.matchAll(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}\p{M}'’])+/gu)) {
      const w = words(m[0]).join('');
      if (w && ts.some((t) => t.f(w))) out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };

  // A window of about `size` characters of `text` around its first match, cut at spaces that keep
  // the match in it: [start, end]. Without a match in the text, its opening.
  const excerpt = (text, ts, size) => {
    if (text.length <= size) return [0, text.length];
    const first = marks(text, ts)[0] || [0, 0];
    let start = Math.max(0, Math.min(first[0] - Math.floor(size / 3), text.length - size));
    const space = text.indexOf(' ', start);
    if (start > 0 && space !== -1 && space < first[0]) start = space + 1;
    let end = Math.min(text.length, start + size);
    const cut = text.lastIndexOf(' ', end);
    if (end < text.length && cut > Math.max(start, first[1])) end = cut;
    // Never half of a character outside the Basic Multilingual Plane.
    if (/[\udc00-\udfff]/.test(text[start] || '')) start++;
    if (/[\ud800-\udbff]/.test(text[end - 1] || '')) end--;
    return [start, end];
  };

  const start = () => {
    const $ = (id) => document.getElementById(id);
    const form = $('search-form'), input = $('search-input'), status = $('search-status'), list = $('search-results');
    if (!form || !input || !status || !list) return;
    const lang = (document.documentElement && document.documentElement.lang) || undefined;
    let search = null, failed = false, timer;
    const day = (d) => {
      try { return new Date(d + 'T00:00:00Z').toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }); } catch (e) { return d; }
    };
    // `text` into `el` as text nodes, the matched words in <mark>: never parsed as HTML.
    const fill = (el, text, ts) => {
      let at = 0;
      for (const [a, b] of marks(text, ts)) {
        const m = document.createElement('mark');
        m.textContent = text.slice(a, b);
        el.append(text.slice(at, a), m);
        at = b;
      }
      el.append(text.slice(at));
    };
    const show = () => {
      const q = input.value;
      list.textContent = '';
      if (failed) return (status.textContent = 'Search is unavailable: the index could not be loaded.');
      if (!words(q).length) return (status.textContent = 'Type to search');
      if (!search) return (status.textContent = 'Loading…');
      const found = search(q), n = found.length, ts = search.terms(q);
      for (const { post } of found.slice(0, MAX)) {
        const li = document.createElement('li'), a = document.createElement('a'), time = document.createElement('time');
        a.setAttribute('href', post.url);
        fill(a, post.title, ts);
        time.setAttribute('datetime', post.date);
        time.textContent = day(post.date);
        li.append(a, ' ', time);
        if (post.text) {
          const [from, to] = excerpt(post.text, ts, EXCERPT), p = document.createElement('p');
          p.setAttribute('class', 'search-excerpt');
          fill(p, (from > 0 ? '…' : '') + post.text.slice(from, to) + (to < post.text.length ? '…' : ''), ts);
          li.append(p);
        }
        list.appendChild(li);
      }
      status.textContent = n ? n + (n === 1 ? ' post found' : ' posts found') + (n > MAX ? ', showing the first ' + MAX : '') : 'No posts found for “' + q.trim() + '”';
    };
    // Arrow keys move from the box through the results and back; Enter follows a link as usual.
    input.addEventListener('keydown', (e) => {
      const first = e.key === 'ArrowDown' && list.querySelector('a');
      if (first) { e.preventDefault(); first.focus(); }
    });
    list.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const links = [...list.querySelectorAll('a')], at = links.indexOf(document.activeElement);
      if (at === -1) return;
      e.preventDefault();
      (e.key === 'ArrowDown' ? links[at + 1] || links[at] : links[at - 1] || input).focus();
    });
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(show, 100); });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(timer);
      show();
      try {
        const u = new URL(location.href);
        if (input.value) u.searchParams.set('q', input.value); else u.searchParams.delete('q');
        history.replaceState(history.state, '', u.href);
      } catch (err) { /* the results are shown anyway */ }
    });
    input.value = new URLSearchParams(location.search).get('q') || input.value;
    show();
    fetch(form.getAttribute('data-index'))
      .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then((idx) => { search = open(idx); }, () => { failed = true; })
      .then(show);
  };

  // Tests run this file in a VM with a `quireSearchTest` object to reach the pure parts.
  if (typeof quireSearchTest === 'object' && quireSearchTest) Object.assign(quireSearchTest, { words, decode, open, marks, excerpt });
  if (typeof document === 'undefined') return;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
