/// <reference lib="dom" />
/**
 * The completeness banner every data view shows above its results: "complete", or what is
 * missing from the data behind them (silent nodes, batches that never arrived, records the
 * agents dropped and why, enricher lag), from the answer's `completeness` object
 * (contract/api/completeness.ts). Hidden until a view has an answer.
 */
import type { Completeness } from '../../contract/api/completeness.ts';
import { el, replaceChildren } from './dom.ts';

/** The banner element and the call that fills it (undefined hides it). */
export interface CompletenessBanner {
  readonly element: HTMLElement;
  show(completeness: Completeness | undefined): void;
}

const percent = (ratio: number): string => `${(Math.floor(ratio * 1000) / 10).toFixed(1)} %`;

/** The one-line summary of a figure (exported for the banner's tests and titles). */
export function completenessSummary(c: Completeness): string {
  const nodes = `${c.nodes.reporting} node${c.nodes.reporting === 1 ? '' : 's'} reporting`;
  if (c.status === 'complete') return `Complete: ${nodes}, no batch or record lost.`;
  if (c.status === 'unknown') return `Completeness unknown: ${c.reasons.join('; ')}.`;
  const share = c.ratio !== null ? ` ${percent(c.ratio)} of what the agents produced arrived.` : '';
  return `Incomplete data: ${c.reasons.join('; ')}.${share}`;
}

/** Creates the banner (hidden). */
export function completenessBanner(): CompletenessBanner {
  const element = el('div', { class: 'completeness-banner', role: 'status', 'data-testid': 'completeness-banner', hidden: true });
  return {
    element,
    show(c) {
      if (!c) {
        element.hidden = true;
        return;
      }
      element.hidden = false;
      element.dataset.status = c.status;
      const detail: string[] = [];
      if (c.batches.missing > 0) detail.push(`batches missing ${c.batches.missing} of ${c.batches.received + c.batches.missing}`);
      if (c.records.dropped > 0) detail.push(`records dropped ${c.records.dropped} (${Object.entries(c.records.dropped_by_cause).map(([k, n]) => `${k} ${n}`).join(', ')})`);
      if (c.nodes.silent > 0) detail.push(`silent nodes ${c.nodes.silent}${c.nodes.silent_nodes ? `: ${c.nodes.silent_nodes.map((s) => s.node).join(', ')}` : ''}`);
      if (c.enricher_lag.messages !== null && c.enricher_lag.messages > 0) detail.push(`enricher lag ${c.enricher_lag.messages} message${c.enricher_lag.messages === 1 ? '' : 's'}`);
      replaceChildren(element,
        el('span', { class: 'completeness-summary' }, completenessSummary(c)),
        detail.length > 0 ? el('span', { class: 'muted small completeness-detail' }, ` ${detail.join(' · ')}`) : null,
      );
    },
  };
}
