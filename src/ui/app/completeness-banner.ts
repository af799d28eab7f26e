/// <reference lib="dom" />
/**
 * The completeness banner every data view shows above its results: "complete", or what is
 * missing from the data behind them (silent nodes, batches that never arrived, records the
 * agents dropped and why, spans of time whose flows a source may have missed — in seconds, since
 * their count is unknowable —, enricher lag), from the answer's `completeness` object
 * (contract/api/completeness.ts). Hidden until a view has an answer.
 */
import type { Completeness } from '../../contract/api/completeness.ts';
import { el, replaceChildren } from './dom.ts';

/** The banner element and the call that fills it (undefined hides it). */
export interface CompletenessBanner {
  readonly element: HTMLElement;
  show(completeness: Completeness | undefined): void;
}

/** `1 h 12 min`, `45 min`, `30 s` (as the API words its reasons; the UI imports no code from outside app/). */
function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  return h === 0 ? `${min} min` : min === 0 ? `${h} h` : `${h} h ${min} min`;
}

const percent = (ratio: number): string => `${(Math.floor(ratio * 1000) / 10).toFixed(1)} %`;

/** The one-line summary of a figure (exported for the banner's tests and titles). */
export function completenessSummary(c: Completeness): string {
  const nodes = `${c.nodes.reporting} node${c.nodes.reporting === 1 ? '' : 's'} reporting`;
  if (c.status === 'complete') return `Complete: ${nodes}, no batch or record lost.`;
  if (c.status === 'unknown') return `Completeness unknown: ${c.reasons.join('; ')}.`;
  // A possibly-lost span has no count: the share cannot include it, and says so.
  const spans = c.possible_loss?.length ?? 0;
  const share = c.ratio !== null ? ` ${percent(c.ratio)} of what the agents produced arrived${spans > 0 ? ' (not counting the flows that may be missing from the spans above: their number is unknown)' : ''}.` : '';
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
      if (c.possible_loss && c.possible_loss.length > 0) {
        const seconds = c.possible_loss.reduce((n, s) => n + s.seconds, 0);
        detail.push(`flows possibly lost over ${durationWords(seconds)} (${c.possible_loss.map((s) => s.source ?? s.kind).join(', ')}; count unknown)`);
      }
      if (c.enricher_lag.messages !== null && c.enricher_lag.messages > 0) detail.push(`enricher lag ${c.enricher_lag.messages} message${c.enricher_lag.messages === 1 ? '' : 's'}`);
      replaceChildren(element,
        el('span', { class: 'completeness-summary' }, completenessSummary(c)),
        detail.length > 0 ? el('span', { class: 'muted small completeness-detail' }, ` ${detail.join(' · ')}`) : null,
      );
    },
  };
}
