/// <reference lib="dom" />
/**
 * The explain form: source, destination, protocol and port → POST /explain → the verdict the
 * policy engine gives now, with both sides' traces and the side that decided. The flow need
 * not have happened, so this answers "would this be allowed?" before deploying.
 */
import { apiPost } from './api-client.ts';
import { el, replaceChildren, verdictBadge } from './dom.ts';
import type { ExplainAnswer, ExplainEndpoint } from './flow-types.ts';
import { explainSide, renderTraceSide } from './policy-trace.ts';
import type { ViewFactory } from './view.ts';

function endpointText(e: ExplainEndpoint): string {
  if (e.kind === 'workload' || e.kind === 'host' || e.kind === 'networkset') return `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name ?? ''} (${e.ip})`;
  return `${e.kind} address ${e.ip}`;
}

export const explainView: ViewFactory = (root, ctx) => {
  const saved = new URLSearchParams(sessionStorage.getItem('segflow.explain') ?? '');
  const result = el('div', { class: 'explain-result', 'data-testid': 'explain-result' });
  const field = (name: string, label: string, placeholder: string, extra: Record<string, string | boolean> = {}): HTMLLabelElement =>
    el('label', {}, label, el('input', { name, placeholder, value: saved.get(name) ?? '', spellcheck: 'false', ...extra }));
  const protocol = el('select', { name: 'protocol' }, ...['tcp', 'udp', 'sctp', 'icmp', 'icmpv6'].map((p) => el('option', { value: p, selected: (saved.get('protocol') ?? 'tcp') === p }, p)));
  const form = el('form', { class: 'explain-form' },
    field('src', 'Source IP', '10.244.1.10', { required: true }),
    field('dst', 'Destination IP', '10.244.2.10', { required: true }),
    el('label', {}, 'Protocol', protocol),
    field('dst_port', 'Destination port', '5432', { inputmode: 'numeric' }),
    el('button', { type: 'submit' }, 'Explain'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (k: string): string => String(data.get(k) ?? '').trim();
    sessionStorage.setItem('segflow.explain', new URLSearchParams({ src: value('src'), dst: value('dst'), protocol: value('protocol'), dst_port: value('dst_port') }).toString());
    const body: Record<string, unknown> = { src: value('src'), dst: value('dst'), protocol: value('protocol') };
    if (value('dst_port') !== '') body.dst_port = Number(value('dst_port'));
    replaceChildren(result, el('p', { class: 'muted' }, 'evaluating…'));
    apiPost<ExplainAnswer>('/explain', body).then((answer) => {
      ctx.showError(null);
      const decided = answer.decidedBy === 'egress' ? 'the source\'s egress policy' : answer.decidedBy === 'ingress' ? 'the destination\'s ingress policy' : 'no single side';
      replaceChildren(result,
        el('h3', {}, 'Verdict: ', verdictBadge(answer.verdict)),
        el('p', {}, endpointText(answer.source), ' → ', endpointText(answer.destination)),
        el('p', { class: 'deciding-rule' }, 'Decided by ', el('strong', {}, decided), `; policy index revision ${answer.revision}.`),
        el('div', { class: 'trace-sides' },
          renderTraceSide(`Egress — source side${answer.egress.reached ? '' : ' (not reached)'}`, explainSide(answer.egress)),
          renderTraceSide(`Ingress — destination side${answer.ingress.reached ? '' : ' (not reached)'}`, explainSide(answer.ingress))),
      );
    }).catch((err: unknown) => {
      replaceChildren(result);
      ctx.showError(err);
    });
  });
  replaceChildren(root, el('p', { class: 'muted' }, 'Ask the policy engine what it would decide for a connection, with the current policies.'), form, result);
  return { dispose: () => undefined };
};
