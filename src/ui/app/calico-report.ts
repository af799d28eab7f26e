/// <reference lib="dom" />
/**
 * What Calico itself reported for a flow read from Goldmane, shown above segflow's own traces in
 * a flow's detail: Calico's action and enforced/pending traces as Calico sent them, and whether
 * segflow's evaluation agrees (with the reason when it does not, or could not evaluate).
 */
import { el } from './dom.ts';
import type { FlowDocument } from './flow-types.ts';

export function calicoReport(doc: FlowDocument): HTMLElement | null {
  const c = doc.segflow?.calico;
  if (doc.segflow?.capture_source !== 'goldmane' || !c) return null;
  const trace = (label: string, hits: string[] | undefined): HTMLElement | null =>
    hits && hits.length > 0 ? el('div', {}, el('span', { class: 'muted' }, `${label}: `), el('code', {}, hits.join('  →  '))) : null;
  const verdict = c.evaluation === 'agrees' ? 'segflow agrees' : c.evaluation === 'disagrees' ? `segflow disagrees: ${c.disagreement_reason ?? ''}` : `not evaluated: ${c.disagreement_reason ?? ''}`;
  return el('div', { class: `calico-report${c.disagreement ? ' disagreement' : ''}`, 'data-testid': 'calico-report' },
    el('div', {}, el('strong', {}, `Calico (Goldmane${c.source ? ` ${c.source}` : ''}) reported ${c.action ?? '?'} at the ${doc.segflow?.reporter === 'src' ? 'source' : 'destination'}`), ' — ', verdict),
    trace('enforced', c.enforced_str),
    trace('pending', c.pending_str),
    el('div', { class: 'muted small' }, 'Goldmane reports no IP addresses and no source ports.'),
  );
}
