/*
 * Quire theme script, on every page (deferred): the light / dark / system switch in the header and
 * a copy button on each code block. Without JavaScript neither is shown: the colours follow the
 * system setting (prefers-color-scheme) and code is plain code.
 *
 * The choice is kept in localStorage ("quire-theme": "light" or "dark"; none means system) and
 * applied as <html data-theme> by the inline script at the top of <head>, before the stylesheet,
 * so a page never shows the other scheme first. That script also adds the "js" class the
 * stylesheet uses to show the switch and to keep room for copy buttons from the first paint.
 */
(() => {
  const root = document.documentElement;
  const KEY = 'quire-theme';
  const stored = () => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null; // storage blocked: the choice lasts for this page only
    }
  };
  const apply = (choice) => {
    if (choice === 'light' || choice === 'dark') root.dataset.theme = choice;
    else delete root.dataset.theme;
    for (const select of document.querySelectorAll('.theme-switch select')) select.value = root.dataset.theme || 'system';
  };
  const closest = (e, selector) => (e.target instanceof Element ? e.target.closest(selector) : null);

  document.addEventListener('change', (e) => {
    const select = closest(e, '.theme-switch select');
    if (!select) return;
    try {
      if (select.value === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, select.value);
    } catch {}
    apply(select.value);
  });
  // Chosen in another tab, or this page came back from the back-forward cache.
  addEventListener('storage', (e) => (e.key === KEY || e.key === null) && apply(stored()));
  addEventListener('pageshow', (e) => e.persisted && apply(stored()));

  document.addEventListener('click', async (e) => {
    const button = closest(e, '.copy-button');
    const block = button && button.closest('.code-block');
    if (!block) return;
    const status = block.querySelector('.copy-status');
    let message = 'Copied';
    try {
      await navigator.clipboard.writeText(block.querySelector('pre').textContent.replace(/\n$/, ''));
    } catch {
      message = 'Could not copy: select the code and copy it';
    }
    status.textContent = message; // role="status": read out by screen readers
    button.firstChild.textContent = message === 'Copied' ? 'Copied' : 'Copy';
    setTimeout(() => {
      button.firstChild.textContent = 'Copy';
      status.textContent = '';
    }, 2000);
  });

  // A real <button> in each code block's bar, with a status line beside it.
  const enhance = () => {
    apply(stored());
    for (const bar of document.querySelectorAll('.code-block > .code-bar')) {
      if (bar.querySelector('.copy-button')) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-button';
      button.append('Copy', Object.assign(document.createElement('span'), { className: 'sr-only', textContent: ' code' }));
      const status = Object.assign(document.createElement('span'), { className: 'copy-status sr-only' });
      status.setAttribute('role', 'status');
      bar.append(status, button);
    }
  };
  enhance();
  // The dev server's live reload swaps in a new <body> without running this script again.
  new MutationObserver(enhance).observe(root, { childList: true });
})();
