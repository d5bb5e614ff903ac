// The baseline the benchmark compares against: the same highlighting written the plain
// way, in page JavaScript — a MutationObserver that, for EVERY mutation record, finds the
// Chat History table by its header names and re-reads and re-marks every row with
// querySelectorAll. It runs in a page without the extension (page.evaluate) and keeps
// its own main-thread time in window.__naive.busy (ms), measured with performance.now()
// exactly as the extension's observer measures itself.

/** Installs the naive highlighter into the page it is evaluated in. Self-contained. */
export function installNaive() {
  const blank = (s) => /^[\s\u00a0\u200b]*$|^[\s\u00a0]*[-\u2013\u2014][\s\u00a0]*$/.test(s) || /^\s*n\/a\s*$/i.test(s);
  const norm = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  function findTable() {
    for (const t of document.querySelectorAll('table')) {
      const heads = [...t.querySelectorAll('thead th')].map((th) => norm(th.textContent));
      if (heads.includes('operator') && heads.includes('duration')) return { t, heads };
    }
    return null;
  }
  function rescan() {
    const found = findTable();
    if (!found) return;
    const op = found.heads.indexOf('operator');
    const du = found.heads.indexOf('duration');
    for (const tr of found.t.querySelectorAll('tbody tr')) {
      const o = tr.cells[op]?.textContent;
      const d = tr.cells[du]?.textContent;
      let state = null;
      if (o != null && d != null) {
        const ho = !blank(o);
        const hd = !blank(d);
        if (hd && !/\d/.test(d)) state = null;
        else if (!ho && !hd) state = 'new';
        else if (ho && !hd) state = 'ongoing';
        else if (ho && hd) state = 'completed';
      }
      if (state) {
        if (tr.getAttribute('data-lh3-chat-state') !== state) tr.setAttribute('data-lh3-chat-state', state);
        if (tr.hasAttribute('data-lh3-unreadable')) tr.removeAttribute('data-lh3-unreadable');
      } else {
        if (tr.hasAttribute('data-lh3-chat-state')) tr.removeAttribute('data-lh3-chat-state');
        if (!tr.hasAttribute('data-lh3-unreadable')) tr.setAttribute('data-lh3-unreadable', 'true');
      }
    }
  }
  const stats = { busy: 0, callbacks: 0, records: 0, flushes: 0 };
  window.__naive = stats;
  new MutationObserver((records) => {
    const t0 = performance.now();
    for (const _r of records) {
      rescan();
      stats.flushes++;
    }
    stats.records += records.length;
    stats.callbacks++;
    stats.busy += performance.now() - t0;
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  const t0 = performance.now();
  rescan();
  stats.busy += performance.now() - t0;
  return true;
}
