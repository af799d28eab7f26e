/// <reference lib="dom" />
/**
 * The service graph: namespaces (from the namespace matrix of GET /flows/stats, complete for
 * the range) or workloads (from the newest flow records, capped and labelled as a sample), with
 * allowed edges in green and denied edges in red. Nodes sit on a circle grouped by namespace;
 * hovering an edge gives its counts. SVG, no layout library.
 */
import { apiGet } from './api-client.ts';
import { el, formatBytes, replaceChildren, svg } from './dom.ts';
import { apiParams } from './filters.ts';
import type { Completeness } from '../../contract/api/completeness.ts';
import type { FlowPage, MatrixCell } from './flow-types.ts';
import type { ViewFactory } from './view.ts';

/** A directed edge with its allowed and denied counts. */
interface Edge { from: string; to: string; allowed: number; denied: number; bytes: number }

const WORKLOAD_SAMPLE = 1_000;
const OUTSIDE = '(outside)';

function circleLayout(nodes: string[], width: number, height: number): Map<string, { x: number; y: number }> {
  const cx = width / 2;
  const cy = height / 2;
  // Room outside the circle for the labels, which run outward from each node.
  const r = Math.min(width, height) / 2 - 70;
  return new Map(nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, nodes.length) - Math.PI / 2;
    return [n, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) }];
  }));
}

/** A loop for traffic inside one node, pointing away from the centre so it stays outside the circle. */
function selfLoop(p: { x: number; y: number }, cx: number, cy: number, size: number): string {
  const d = Math.hypot(p.x - cx, p.y - cy) || 1;
  const ux = (p.x - cx) / d;
  const uy = (p.y - cy) / d;
  const [px, py] = [-uy, ux];
  const c1 = `${p.x + ux * size + px * size * 0.7} ${p.y + uy * size + py * size * 0.7}`;
  const c2 = `${p.x + ux * size - px * size * 0.7} ${p.y + uy * size - py * size * 0.7}`;
  return `M ${p.x + px * 12} ${p.y + py * 12} C ${c1} ${c2} ${p.x - px * 12} ${p.y - py * 12}`;
}

/** Where a node's label goes: outside the circle, anchored away from the centre so labels never cross it. */
function labelPlacement(p: { x: number; y: number }, cx: number, cy: number): { x: number; y: number; anchor: 'start' | 'middle' | 'end' } {
  const d = Math.hypot(p.x - cx, p.y - cy) || 1;
  const ux = (p.x - cx) / d;
  const uy = (p.y - cy) / d;
  return { x: p.x + ux * 22, y: p.y + uy * 22 + 4, anchor: ux > 0.25 ? 'start' : ux < -0.25 ? 'end' : 'middle' };
}

/** The point halfway along a quadratic curve A → (control C) → B, where its weight label goes. */
function curveMiddle(a: { x: number; y: number }, c: { x: number; y: number }, b: { x: number; y: number }): { x: number; y: number } {
  return { x: 0.25 * a.x + 0.5 * c.x + 0.25 * b.x, y: 0.25 * a.y + 0.5 * c.y + 0.25 * b.y };
}

/** Longest node label drawn; the full name is in the node's tooltip. */
const LABEL_MAX = 28;

function draw(edges: Edge[]): SVGElement {
  // Wide enough for workload labels (namespace/name) left and right of the circle.
  const width = 1200;
  const height = 720;
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const at = circleLayout(nodes, width, height);
  // Arrowheads in user-space units stay one size whatever the edge width; refX puts the tip on the node's rim.
  const marker = (id: string, color: string): SVGElement => svg('marker', { id, viewBox: '0 0 10 10', refX: 24, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: color }));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'graph', role: 'img', 'aria-label': 'service graph' },
    svg('defs', {}, marker('arrow-allow', '#2e7d32'), marker('arrow-deny', '#c62828')));
  const maxCount = Math.max(1, ...edges.map((e) => e.allowed + e.denied));
  const weights: SVGElement[] = [];
  for (const e of edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    for (const kind of ['allow', 'deny'] as const) {
      const count = kind === 'allow' ? e.allowed : e.denied;
      if (count === 0) continue;
      // Allowed and denied edges between the same pair bend to opposite sides so both stay visible.
      const bend = (kind === 'allow' ? 1 : -1) * (e.allowed > 0 && e.denied > 0 ? 30 : 12);
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      const control = { x: mx - (dy / len) * bend, y: my + (dx / len) * bend };
      const path = e.from === e.to ? selfLoop(a, width / 2, height / 2, kind === 'allow' ? 60 : 95) : `M ${a.x} ${a.y} Q ${control.x} ${control.y} ${b.x} ${b.y}`;
      root.append(svg('path', {
        d: path, class: `edge edge-${kind}`, 'marker-end': `url(#arrow-${kind})`, 'stroke-width': 1.5 + 4 * (count / maxCount),
        'data-from': e.from, 'data-to': e.to,
      }, svg('title', {}, `${e.from} → ${e.to}: ${count} ${kind === 'allow' ? 'allowed' : 'denied'} flow records${kind === 'allow' ? `, ${formatBytes(e.bytes)}` : ''}`)));
      // The weight in numbers on the edge (line width alone does not say how many).
      if (e.from !== e.to) {
        const at = curveMiddle(a, control, b);
        weights.push(svg('text', { x: at.x, y: at.y + 4, 'text-anchor': 'middle', class: `edge-weight edge-weight-${kind}`, 'data-from': e.from, 'data-to': e.to }, String(count)));
      }
    }
  }
  // Weights above every edge, nodes above everything.
  root.append(...weights);
  for (const n of nodes) {
    const p = at.get(n);
    if (!p) continue;
    const denies = edges.some((e) => (e.to === n || e.from === n) && e.denied > 0);
    const label = labelPlacement(p, width / 2, height / 2);
    root.append(svg('g', { class: `node${denies ? ' node-denied' : ''}`, 'data-node': n },
      svg('title', {}, n),
      svg('circle', { cx: p.x, cy: p.y, r: 14 }),
      svg('text', { x: label.x, y: label.y, 'text-anchor': label.anchor, class: 'node-label' }, n.length > LABEL_MAX ? `${n.slice(0, LABEL_MAX - 1)}…` : n)));
  }
  return root;
}

