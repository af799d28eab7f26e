/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The search filters shared by the flow table, the denied view and the service graph: time
 * range, namespace, workloads, verdict, policy, port, who reported the flow (segflow's agents or
 * Calico through Goldmane) and how segflow's evaluation compares with Calico's report. They live in the page URL
 * (`#/flows?namespace=shop&verdict=deny`) so a view can be bookmarked and reloaded, and map
 * one-to-one onto query parameters of the public API.
 */
import type { Params } from './api-client.ts';
import { el } from './dom.ts';

/** The filter values as the user sees them. */
export interface Filters {
  /** Relative range: 15m, 1h, 6h, 24h, 7d. */
  range: string;
  namespace: string;
  source: string;
  destination: string;
  verdict: string;
  policy: string;
  port: string;
  /** '' any, `calico` flows read from Goldmane, `agent` flows of segflow's own agents. */
  reported: string;
  /** '' any, else a `calico_evaluation` value: disagrees, agrees, unresolved. */
  evaluation: string;
}

/** `reported` → the API's capture_source values. */
const REPORTED_BY: Readonly<Record<string, string>> = { calico: 'goldmane', agent: 'conntrack,ebpf,synthetic' };

export const RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;

/** Filters with nothing set (last 15 minutes). */
export function emptyFilters(): Filters {
  return { range: '1h', namespace: '', source: '', destination: '', verdict: '', policy: '', port: '', reported: '', evaluation: '' };
}

const KEYS = ['range', 'namespace', 'source', 'destination', 'verdict', 'policy', 'port', 'reported', 'evaluation'] as const;

/** Reads filters from URL search parameters (unknown ones ignored). */
export function filtersFromSearch(search: URLSearchParams): Filters {
  const f = emptyFilters();
  for (const k of KEYS) {
    const v = search.get(k);
    if (v !== null) f[k] = v;
  }
  if (!(RANGES as readonly string[]).includes(f.range)) f.range = '1h';
  return f;
}

/** Filters as URL search parameters (defaults left out). */
export function filtersToSearch(f: Filters): URLSearchParams {
  const search = new URLSearchParams();
  for (const k of KEYS) if (f[k] !== '' && !(k === 'range' && f.range === '1h')) search.set(k, f[k]);
  return search;
}

/** The API query parameters for the filters. */
export function apiParams(f: Filters): Params {
  return {
    from: `now-${f.range}`,
    namespace: f.namespace,
    source_name_aggr: f.source,
    dest_name_aggr: f.destination,
    action: f.verdict,
    policy: f.policy,
    dest_port: f.port,
    capture_source: REPORTED_BY[f.reported] ?? '',
    calico_evaluation: f.evaluation,
  };
}

/**
 * The filter form. `onChange` fires on submit and when the range or verdict select changes;
 * `suggest` fills the datalists with names seen in the current results.
 */
export function filterBar(initial: Filters, onChange: (f: Filters) => void): { element: HTMLFormElement; suggest: (field: 'namespace' | 'source' | 'destination' | 'policy', values: Iterable<string>) => void } {
  const input = (name: keyof Filters, label: string, placeholder: string, list?: string): HTMLLabelElement =>
    el('label', {}, label, el('input', { name, value: initial[name], placeholder, list, autocomplete: 'off', spellcheck: 'false' }));
  const select = (name: keyof Filters, label: string, options: readonly (readonly [string, string])[]): HTMLLabelElement => {
    const s = el('select', { name, onchange: () => form.requestSubmit() }, ...options.map(([value, text]) => el('option', { value, selected: value === initial[name] }, text)));
    return el('label', {}, label, s);
  };
  const lists = {
    namespace: el('datalist', { id: 'dl-namespace' }),
    source: el('datalist', { id: 'dl-source' }),
    destination: el('datalist', { id: 'dl-destination' }),
    policy: el('datalist', { id: 'dl-policy' }),
  };
  const form = el('form', { class: 'filters', role: 'search' },
    select('range', 'Last', RANGES.map((r) => [r, r] as const)),
    input('namespace', 'Namespace', 'either end', 'dl-namespace'),
    input('source', 'Source workload', 'e.g. frontend-7d9c5b-*', 'dl-source'),
    input('destination', 'Destination workload', 'e.g. postgres-*', 'dl-destination'),
    select('verdict', 'Verdict', [['', 'any'], ['allow', 'allow'], ['deny', 'deny']]),
    input('policy', 'Policy', '[kind:][ns/]name', 'dl-policy'),
    input('port', 'Port', '5432 or 8000-8999'),
    select('reported', 'Reported by', [['', 'any'], ['calico', 'Calico (Goldmane)'], ['agent', 'segflow agents']]),
    select('evaluation', 'Calico vs segflow', [['', 'any'], ['disagrees', 'disagrees'], ['agrees', 'agrees'], ['unresolved', 'not evaluated']]),
    el('button', { type: 'submit' }, 'Apply'),
    el('button', { type: 'button', class: 'secondary', onclick: () => {
      for (const k of KEYS) {
        const field = form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
        if (field) field.value = k === 'range' ? '1h' : '';
      }
      form.requestSubmit();
    } }, 'Clear'),
    ...Object.values(lists),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = emptyFilters();
    for (const k of KEYS) f[k] = ((form.elements.namedItem(k) as HTMLInputElement | null)?.value ?? '').trim();
    onChange(f);
  });
  const suggest = (field: keyof typeof lists, values: Iterable<string>): void => {
    const known = new Set([...lists[field].options].map((o) => o.value));
    for (const v of values) if (v && !known.has(v)) {
      known.add(v);
      lists[field].append(el('option', { value: v }));
    }
  };
  return { element: form, suggest };
}
