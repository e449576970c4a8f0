/* Quire search page. Loads the index named by the form's data-index (format: src/publish/search.ts)
   and searches as you type. No modules, no dependencies, no other requests. */
(() => {
  'use strict';
  const A = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  const MAX = 50;

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

  // Index → query → [{ post, score }], best first.
  const open = (idx) => {
    let prev = '';
    const dict = idx.words ? idx.words.split(' ').map((e) => (prev = prev.slice(0, parseInt(e[0], 36)) + e.slice(1))) : [];
    const lists = idx.postings.split(' '), cache = [], stop = new Set(idx.stop.split(' '));
    const posts = idx.posts.map((p, i) => ({
      i, title: p[0], url: p[1], date: p[2], t: words(p[0]),
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
    return (q) => {
      const ws = [...new Set(words(q))], out = [];
      // The last word is a prefix while typing. Stop words (and single letters but the last word)
      // are not in the body index, so they count only when the query has nothing else.
      let terms = ws.map((w, i) => {
        const last = i === ws.length - 1, prefix = last && !/\s$/.test(q);
        return { w, b: body(w, prefix), f: prefix ? (x) => x.startsWith(w) : (x) => x === w, opt: stop.has(w) || (!last && /^[a-z0-9]$/.test(w)) };
      });
      const req = terms.filter((t) => !t.opt);
      if (req.length) terms = req;
      for (const p of posts) {
        let score = 0;
        for (const t of terms) {
          const s = p.t.some(t.f) ? 4 : p.g.some(t.f) ? 2 : t.b.has(p.i) ? 1 : 0;
          if (!s) { score = 0; break; }
          score += s;
        }
        if (score) out.push({ post: p, score });
      }
      // The index lists posts newest first, so the number breaks ties by date.
      return out.sort((a, b) => b.score - a.score || a.post.i - b.post.i);
    };
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
    const show = () => {
      const q = input.value;
      list.textContent = '';
      if (failed) return (status.textContent = 'Search is unavailable: the index could not be loaded.');
      if (!words(q).length) return (status.textContent = 'Type to search');
      if (!search) return (status.textContent = 'Loading…');
      const found = search(q), n = found.length;
      for (const { post } of found.slice(0, MAX)) {
        const li = document.createElement('li'), a = document.createElement('a'), time = document.createElement('time');
        a.setAttribute('href', post.url);
        a.textContent = post.title;
        time.setAttribute('datetime', post.date);
        time.textContent = day(post.date);
        li.append(a, ' ', time);
        list.appendChild(li);
      }
      status.textContent = n ? n + (n === 1 ? ' post found' : ' posts found') + (n > MAX ? ', showing the first ' + MAX : '') : 'No posts found for “' + q.trim() + '”';
    };
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
  if (typeof quireSearchTest === 'object' && quireSearchTest) Object.assign(quireSearchTest, { words, decode, open });
  if (typeof document === 'undefined') return;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
