/*
 * The pairing page: one self-contained HTML document (inline style and script, no external resource) that
 * opens an EventSource on `/v1/events` with the event token from its own URL and shows the live QR code
 * from `qr.updated`, then "Connected" with the phone number on `instance.connected`, or what went wrong.
 * The server renders the state at the moment the page is opened (the QR the session shows now, or
 * "Connected" when pairing is already done), so a page opened late neither waits for the next QR nor
 * waits forever for a connection that already happened; a connected page opens no stream at all.
 * It is served with a Content-Security-Policy that allows only this inline script and same-origin
 * connections, and `Referrer-Policy: no-referrer` so the token in the URL does not leak.
 */
const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; min-height: 100vh; display: flex; align-items: center;
    justify-content: center; background: #f4f6f5; color: #1b1f1d; }
  main { background: #fff; border-radius: 12px; padding: 32px; max-width: 420px; text-align: center;
    box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  h1 { font-size: 1.3rem; margin: 0 0 8px; }
  #qr { width: 264px; height: 264px; image-rendering: pixelated; margin: 16px auto; display: none; }
  #status { font-size: 1.05rem; margin: 12px 0 0; }
  #status[data-state="connected"] { color: #0a7d3b; font-weight: 600; }
  #status[data-state="error"] { color: #b3261e; }
  ol { text-align: left; font-size: .9rem; color: #4a524e; }`;

/** Runs in the browser. `data-state` on #status is what tests and styles key on. */
const SCRIPT = `
(function () {
  var qr = document.getElementById('qr');
  var status = document.getElementById('status');
  var phone = document.getElementById('phone');
  function show(state, text) { status.setAttribute('data-state', state); status.textContent = text; }
  var token = new URLSearchParams(location.search).get('token');
  if (status.getAttribute('data-state') === 'connected') return;
  if (!token) { show('error', 'This link has no token. Ask for a new pairing link.'); return; }
  var source = new EventSource('/v1/events?events=qr.updated,instance.connected,instance.disconnected&token=' + encodeURIComponent(token));
  var done = false;
  function data(e) { try { return JSON.parse(e.data).data || {}; } catch (err) { return {}; } }
  source.addEventListener('qr.updated', function (e) {
    if (done) return;
    qr.src = data(e).png_data_url; qr.style.display = 'block';
    show('qr', 'Scan this code with WhatsApp on your phone.');
  });
  source.addEventListener('instance.connected', function (e) {
    done = true; source.close(); qr.style.display = 'none';
    var number = data(e).phone_number;
    phone.textContent = number ? '+' + number : '';
    show('connected', 'Connected' + (number ? ' as +' + number : '') + '. You can close this page.');
  });
  source.addEventListener('instance.disconnected', function (e) {
    done = true; source.close(); qr.style.display = 'none';
    show('error', 'The pairing ended (' + (data(e).reason || 'disconnected') + '). Ask for a new pairing link.');
  });
  source.onerror = function () {
    if (done) return;
    if (source.readyState === EventSource.CLOSED) {
      show('error', 'This pairing link is invalid or has expired. Ask for a new one.');
    } else { show('waiting', 'Connection lost; reconnecting…'); }
  };
  source.onopen = function () { if (!done && status.getAttribute('data-state') !== 'qr') show('waiting', 'Waiting for the QR code…'); };
})();`;

export const PAIRING_PAGE_SCRIPT = SCRIPT;

/** The instance's state when the page is opened; absent, the page waits for the stream. */
export type PairingPageInitial =
  | { readonly state: 'connected'; readonly phoneNumber: string | null }
  | { readonly state: 'qr'; readonly pngDataUrl: string }
  | { readonly state: 'waiting' };

export function renderPairingPage(options: { readonly error?: string; readonly initial?: PairingPageInitial } = {}): string {
  const body =
    options.error === undefined
      ? `<p>Link this phone number to WhatIsUp.</p>
    ${initialMarkup(options.initial ?? { state: 'waiting' })}
    <ol><li>Open WhatsApp on your phone.</li><li>Settings → Linked devices → Link a device.</li><li>Point the camera at the code.</li></ol>
    <script>${SCRIPT}</script>`
      : `<p id="status" data-state="error" role="alert">${escapeHtml(options.error)}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Pair WhatsApp · WhatIsUp</title><style>${STYLE}</style></head>
<body><main><h1>Pair WhatsApp</h1>
    ${body}
</main></body></html>`;
}

function initialMarkup(initial: PairingPageInitial): string {
  switch (initial.state) {
    case 'connected': {
      const number = initial.phoneNumber === null ? '' : `+${escapeHtml(initial.phoneNumber)}`;
      const as = number === '' ? '' : ` as ${number}`;
      return `<img id="qr" alt="WhatsApp pairing QR code">
    <p id="status" data-state="connected" role="status" aria-live="polite">Connected${as}. You can close this page.</p>
    <p id="phone">${number}</p>`;
    }
    case 'qr':
      return `<img id="qr" alt="WhatsApp pairing QR code" src="${escapeHtml(initial.pngDataUrl)}" style="display: block">
    <p id="status" data-state="qr" role="status" aria-live="polite">Scan this code with WhatsApp on your phone.</p>
    <p id="phone"></p>`;
    case 'waiting':
      return `<img id="qr" alt="WhatsApp pairing QR code">
    <p id="status" data-state="waiting" role="status" aria-live="polite">Connecting…</p>
    <p id="phone"></p>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
