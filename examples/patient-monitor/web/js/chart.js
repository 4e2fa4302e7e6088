// A small SVG time-series chart: one line, its points marked by status, optional shaded
// bands (the NEWS2 risk bands or a vital's warning and critical ranges), the latest value
// written out. The SVG is an image with a text summary; the numbers are also in a table.

import { s } from './dom.js';

const W = 360, H = 150, PAD = { l: 34, r: 44, t: 10, b: 22 };

/**
 * @param {object} o
 * @param {string} o.title
 * @param {string} o.unit
 * @param {{t: Date, v: number, status?: string}[]} o.points  oldest first
 * @param {[number, number]} o.range  the y range to show at least
 * @param {{from: number, to: number, cls: string}[]} [o.bands]
 * @param {(v: number) => string} [o.format]
 */
export function timeSeries({ title, unit, points, range, bands = [], format = (v) => String(v) }) {
  const pts = points.filter((p) => Number.isFinite(p.v) && p.t instanceof Date && !Number.isNaN(p.t.getTime()));
  let [lo, hi] = range;
  for (const p of pts) { lo = Math.min(lo, p.v); hi = Math.max(hi, p.v); }
  if (hi === lo) hi = lo + 1;
  const t0 = pts.length ? pts[0].t.getTime() : Date.now() - 60_000;
  let t1 = pts.length ? pts[pts.length - 1].t.getTime() : Date.now();
  if (t1 <= t0) t1 = t0 + 60_000;
  const x = (t) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v) => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);

  const last = pts[pts.length - 1];
  const summary = pts.length
    ? `${title}: ${pts.length} readings; latest ${format(last.v)} ${unit} at ${last.t.toLocaleTimeString()}; range ${format(Math.min(...pts.map((p) => p.v)))} to ${format(Math.max(...pts.map((p) => p.v)))} ${unit}.`
    : `${title}: no readings yet.`;

  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, preserveAspectRatio: 'xMidYMid meet' },
    s('title', { text: summary }));
  for (const b of bands) {
    const top = y(Math.min(hi, b.to)), bottom = y(Math.max(lo, b.from));
    if (bottom > top) svg.append(s('rect', { class: b.cls, x: PAD.l, y: top, width: W - PAD.l - PAD.r, height: bottom - top }));
  }
  // Horizontal grid with 4 ticks.
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    svg.append(s('line', { class: 'grid', x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }));
    svg.append(s('text', { x: PAD.l - 4, y: y(v) + 4, 'text-anchor': 'end', text: format(Math.round(v * 10) / 10) }));
  }
  svg.append(s('line', { class: 'axis', x1: PAD.l, x2: PAD.l, y1: PAD.t, y2: H - PAD.b }));
  svg.append(s('line', { class: 'axis', x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b }));
  if (pts.length) {
    const fmtT = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    svg.append(s('text', { x: PAD.l, y: H - 6, text: fmtT(t0) }));
    svg.append(s('text', { x: W - PAD.r, y: H - 6, 'text-anchor': 'end', text: fmtT(t1) }));
    if (pts.length > 1) {
      svg.append(s('polyline', { class: 'line', points: pts.map((p) => `${x(p.t.getTime()).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
    }
    for (const p of pts) {
      svg.append(s('circle', { class: `pt${p.status && p.status !== 'normal' ? ` pt-${p.status}` : ''}`, cx: x(p.t.getTime()).toFixed(1), cy: y(p.v).toFixed(1), r: p.status === 'critical' ? 4.5 : 3.2 }));
    }
    svg.append(s('text', { class: 'last', x: W - PAD.r + 4, y: y(last.v) + 4, text: format(last.v) }));
  } else {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', text: 'no readings yet' }));
  }
  return svg;
}

/** The NEWS2 risk bands for the total's chart. */
export const NEWS2_BANDS = [
  { from: 0, to: 4.5, cls: 'band-low' },
  { from: 4.5, to: 6.5, cls: 'band-medium' },
  { from: 6.5, to: 20, cls: 'band-high' },
];

/** Warning and critical ranges of the default classification profile (display only). */
export const VITAL_CHARTS = [
  { key: 'respiration_rate', title: 'Respiration rate', unit: '/min', range: [8, 28],
    bands: [{ from: -1, to: 8.5, cls: 'band-critical' }, { from: 8.5, to: 11.5, cls: 'band-warning' }, { from: 20.5, to: 24.5, cls: 'band-warning' }, { from: 24.5, to: 100, cls: 'band-critical' }] },
  { key: 'spo2', title: 'SpO₂', unit: '%', range: [88, 100],
    bands: [{ from: -1, to: 91.5, cls: 'band-critical' }, { from: 91.5, to: 95.5, cls: 'band-warning' }] },
  { key: 'systolic_bp', title: 'Systolic BP', unit: 'mmHg', range: [90, 160],
    bands: [{ from: -1, to: 90.5, cls: 'band-critical' }, { from: 90.5, to: 110.5, cls: 'band-warning' }, { from: 219.5, to: 400, cls: 'band-critical' }] },
  { key: 'pulse', title: 'Pulse', unit: '/min', range: [50, 120],
    bands: [{ from: -1, to: 40.5, cls: 'band-critical' }, { from: 40.5, to: 50.5, cls: 'band-warning' }, { from: 90.5, to: 130.5, cls: 'band-warning' }, { from: 130.5, to: 400, cls: 'band-critical' }] },
  { key: 'temperature', title: 'Temperature', unit: '°C', range: [35.5, 39], format: (v) => v.toFixed(1),
    bands: [{ from: 0, to: 35.05, cls: 'band-critical' }, { from: 35.05, to: 36.05, cls: 'band-warning' }, { from: 38.05, to: 50, cls: 'band-warning' }] },
];
