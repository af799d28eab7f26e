/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The flow table: GET /flows with the shared filters, newest first, one row per flow document;
 * a row opens the policy trace of both sides. "Live" re-reads the first page every few seconds
 * (the API reads each query from a fresh point in time, so new flows appear at the top).
 */
import { apiGet } from './api-client.ts';
import { el, endpointLabel, formatBytes, formatTime, replaceChildren, verdictBadge } from './dom.ts';
import { calicoReport } from './calico-report.ts';
import { apiParams } from './filters.ts';
import type { FlowDocument, FlowPage } from './flow-types.ts';
import { renderStoredTraces } from './policy-trace.ts';
import type { ViewFactory } from './view.ts';

/** How often "Live" refreshes. */
export const LIVE_INTERVAL_MS = 5_000;
const PAGE_SIZE = 100;

function endpointCell(flowSide: 'source' | 'destination', doc: FlowDocument, onPick: (name: string) => void): HTMLElement {
  const e = doc.segflow?.[flowSide];
  const ip = doc[flowSide]?.ip;
  const name = e?.name ?? e?.aggregated_name ?? ip ?? '?';
  const aggregated = e?.aggregated_name;
  return el('td', { class: 'endpoint' },
    aggregated
      ? el('button', { type: 'button', class: 'link', title: `filter on ${aggregated}`, onclick: (ev: Event) => { ev.stopPropagation(); onPick(aggregated); } }, endpointLabel(e?.namespace, name))
      : endpointLabel(e?.namespace, name),
    ip && ip !== name ? el('div', { class: 'muted small' }, ip) : null,
  );
}

export const flowsView: ViewFactory = (root, ctx) => {
  const status = el('span', { class: 'status' }, 'loading…');
  const live = el('input', { type: 'checkbox', checked: true, id: 'live-toggle' });
  const body = el('tbody');
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const table = el('table', { class: 'flows', 'data-testid': 'flow-table' },
    el('thead', {}, el('tr', {}, ...['Time', 'Source', 'Destination', 'Port', 'Verdict', 'Deciding policy', 'Bytes', 'Reporter'].map((h) => el('th', {}, h)))),
    body);
  replaceChildren(root, el('div', { class: 'toolbar' }, status, el('label', { class: 'live' }, live, ' Live')), table, more);

  let cursor: string | null = null;
  let expanded: string | undefined;
  let disposed = false;
  let loading = false;
  let paged = false;

  const row = (doc: FlowDocument): HTMLElement[] => {
    const tr = el('tr', { class: `flow verdict-row-${doc.segflow?.verdict ?? 'unknown'}`, 'data-flow-id': doc.id, tabindex: 0 },
      el('td', { class: 'time' }, formatTime(doc['@timestamp'])),
      endpointCell('source', doc, (name) => ctx.setFilters({ ...ctx.filters, source: name })),
      endpointCell('destination', doc, (name) => ctx.setFilters({ ...ctx.filters, destination: name })),
      el('td', {}, doc.destination?.port !== undefined ? `${doc.destination.port}/${doc.network?.transport ?? ''}` : doc.network?.transport ?? ''),
      el('td', {}, verdictBadge(doc.segflow?.verdict)),
      el('td', { class: 'policy' }, doc.rule?.name ? `${doc.rule.ruleset ? `${doc.rule.ruleset} → ` : ''}${doc.rule.name}` : ''),
      el('td', { class: 'num' }, formatBytes(doc.network?.bytes)),
      el('td', {}, doc.segflow?.reporter ?? '', doc.segflow?.capture_source === 'goldmane' ? el('span', { class: 'muted small', title: 'reported by Calico through Goldmane' }, ' · calico') : null,
        doc.segflow?.calico?.disagreement ? el('span', { class: 'badge deny', title: doc.segflow.calico.disagreement_reason ?? '' }, ' ≠ segflow') : null),
    );
    const detail = el('tr', { class: 'detail', hidden: expanded !== doc.id }, el('td', { colspan: 8 }, calicoReport(doc), renderStoredTraces(doc.segflow?.policy, doc.rule)));
    const toggle = (): void => {
      expanded = detail.hidden ? doc.id : undefined;
      for (const other of body.querySelectorAll<HTMLTableRowElement>('tr.detail')) if (other !== detail) other.hidden = true;
      detail.hidden = !detail.hidden;
    };
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') toggle(); });
    return [tr, detail];
  };

  const load = async (append: boolean): Promise<void> => {
    if (loading) return;
    loading = true;
    try {
      const page = await apiGet<FlowPage>('/flows', append && cursor ? { cursor } : { ...apiParams(ctx.filters), limit: PAGE_SIZE });
      if (disposed) return;
      ctx.showError(null);
      if (!append) ctx.showCompleteness(page.completeness);
      if (!append) body.replaceChildren();
      for (const doc of page.flows) body.append(...row(doc));
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      const shown = body.querySelectorAll('tr.flow').length;
      const total = page.total ? `${page.total.relation === 'gte' ? '≥' : ''}${page.total.value}` : undefined;
      status.textContent = `${shown}${total !== undefined ? ` of ${total}` : ''} flow records · ${formatTime(page.range.from)} – ${formatTime(page.range.to)} · updated ${formatTime(new Date().toISOString())}`;
      if (shown === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted empty' }, 'No flows match these filters in this time range.')));
      ctx.suggest('namespace', page.flows.flatMap((d) => [d.segflow?.source?.namespace ?? '', d.segflow?.destination?.namespace ?? '']));
      ctx.suggest('source', page.flows.map((d) => d.segflow?.source?.aggregated_name ?? ''));
      ctx.suggest('destination', page.flows.map((d) => d.segflow?.destination?.aggregated_name ?? ''));
    } catch (err) {
      if (!disposed) ctx.showError(err);
    } finally {
      loading = false;
    }
  };

  more.addEventListener('click', () => {
    paged = true;
    void load(true);
  });
  // Live refresh re-reads page one; once the user pages further it would throw those rows away, so it waits.
  const timer = setInterval(() => {
    if (live.checked && !paged && !document.hidden) void load(false);
  }, LIVE_INTERVAL_MS);
  void load(false);
  return { dispose: () => { disposed = true; clearInterval(timer); } };
};
