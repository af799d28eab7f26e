/// <reference lib="dom" />
/**
 * Denied flows, grouped by the API (GET /denied): source, destination, port and the deciding
 * policy, newest first. Opening a group shows its explanation and the policy trace of both
 * sides of an example flow, tier → policy → rule, with the deciding rule marked.
 */
import { apiGet } from './api-client.ts';
import { el, endpointLabel, formatBytes, formatTime, replaceChildren } from './dom.ts';
import { apiParams } from './filters.ts';
import type { DeniedAnswer, DeniedGroup } from './flow-types.ts';
import { renderStoredTraces } from './policy-trace.ts';
import { ruleIdInWords } from './rule-words.ts';
import { fixAction } from './fix-panel.ts';
import type { ViewFactory } from './view.ts';

function groupItem(group: DeniedGroup, open: boolean): HTMLElement {
  const d = group.destination;
  const policy = group.policy.name ? `${group.policy.tier ? `${group.policy.tier} → ` : ''}${group.policy.name}${group.policy.rule ? ` → ${ruleIdInWords(group.policy.rule, group.policy.tier)}` : ''}` : 'no deciding policy recorded';
  const details = el('details', { class: 'denied-group', open, 'data-testid': 'denied-group' },
    el('summary', {},
      el('span', { class: 'pair' }, endpointLabel(group.source.namespace, group.source.name), ' → ', endpointLabel(d.namespace, d.name), d.port !== null ? `:${d.port}` : '', d.protocol ? `/${d.protocol}` : ''),
      el('span', { class: 'side badge' }, group.policy.side ?? '?'),
      el('span', { class: 'policy' }, policy),
      el('span', { class: 'count' }, `${group.flows} flow${group.flows === 1 ? '' : 's'}`, group.bytes ? ` · ${formatBytes(group.bytes)}` : ''),
      el('span', { class: 'muted small' }, 'last ', formatTime(group.last_seen)),
    ),
    el('div', { class: 'group-body' },
      el('p', { class: 'explanation' }, group.explanation),
      group.example ? renderStoredTraces(group.example.segflow?.policy, group.example.rule) : el('p', { class: 'muted' }, 'no example flow'),
      el('p', { class: 'muted small' }, `first seen ${formatTime(group.first_seen)}`),
      fixAction(group.example),
    ),
  );
  return details;
}

export const deniedView: ViewFactory = (root, ctx) => {
  const status = el('span', { class: 'status' }, 'loading…');
  const list = el('div', { class: 'denied-list' });
  replaceChildren(root, el('div', { class: 'toolbar' }, status), list);
  let disposed = false;
  void (async () => {
    try {
      const answer = await apiGet<DeniedAnswer>('/denied', { ...apiParams({ ...ctx.filters, verdict: '' }), limit: 200 });
      if (disposed) return;
      ctx.showError(null);
      ctx.showCompleteness(answer.completeness);
      status.textContent = `${answer.total_groups} denied connection group${answer.total_groups === 1 ? '' : 's'}${answer.truncated ? ' (truncated)' : ''} · ${answer.counting}`;
      list.replaceChildren(...answer.groups.map((g, i) => groupItem(g, answer.groups.length === 1 && i === 0)));
      if (answer.groups.length === 0) list.append(el('p', { class: 'muted empty' }, 'No denied flows match these filters in this time range.'));
      ctx.suggest('policy', answer.groups.map((g) => g.policy.name ?? ''));
    } catch (err) {
      if (!disposed) ctx.showError(err);
    }
  })();
  return { dispose: () => { disposed = true; } };
};
