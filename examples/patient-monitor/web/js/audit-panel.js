// The audit panel: the hash chain's verification, the audit entries (admins), and the raw
// events beside the read model (projection) each one updated.

import { byId, h, replace } from './dom.js';
import { dateTime, time } from './labels.js';
import * as api from './api.js';

export class AuditPanel {
  constructor({ model, getUser }) {
    this.model = model;
    this.getUser = getUser;
    this.events = [];
    byId('audit-verify').addEventListener('click', () => this.verify());
  }

  clear() { this.events = []; }

  /** Keeps the latest raw events (from the live stream). */
  add(e) {
    this.events.push(e);
    if (this.events.length > 300) this.events.shift();
    if (!byId('view-audit').hidden) this.renderEvents();
  }

  async show() {
    await Promise.all([this.verify(), this.loadEntries()]);
    this.renderEvents();
  }

  async verify() {
    const out = byId('audit-verification');
    out.className = 'verification';
    out.textContent = 'Verifying the hash chain…';
    try {
      const v = await api.audit.verify();
      out.classList.add(v.ok ? 'ok' : 'broken');
      out.dataset.ok = String(v.ok);
      out.textContent = v.ok
        ? `✔ Chain intact: ${v.entries} entries verified, every link and hash matches.`
        : `✖ Chain broken at entry ${v.first_broken} (${v.entries} checked)${v.reason ? `: ${v.reason}` : ''}.`;
    } catch (e) {
      out.classList.add('broken');
      out.textContent = `Verification failed: ${e.message}`;
    }
  }

  async loadEntries() {
    const body = byId('audit-entries').querySelector('tbody');
    if (this.getUser()?.role !== 'admin') {
      replace(body, h('tr', {}, h('td', { colspan: 7, class: 'muted', text: 'The full audit log is for administrators. Each patient\u2019s own trail is on the patient\u2019s page.' })));
      return;
    }
    let after = 0, all = [];
    for (let page = 0; page < 20; page++) {
      const r = await api.audit.entries(after);
      const entries = r.entries ?? [];
      all = all.concat(entries);
      if (entries.length < 500) break;
      after = entries[entries.length - 1].id;
    }
    replace(body, all.slice(-300).reverse().map((e) => h('tr', { 'data-audit': e.id },
      h('td', { class: 'num', text: e.id }), h('td', { text: dateTime(e.at) }), h('td', { text: `${e.actor} (${e.role})` }),
      h('td', { text: e.action }), h('td', { text: e.resource }), h('td', { text: e.outcome }),
      h('td', { class: 'hash', title: `prev ${e.prev_hash}`, text: `${e.hash.slice(0, 12)}…` }))));
  }

  renderEvents() {
    const list = byId('audit-events');
    replace(list, [...this.events].reverse().map((e) => h('li', {},
      h('button', { type: 'button', 'aria-pressed': 'false', 'data-event': e.id, onclick: (ev) => this.select(e, ev.currentTarget) },
        `#${e.id} ${time(e.at)} ${e.type}${e.patient_id ? ` · patient ${e.patient_id}` : ''}`))));
  }

  async select(e, button) {
    for (const b of byId('audit-events').querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-pressed', 'true');
    let projection = null;
    try {
      if (e.escalation_id) projection = { escalations: await api.escalations.get(e.escalation_id) };
      else if (e.patient_id) projection = { patients: this.model.records.get(e.patient_id) ?? null };
    } catch (err) {
      projection = { error: err.message };
    }
    byId('audit-projection').textContent =
      `// event #${e.id} (append-only store)\n${JSON.stringify(e, null, 2)}\n\n// read model now${projection ? '' : ': none (no patient or escalation)'}\n${projection ? JSON.stringify(projection, null, 2) : ''}`;
  }
}
