/**
 * The live-reload script the dev server adds to every HTML page it serves (and only there:
 * it never reaches public/). Server-Sent Events say which pages changed; a page in the list
 * reloads, a stylesheet-only change swaps the stylesheet in place, and build errors show in an
 * overlay that goes away by itself when the build is good again.
 */
export const CLIENT_PATH = '/__quire/client.js';
export const EVENTS_PATH = '/__quire/events';

export const CLIENT_SCRIPT = `(() => {
  // The output version this page was served at; a newer one on (re)connect means we missed news.
  let version = Number(document.currentScript && document.currentScript.dataset.version);
  const here = () => decodeURI(location.pathname).replace(/index\\.html$/, '');
  let overlay = null;
  function showErrors(errors) {
    if (!errors.length) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'quire-error-overlay';
      overlay.setAttribute('role', 'alertdialog');
      overlay.setAttribute('aria-label', 'Build error');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.92);color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem';
      document.documentElement.appendChild(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement('h2');
    title.textContent = 'The build has errors: pages that could be built are served';
    title.style.cssText = 'margin:0 0 1rem;font-size:1.1rem;color:#ff8a8a';
    const pre = document.createElement('pre');
    pre.style.cssText = 'white-space:pre-wrap;margin:0';
    pre.textContent = errors.join('\\n\\n');
    const note = document.createElement('p');
    note.textContent = 'Fix the file and save: this message goes away by itself.';
    note.style.cssText = 'color:#bbb;margin-top:1.5rem';
    overlay.append(title, pre, note);
  }
  // Says which page is open: after a template change the server renders it before the rest of the site.
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)} + '?page=' + encodeURIComponent(location.pathname));
  events.addEventListener('state', (e) => {
    const state = JSON.parse(e.data);
    showErrors(state.errors);
    if (state.version !== undefined && !state.errors.length && state.version !== version) location.reload();
  });
  events.addEventListener('css', (e) => {
    const { stylesheets } = JSON.parse(e.data);
    version = JSON.parse(e.data).version;
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      const next = stylesheets.find((s) => s.split('?')[0] === url.pathname);
      if (next) link.href = next;
    }
  });
  // Keep the author's place: the scroll position survives a reload, and a post whose URL changed
  // (its title was edited) is followed to its new URL.
  const KEY = 'quire-dev-scroll';
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    sessionStorage.removeItem(KEY);
    if (saved && saved.path === here()) addEventListener('load', () => scrollTo(0, saved.y));
  } catch {}
  events.addEventListener('reload', (e) => {
    const data = JSON.parse(e.data);
    const { urls, moved } = data;
    version = data.version;
    const target = moved && moved[here()];
    try { sessionStorage.setItem(KEY, JSON.stringify({ path: target || here(), y: scrollY })); } catch {}
    // An image (or other file) the page shows changed: fetch it again, the page stays. When the
    // page itself changed too (an image's new size changes its width/height), this runs on the
    // swapped-in body: its images name the plain URL, which the browser would serve from memory.
    const refetch = () => {
      for (const img of document.images) {
        const u = new URL(img.currentSrc || img.src, location.href);
        if (u.origin === location.origin && urls.includes(decodeURI(u.pathname))) {
          u.searchParams.set('quire-v', String(version));
          img.src = u.href;
        }
      }
    };
    if (target) location.replace(target + location.hash);
    else if (urls.includes(here())) refresh(data.html).then(refetch);
    else refetch();
  });
  // Swaps in the new page without a navigation (faster than a reload, keeps the scroll
  // position); pages with scripts of their own get a real reload so their scripts run again.
  // The server sends this page's new HTML with the event; without it (an older server), it is fetched.
  // A script in <head> exactly as this page already has it (the theme's, on every page) is still
  // running and stays: it is not a reason to reload (the theme's script re-applies itself to a
  // swapped-in body).
  // Head elements that did not change stay in place (re-inserting the stylesheet would make the
  // browser load and apply it again); changed ones (title, meta, JSON-LD) are swapped.
  function syncHead(next) {
    const key = (el) => el.outerHTML;
    const wanted = new Set([...next.children].map(key));
    for (const el of [...document.head.children]) if (!wanted.has(key(el))) el.remove();
    const have = new Set([...document.head.children].map(key));
    for (const el of [...next.children]) if (!have.has(key(el))) document.head.appendChild(document.adoptNode(el));
  }
  let refreshing = null;
  function refresh(html) {
    return (refreshing = (refreshing || Promise.resolve()).then(async () => {
      try {
        const text = typeof html === 'string' ? html : await (await fetch(location.href, { cache: 'no-store' })).text();
        const doc = new DOMParser().parseFromString(text, 'text/html');
        const own = (s) => (s.getAttribute('src') || '').startsWith(${JSON.stringify(CLIENT_PATH)});
        // Data blocks such as JSON-LD are not scripts that need to run again.
        const runs = (s) => !s.type || /^(module|(text|application)[/](x-)?(java|ecma)script)$/i.test(s.type);
        const running = new Set([...document.head.querySelectorAll('script')].map((s) => s.outerHTML));
        const kept = (s) => s.parentNode === doc.head && running.has(s.outerHTML);
        if ([...doc.querySelectorAll('script')].some((s) => !own(s) && runs(s) && !kept(s))) return location.reload();
        const x = scrollX, y = scrollY;
        syncHead(doc.head);
        document.body.replaceWith(doc.body);
        scrollTo(x, y);
        try { sessionStorage.removeItem(KEY); } catch {}
      } catch {
        location.reload();
      }
    }));
  }
})();
`;
