/// <reference lib="dom" />
/**
 * The recommend form: namespace (optionally one workload), range, output kind and tier →
 * POST /recommendations → the policies per workload, the DNS note, the replay's verdict changes
 * and the YAML to apply. Only the public API.
 */
import { apiPost } from './api-client.ts';
import { el, replaceChildren } from './dom.ts';
import type { RecommendationAnswer } from './flow-types.ts';
import type { ViewFactory } from './view.ts';

const RANGES = ['15m', '1h', '6h', '24h', '7d'];

export const recommendView: ViewFactory = (root, ctx) => {
  const result = el('div', { class: 'recommend-result', 'data-testid': 'recommend-result' });
  const input = (name: string, label: string, value: string, placeholder: string, extra: Record<string, string | boolean> = {}): HTMLLabelElement =>
    el('label', {}, label, el('input', { name, value, placeholder, spellcheck: 'false', ...extra }));
  const select = (name: string, label: string, options: string[], selected: string): HTMLLabelElement =>
    el('label', {}, label, el('select', { name }, ...options.map((o) => el('option', { value: o, selected: o === selected }, o))));
  const form = el('form', { class: 'recommend-form' },
    input('namespace', 'Namespace', ctx.filters.namespace, 'data', { required: true }),
    input('workload', 'Workload (optional)', '', 'postgres'),
    select('range', 'Observed over the last', RANGES, RANGES.includes(ctx.filters.range) ? ctx.filters.range : '24h'),
    select('output', 'Output', ['staged', 'calico', 'kubernetes'], 'staged'),
    input('tier', 'Tier', 'default', 'default'),
    el('button', { type: 'submit' }, 'Recommend'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (k: string): string => String(data.get(k) ?? '').trim();
    const body: Record<string, unknown> = { namespace: value('namespace'), from: `now-${value('range')}`, output: value('output') };
    if (value('workload') !== '') body.workload = value('workload');
    if (value('output') !== 'kubernetes' && value('tier') !== '') body.tier = value('tier');
    replaceChildren(result, el('p', { class: 'muted' }, 'reading the observed traffic and replaying it…'));
    apiPost<RecommendationAnswer>('/recommendations', body).then((a) => {
      ctx.showError(null);
      const r = a.replay;
      replaceChildren(result,
        el('p', {}, `${a.observed.allowed} allowed report(s) from ${a.range.from} to ${a.range.to}${a.observed.truncated ? ' (scan truncated)' : ''}; ${a.observed.denied_not_recommended} denied left out.`),
        el('ul', { class: 'recommend-workloads' }, ...a.workloads.map((w) => el('li', {}, el('strong', {}, w.policy), ` — ${w.selector}: ${w.ingress_rules} ingress, ${w.egress_rules} egress rule(s), ${w.flows} report(s)`))),
        a.network_sets.length > 0 ? el('ul', {}, ...a.network_sets.map((s) => el('li', {}, `network set ${s.name}: ${s.nets.join(', ')}`))) : null,
        el('p', { class: 'recommend-dns' }, `DNS: ${a.dns.note}`),
        ...a.warnings.map((w) => el('p', { class: 'warning' }, `Warning: ${w}`)),
        el('div', { class: 'recommend-replay', 'data-testid': 'recommend-replay', 'data-verified': String(r.verified) },
          el('p', {}, `Replay with the policies enforced: ${r.evaluated} flow(s) evaluated, ${r.allowed_kept} allowed stay allowed, ${r.allow_to_deny} allowed → denied, ${r.deny_to_allow} denied → allowed${r.truncated ? ' (truncated)' : ''}.`),
          r.changed_groups.length > 0 ? el('ul', {}, ...r.changed_groups.map((g) => el('li', {}, `${g.key} (${g.flows})`))) : null,
          r.allowed_not_replayed > 0 ? el('p', { class: 'warning' }, `${r.allowed_not_replayed} allowed report(s) could not be replayed: an end had neither a stored address nor a representative endpoint in the inventory (public/private networks, workloads gone).`) : null,
          el('p', {}, el('strong', {}, r.verified ? 'Verified: every observed allowed flow stays allowed.' : 'Not verified: see above.'))),
        el('details', { open: true }, el('summary', {}, 'YAML (calicoctl / kubectl / segflow inventory apply)'), el('pre', { class: 'recommend-yaml', 'data-testid': 'recommend-yaml' }, a.yaml)),
      );
    }).catch((err: unknown) => {
      replaceChildren(result);
      ctx.showError(err);
    });
  });
  replaceChildren(root, el('p', { class: 'muted' }, 'Policies that allow exactly the allowed traffic a namespace had, checked by replaying it.'), form, result);
  return { dispose: () => undefined };
};
