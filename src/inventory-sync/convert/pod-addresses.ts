/**
 * The addresses Calico gives a pod's workload endpoint
 * (libcalico-go/lib/backend/k8s/conversion/conversion.go, getPodIPs and IsFinished): the first
 * source that has any of `status.podIPs`, `status.podIP`, Calico CNI's
 * `cni.projectcalico.org/podIPs` / `podIP` annotations (written before the kubelet reports the
 * status) and the AWS VPC CNI's `vpc.amazonaws.com/pod-ips` annotation; none once the pod is
 * finished (phase Succeeded, Failed or Completed, or being deleted after a CNI plugin cleared
 * its annotation to say the IP is released).
 */
import { fieldPath, isMap, type FieldProblems, type JsonMap } from './field-problems.ts';

export const ANNOTATION_POD_IP = 'cni.projectcalico.org/podIP';
export const ANNOTATION_POD_IPS = 'cni.projectcalico.org/podIPs';
export const ANNOTATION_AWS_POD_IPS = 'vpc.amazonaws.com/pod-ips';

const FINISHED_PHASES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Completed']);

export interface PodAddresses {
  /** Addresses as the pod (or annotation) gives them, without a prefix length. */
  readonly ips: readonly string[];
  /** Where they came from (`status.podIPs`, an annotation path), or null when none. */
  readonly source: string | null;
  readonly finished: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

function looksLikeIp(text: string): boolean {
  if (IPV4.test(text)) return true;
  // IPv6: hex groups and colons (the loader canonicalises and checks it fully).
  return text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text);
}

/** `10.0.0.5` or `10.0.0.5/32` (Calico's annotations hold CIDRs) → the address. */
function addressOf(text: string, path: string, problems: FieldProblems): string | undefined {
  const slash = text.indexOf('/');
  const ip = (slash < 0 ? text : text.slice(0, slash)).trim();
  const prefix = slash < 0 ? null : text.slice(slash + 1);
  if (!looksLikeIp(ip) || (prefix !== null && !/^[0-9]{1,3}$/.test(prefix))) {
    problems.add(path, `invalid IP address ${JSON.stringify(text)}`);
    return undefined;
  }
  return ip;
}

export function podAddressesOf(pod: JsonMap, problems: FieldProblems): PodAddresses {
  const meta = isMap(pod.metadata) ? pod.metadata : {};
  const annotations = isMap(meta.annotations) ? meta.annotations : {};
  const status = problems.map(pod, 'status', '') ?? {};
  const phase = problems.string(status, 'phase', 'status');
  const annotation = (key: string): string | undefined => {
    const v = annotations[key];
    return typeof v === 'string' ? v : undefined;
  };
  const deleting = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  const finished = (deleting && (annotation(ANNOTATION_POD_IP) === '' || annotation(ANNOTATION_AWS_POD_IPS) === ''))
    || (phase !== undefined && FINISHED_PHASES.has(phase));

  const collect = (texts: readonly string[], path: (i: number) => string, source: string): PodAddresses => {
    const ips: string[] = [];
    texts.forEach((t, i) => {
      const ip = addressOf(t, path(i), problems);
      if (ip !== undefined && !ips.includes(ip)) ips.push(ip);
    });
    return { ips: finished ? [] : ips, source, finished };
  };

  const podIPs = problems.list(status, 'podIPs', 'status');
  if (podIPs.length > 0) {
    const texts: string[] = [];
    podIPs.forEach((entry, i) => {
      const p = fieldPath(fieldPath('status', 'podIPs'), i);
      if (!isMap(entry)) problems.add(p, 'expected a map with ip');
      else {
        const ip = problems.string(entry, 'ip', p, true);
        if (ip !== undefined) texts.push(ip);
      }
    });
    return collect(texts, (i) => fieldPath(fieldPath(fieldPath('status', 'podIPs'), i), 'ip'), 'status.podIPs');
  }
  const podIP = problems.string(status, 'podIP', 'status');
  if (podIP) return collect([podIP], () => 'status.podIP', 'status.podIP');
  const annotationsPath = 'metadata.annotations';
  for (const [key, plural] of [[ANNOTATION_POD_IPS, true], [ANNOTATION_POD_IP, false], [ANNOTATION_AWS_POD_IPS, true]] as const) {
    const v = annotation(key);
    if (v === undefined || v === '') continue;
    const texts = plural ? v.split(',') : [v];
    const path = fieldPath(annotationsPath, key);
    return collect(texts, () => path, path);
  }
  return { ips: [], source: null, finished };
}
