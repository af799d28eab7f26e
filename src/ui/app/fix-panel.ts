/// <reference lib="dom" />
/**
 * "Suggest a fix" for a denied group: asks POST /api/v1/fixes for the group's example flow and
 * shows the smallest change (each edit with why it goes where it goes), the whole edited
 * policies as YAML, their diffs, the staged variant, and the replay over the stored flows —
 * which denied groups the change allows (the target marked) and which other flows would change
 * verdict, with counts.
 */
import { apiPost } from './api-client.ts';
import { el, endpointLabel } from './dom.ts';
import type { FixAnswer, FixReplayGroup, FixSide, FlowDocument } from './flow-types.ts';
import { explainSide, renderTraceSide } from './policy-trace.ts';

const FIX_HOURS = 24;

function groupLine(g: FixReplayGroup): HTMLElement {
  return el('li', { 'data-target': String(g.target) },
    endpointLabel(g.source.namespace, g.source.name), ' → ', endpointLabel(g.destination.namespace, g.destination.name),
    g.port !== null ? `:${g.port}` : '', `/${g.protocol} `, el('span', { class: 'muted' }, `${g.current} → ${g.candidate}, ${g.flows} flow${g.flows === 1 ? '' : 's'}`),
    g.target ? el('span', { class: 'badge' }, 'target') : null);
}

/** A unified diff with added and removed lines marked. */
function diffBlock(diff: string): HTMLElement {
  const pre = el('pre', { class: 'fix-diff', 'data-testid': 'fix-diff' });
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    const kind = line.startsWith('+++') || line.startsWith('---') ? 'head' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : 'ctx';
    pre.append(el('span', { class: `diff-${kind}` }, line), '\n');
  }
  return pre;
}

function renderReplay(a: FixAnswer): HTMLElement {
  const r = a.replay;
  if (r === null) return el('p', { class: 'muted', 'data-testid': 'fix-replay' }, 'nothing to replay');
  const verified = r.target_found && r.other_changes.length === 0;
  return el('div', { class: 'fix-replay', 'data-testid': 'fix-replay', 'data-verified': String(verified) },
    el('h4', {}, 'Replay over the stored flows'),
    el('p', {}, `${r.evaluated} flow${r.evaluated === 1 ? '' : 's'} of the last ${FIX_HOURS} h evaluated: ${r.deny_to_allow} denied → allowed, ${r.allow_to_deny} allowed → denied${r.truncated ? ' (scan truncated)' : ''}.`),
    el('p', {}, 'Denied groups it allows:'),
    r.allowed_groups.length > 0 ? el('ul', { class: 'fix-groups' }, ...r.allowed_groups.map(groupLine)) : el('p', { class: 'muted' }, 'none in the range'),
    el('p', {}, 'Other flows that change verdict: ', r.other_changes.length === 0 ? el('strong', {}, 'none') : `${r.other_changed_flows}`),
    r.other_changes.length > 0 ? el('ul', { class: 'fix-groups other' }, ...r.other_changes.map(groupLine)) : null,
    el('p', { class: verified ? 'fix-verified' : 'fix-unverified' }, verified
      ? `Verified: the target group (${r.target_flows} flow${r.target_flows === 1 ? '' : 's'}) is allowed and nothing else changes.`
      : r.target_found ? 'Not verified: other flows change verdict (listed above).' : 'Not verified: the target group has no stored flow in the range.'),
  );
}

function renderAnswer(a: FixAnswer): HTMLElement[] {
  const out: HTMLElement[] = [];
  out.push(el('p', { class: a.allowed ? 'fix-verified' : 'fix-unverified' }, a.allowed ? `With the change the flow is allowed (${a.edits.length} edit${a.edits.length === 1 ? '' : 's'}).` : 'No complete fix found.'));
  if (a.edits.length > 0) {
    out.push(el('ol', { class: 'fix-edits' }, ...a.edits.map((e) => el('li', {},
      el('strong', {}, `${e.action} rule ${e.index} in ${e.policy.kind} ${endpointLabel(e.policy.namespace, e.policy.name)}`), e.scope === 'pending' ? ' (staged policy)' : '', ' — ', e.reason))));
  }
  for (const c of a.changes) {
    out.push(el('div', { class: 'fix-change', 'data-testid': 'fix-change' },
      el('h4', {}, `${c.kind} ${endpointLabel(c.namespace, c.name)}${c.created ? ' (new)' : ''} `, el('span', { class: 'muted small' }, `${c.apply_with} apply -f`)),
      el('details', { open: true }, el('summary', {}, 'Diff'), diffBlock(c.diff)),
      el('details', {}, el('summary', {}, 'Whole policy (YAML)'), el('pre', { class: 'fix-yaml', 'data-testid': 'fix-yaml' }, c.yaml)),
      c.staged_yaml ? el('details', {}, el('summary', {}, 'As a staged policy (staged trial)'), el('pre', { class: 'fix-yaml staged' }, c.staged_yaml)) : null,
    ));
  }
  // The replayed traces in words, step by step, as the denied view and the explain view show them.
  const side = (s: FixSide) => explainSide({ action: s.action, hits: s.hits, decidingHit: s.deciding_hit });
  out.push(el('div', { class: 'fix-after', 'data-testid': 'fix-after' }, el('h4', {}, `After the change: ${a.after.verdict}`),
    el('div', { class: 'trace-sides' },
      renderTraceSide('Egress — source side', side(a.after.egress)),
      renderTraceSide('Ingress — destination side', side(a.after.ingress), a.after.ingress.reached ? undefined : 'not evaluated: the source side still denies'))));
  out.push(renderReplay(a));
  if (a.notes.length > 0) out.push(el('ul', { class: 'fix-notes muted small' }, ...a.notes.map((n) => el('li', {}, n))));
  return out;
}

/** The button and the panel it fills, for a group whose example flow is `example`. */
export function fixAction(example: FlowDocument | null): HTMLElement {
  const panel = el('div', { class: 'fix-panel', 'data-testid': 'fix-panel', hidden: true });
  const src = example?.source?.ip;
  const dst = example?.destination?.ip;
  const button = el('button', { type: 'button', class: 'fix-button', 'data-testid': 'suggest-fix', disabled: !src || !dst }, 'Suggest a fix');
  button.addEventListener('click', () => {
    if (!src || !dst) return;
    panel.hidden = false;
    panel.replaceChildren(el('p', { class: 'muted' }, 'finding the smallest change and replaying it…'));
    button.setAttribute('disabled', '');
    const body = {
      src, dst, protocol: example?.network?.transport ?? 'tcp', hours: FIX_HOURS, staged: true,
      ...(example?.destination?.port !== undefined ? { dst_port: example.destination.port } : {}),
      ...(example?.['@timestamp'] ? { time: example['@timestamp'] } : {}),
    };
    apiPost<FixAnswer>('/fixes', body)
      .then((a) => panel.replaceChildren(...renderAnswer(a)))
      .catch((err: Error) => panel.replaceChildren(el('p', { class: 'error', 'data-testid': 'fix-error' }, `No fix: ${err.message}`)))
      .finally(() => button.removeAttribute('disabled'));
  });
  return el('div', { class: 'fix-action' }, button, panel);
}
