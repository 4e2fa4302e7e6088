// The activity log: every event the user may see, as it arrives, newest first.

import { h } from './dom.js';
import { describeEvent, isAlertEvent, time } from './labels.js';

const MAX = 500;

export function activityItem(e, names, { compact = false } = {}) {
  const cls = isAlertEvent(e.type) ? 'ev-alert' : '';
  return h('li', { class: cls, 'data-event': e.id, 'data-type': e.type, 'data-patient': e.patient_id ?? '' },
    h('span', { class: 'ev-id', text: compact ? time(e.at) : `#${e.id}` }),
    compact ? null : h('span', { text: time(e.at) }),
    h('span', {}, h('span', { class: 'kind', text: compact ? '' : `${e.type} ` }), describeEvent(e, names)));
}

export class ActivityLog {
  constructor(full, side, names) {
    this.full = full; this.side = side; this.names = names; this.seen = new Set();
  }
  clear() { this.full.replaceChildren(); this.side.replaceChildren(); this.seen.clear(); }
  add(e) {
    if (this.seen.has(e.id)) return;
    this.seen.add(e.id);
    this.full.prepend(activityItem(e, this.names));
    this.side.prepend(activityItem(e, this.names, { compact: true }));
    while (this.full.children.length > MAX) this.full.lastElementChild.remove();
    while (this.side.children.length > 40) this.side.lastElementChild.remove();
  }
}
