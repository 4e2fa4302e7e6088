// The live event stream: one WebSocket to /ws?after=<last id>. The server replays what we
// missed after that id, then streams; on a drop we reconnect with backoff from the last id we
// applied, so nothing is lost and nothing is applied twice (ids only go up).

/** Connection states shown to the user. */
export const STATES = { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };

export class LiveStream {
  /**
   * @param {object} o
   * @param {(event: object) => void} o.onEvent  each event, once, in id order
   * @param {(msg: object) => void} o.onSnapshot  a full snapshot (the server's answer when we are too far behind)
   * @param {(state: string, detail?: string) => void} o.onState
   */
  constructor({ onEvent, onSnapshot, onState }) {
    this.onEvent = onEvent;
    this.onSnapshot = onSnapshot;
    this.onState = onState;
    this.lastId = null;
    this.socket = null;
    this.failures = 0;
    this.stopped = true;
    this.timer = null;
    this.state = 'offline';
    this.held = false; // test hook: keep the connection down
  }

  start(lastId = null) {
    this.stopped = false;
    this.lastId = lastId;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'signed out');
    this.socket = null;
    this.setState('offline');
  }

  /** Drops the connection as a network failure would (for tests and the reconnect button). */
  drop({ hold = false } = {}) {
    this.held = hold;
    this.socket?.close(4000, 'dropped by the client');
  }

  release() {
    this.held = false;
    if (!this.socket && !this.stopped) this.connect();
  }

  setState(state, detail) {
    this.state = state;
    this.onState(state, detail);
  }

  connect() {
    clearTimeout(this.timer);
    if (this.stopped || this.held) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = this.lastId === null ? '' : `?after=${this.lastId}`;
    const ws = new WebSocket(`${proto}//${location.host}/ws${q}`);
    this.socket = ws;
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (m) => this.receive(m.data);
    ws.onclose = (c) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.stopped) return;
      if (!opened) this.failures += 1;
      else this.failures = Math.max(this.failures, 1);
      // A first failed attempt is "reconnecting"; several in a row is "offline", still retrying.
      this.setState(this.failures >= 4 || !navigator.onLine ? 'offline' : 'reconnecting', c.reason);
      const delay = Math.min(10_000, 400 * 2 ** Math.min(this.failures, 5)) * (0.75 + Math.random() * 0.5);
      this.timer = setTimeout(() => this.connect(), this.held ? 1e9 : delay);
    };
  }

  receive(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    switch (msg.kind) {
      case 'event': {
        const e = msg.event;
        if (this.lastId !== null && e.id <= this.lastId) return; // already applied
        this.lastId = e.id;
        this.onEvent(e);
        break;
      }
      case 'hello':
        // Replay done: from here on the stream is live.
        if (this.lastId === null || msg.last_event_id > this.lastId) this.lastId = msg.last_event_id;
        this.failures = 0;
        this.setState('live');
        break;
      case 'snapshot':
        this.lastId = msg.last_event_id;
        this.onSnapshot(msg);
        this.failures = 0;
        this.setState('live');
        break;
      case 'heartbeat':
        if (this.state !== 'live') this.setState('live');
        this.socket?.send(JSON.stringify({ kind: 'pong' }));
        break;
      default:
        break;
    }
  }
}
