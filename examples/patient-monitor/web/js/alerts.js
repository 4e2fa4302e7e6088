// Toasts and the ARIA live regions. A critical alert is announced assertively (role=alert)
// and raises a toast that stays until dismissed or 12 s pass; other updates are polite.

import { byId, h } from './dom.js';

export function announce(text, { assertive = false } = {}) {
  const region = byId(assertive ? 'announce-alert' : 'announce-polite');
  // Clear first so the same text twice is announced twice.
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

export function toast(title, body, { kind = 'alert', href, ttl = 12_000 } = {}) {
  const box = byId('toasts');
  const el = h('div', { class: `toast ${kind === 'alert' ? '' : 'info'}`.trim(), 'data-testid': 'toast' },
    h('span', { 'aria-hidden': 'true', text: kind === 'alert' ? '⚠' : 'ℹ' }),
    h('div', {}, h('strong', { text: title }), href ? h('a', { href, style: 'color:#fff', text: body }) : h('span', { text: body })),
    h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '✕'));
  box.append(el);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(() => el.remove(), ttl);
  return el;
}

/** Raises a critical alert: toast + assertive announcement. */
export function criticalAlert(title, body, href) {
  toast(title, body, { href });
  announce(`${title}. ${body}`, { assertive: true });
}
