// Presence: while a patient's page is open we hold a WebSocket to /ws/presence?patient=<id>;
// the server tells every viewer of that patient who is viewing it now.

export class PresenceWatch {
  constructor(patientId, onViewers) {
    this.patientId = patientId;
    this.onViewers = onViewers;
    this.closed = false;
    this.retry = 0;
    this.open();
  }

  open() {
    if (this.closed) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws/presence?patient=${this.patientId}`);
    this.ws = ws;
    ws.onmessage = (m) => {
      try {
        const msg = JSON.parse(m.data);
        if (msg.kind === 'presence' && msg.patient_id === this.patientId) { this.retry = 0; this.onViewers(msg.viewers); }
      } catch { /* ignore */ }
    };
    ws.onclose = () => {
      if (this.closed) return;
      this.onViewers(null);
      this.retry += 1;
      this.timer = setTimeout(() => this.open(), Math.min(10_000, 500 * 2 ** this.retry));
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'left the page');
  }
}
