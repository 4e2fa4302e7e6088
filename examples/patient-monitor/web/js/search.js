// Live patient search by name, CPF or MRN: debounced, keyboard navigable (arrow keys move
// through the results, Escape closes them).

import { byId, h, replace, debounce } from './dom.js';
import { maskCpf } from './labels.js';
import * as api from './api.js';

export function setupSearch({ open }) {
  const input = byId('search-input');
  const list = byId('search-results');
  const status = byId('search-status');
  let seq = 0;

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); };

  const run = debounce(async () => {
    const q = input.value.trim();
    if (!q) { close(); status.textContent = ''; return; }
    const mine = ++seq;
    let found;
    try { found = await api.patients.search(q); } catch (e) { found = []; status.textContent = e.message; }
    if (mine !== seq) return; // a newer search is under way
    replace(list, found.length
      ? found.slice(0, 20).map((p) => h('li', {}, h('a', { href: `#/patient/${p.id}`, 'data-patient': p.id, onclick: close },
        h('strong', { text: p.name }), ' ', h('span', { class: 'muted small', text: `${p.mrn} · CPF ${maskCpf(p.cpf)} · ${p.ward}` }))))
      : h('li', { class: 'none', text: `No patient matches “${q}”.` }));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = `${found.length} patient${found.length === 1 ? '' : 's'} found`;
  }, 250);

  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { list.querySelector('a')?.focus(); e.preventDefault(); }
    if (e.key === 'Escape') { close(); }
    if (e.key === 'Enter') { const a = list.querySelector('a'); if (a && !list.hidden) { a.click(); location.hash = a.getAttribute('href'); } }
  });
  list.addEventListener('keydown', (e) => {
    const links = [...list.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') { links[Math.min(i + 1, links.length - 1)]?.focus(); e.preventDefault(); }
    if (e.key === 'ArrowUp') { (i <= 0 ? input : links[i - 1]).focus(); e.preventDefault(); }
    if (e.key === 'Escape') { close(); input.focus(); }
  });
  document.addEventListener('click', (e) => { if (!e.target.closest('.search')) close(); });
  return { clear() { input.value = ''; close(); } };
}