export const graphView: ViewFactory = (root, ctx) => {
  const saved = sessionStorage.getItem('segflow.graph') === 'workloads' ? 'workloads' : 'namespaces';
  const mode = el('select', { name: 'graph-mode' }, el('option', { value: 'namespaces', selected: saved === 'namespaces' }, 'namespaces'), el('option', { value: 'workloads', selected: saved === 'workloads' }, 'workloads'));
  const status = el('span', { class: 'status' }, 'loading…');
  const canvas = el('div', { class: 'graph-canvas', 'data-testid': 'graph' });
  const legend = el('p', { class: 'legend' }, el('span', { class: 'swatch allow' }), ' allowed ', el('span', { class: 'swatch deny' }), ' denied · line width = flow records · hover an edge for counts');
  replaceChildren(root, el('div', { class: 'toolbar' }, el('label', {}, 'Show ', mode), status), canvas, legend);
  let disposed = false;

  const load = async (): Promise<void> => {
    status.textContent = 'loading…';
    sessionStorage.setItem('segflow.graph', mode.value);
    try {
      let edges: Edge[];
      if (mode.value === 'namespaces') {
        const stats = await apiGet<{ namespace_matrix?: { cells: MatrixCell[]; truncated: boolean }; completeness?: Completeness }>('/flows/stats', { ...apiParams(ctx.filters), view: 'namespace_matrix' });
        if (!disposed) ctx.showCompleteness(stats.completeness);
        const cells = stats.namespace_matrix?.cells ?? [];
        edges = cells.map((c) => ({ from: c.source ?? OUTSIDE, to: c.destination ?? OUTSIDE, allowed: c.flows - c.denied, denied: c.denied, bytes: c.bytes }));
        status.textContent = `${edges.length} namespace pairs${stats.namespace_matrix?.truncated ? ' (truncated)' : ''}, one report per connection`;
      } else {
        const byPair = new Map<string, Edge>();
        let cursor: string | null = null;
        let read = 0;
        let total: number | undefined;
        do {
          const page: FlowPage = await apiGet<FlowPage>('/flows', cursor ? { cursor } : { ...apiParams(ctx.filters), limit: 500, fields: 'segflow.source,segflow.destination,segflow.verdict,network.bytes,source.ip,destination.ip' });
          if (cursor === null && !disposed) ctx.showCompleteness(page.completeness);
          total ??= page.total?.value;
          for (const d of page.flows) {
            const s = d.segflow?.source;
            const t = d.segflow?.destination;
            const from = s?.namespace ? `${s.namespace}/${s.aggregated_name ?? s.name ?? '?'}` : s?.aggregated_name ?? d.source?.ip ?? OUTSIDE;
            const to = t?.namespace ? `${t.namespace}/${t.aggregated_name ?? t.name ?? '?'}` : t?.aggregated_name ?? d.destination?.ip ?? OUTSIDE;
            const key = `${from}\u0000${to}`;
            const edge = byPair.get(key) ?? { from, to, allowed: 0, denied: 0, bytes: 0 };
            if (d.segflow?.verdict === 'deny') edge.denied++;
            else edge.allowed++;
            edge.bytes += d.network?.bytes ?? 0;
            byPair.set(key, edge);
          }
          read += page.flows.length;
          cursor = page.next_cursor;
        } while (cursor !== null && read < WORKLOAD_SAMPLE && !disposed);
        edges = [...byPair.values()];
        status.textContent = `${edges.length} workload pairs from ${read === total ? 'all' : `the newest ${read} of ${total ?? '?'}`} flow records`;
      }
      if (disposed) return;
      ctx.showError(null);
      replaceChildren(canvas, edges.length > 0 ? draw(edges) : el('p', { class: 'muted empty' }, 'No flows match these filters in this time range.'));
    } catch (err) {
      if (!disposed) ctx.showError(err);
    }
  };
  mode.addEventListener('change', () => void load());
  void load();
  return { dispose: () => { disposed = true; } };
};
