/**
 * The dashboard's live updates, served at `/assets/live.js`: it listens to
 * `GET /_sandbox/events` and, a moment after changes, fetches the same page (same filters)
 * and swaps every `[data-live]` region whose content changed. Without JavaScript the pages
 * still work; they just do not update themselves.
 */
export const LIVE_SCRIPT = `'use strict';
(() => {
  const status = document.getElementById('live-status');
  const say = (text) => { if (status) status.textContent = text; };
  let timer;
  // The first connection may come after a change the page was rendered without.
  let missed = true;
  async function refresh() {
    try {
      const res = await fetch(location.href, { headers: { accept: 'text/html', 'x-pasis-live': '1' }, cache: 'no-store' });
      if (!res.ok) return;
      const next = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const region of document.querySelectorAll('[data-live]')) {
        const fresh = next.getElementById(region.id);
        if (fresh && fresh.innerHTML !== region.innerHTML) region.replaceWith(fresh);
      }
      say('Live: updated ' + new Date().toLocaleTimeString());
    } catch {
      say('Live: could not refresh, will try again');
    }
  }
  const soon = () => { clearTimeout(timer); timer = setTimeout(refresh, 150); };
  if (!('EventSource' in window)) { setInterval(refresh, 2000); say('Live (polling every 2 s)'); return; }
  const events = new EventSource('/_sandbox/events');
  events.addEventListener('ready', () => {
    say('Live');
    // Connected after the page was rendered, or reconnected after the sandbox restarted:
    // whatever happened meanwhile was not streamed.
    if (missed) soon();
    missed = false;
  });
  events.addEventListener('change', soon);
  events.addEventListener('error', () => { missed = true; say('Reconnecting to the sandbox…'); });
})();
`;
