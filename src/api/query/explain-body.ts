/**
 * The flow of a `POST /explain` body. The route schema (contract/api/explain.ts) already checked
 * each field's type and range; this checks what a schema cannot say — addresses that parse and
 * share an IP version, a known protocol, ports only for port protocols, ICMP type/code only for
 * ICMP — and names every problem by its body field. Pure.
 */
import type { ExplainBody } from '../../contract/api/explain.ts';
import { parseIp, parseProtocol, protocolName, type FlowInput } from '../../inventory/index.ts';
import { ApiError, quoteInput } from '../errors.ts';

const PORT_PROTOCOLS = new Set([6, 17, 132, 136]);

/** One problem of an explain body: the field and what is wrong with it. */
export interface ExplainBodyProblem { readonly field: keyof ExplainBody; readonly message: string }

/** The flow of `body` and every problem of it (the flow only when there is none). */
export function readExplainBody(body: ExplainBody): { flow: FlowInput | undefined; problems: ExplainBodyProblem[] } {
  const problems: ExplainBodyProblem[] = [];
  const src = parseIp(body.src);
  const dst = parseIp(body.dst);
  if (!src) problems.push({ field: 'src', message: `not an IP address: ${quoteInput(body.src)}` });
  if (!dst) problems.push({ field: 'dst', message: `not an IP address: ${quoteInput(body.dst)}` });
  if (src && dst && src.version !== dst.version) problems.push({ field: 'dst', message: `IPv${dst.version}, but src ${src.text} is IPv${src.version}` });
  const protocol = parseProtocol(typeof body.protocol === 'string' && /^[0-9]+$/.test(body.protocol) ? Number(body.protocol) : body.protocol);
  if (protocol === null) {
    problems.push({ field: 'protocol', message: `must be tcp, udp, icmp, icmpv6, sctp or a number 1-255, got ${quoteInput(body.protocol)}` });
  } else {
    const name = protocolName(protocol);
    if (!PORT_PROTOCOLS.has(protocol)) {
      if (body.dst_port !== undefined) problems.push({ field: 'dst_port', message: `needs protocol tcp, udp or sctp, not ${name}` });
      if (body.src_port !== undefined) problems.push({ field: 'src_port', message: `needs protocol tcp, udp or sctp, not ${name}` });
    }
    const icmp = protocol === 1 || protocol === 58;
    if (!icmp) {
      if (body.icmp_type !== undefined) problems.push({ field: 'icmp_type', message: `needs protocol icmp or icmpv6, not ${name}` });
      if (body.icmp_code !== undefined) problems.push({ field: 'icmp_code', message: `needs protocol icmp or icmpv6, not ${name}` });
    } else if (body.icmp_code !== undefined && body.icmp_type === undefined) {
      problems.push({ field: 'icmp_code', message: 'needs icmp_type' });
    }
    if (protocol === 1 && src?.version === 6) problems.push({ field: 'protocol', message: 'icmp with IPv6 addresses: use icmpv6' });
    if (protocol === 58 && src?.version === 4) problems.push({ field: 'protocol', message: 'icmpv6 with IPv4 addresses: use icmp' });
  }
  if (body.time !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(body.time) || Number.isNaN(Date.parse(body.time)))) {
    problems.push({ field: 'time', message: `must be an ISO 8601 timestamp, got ${quoteInput(body.time)}` });
  }
  if (problems.length > 0 || !src || !dst || protocol === null) return { flow: undefined, problems };
  return {
    problems,
    flow: {
      srcIp: src.text, dstIp: dst.text, protocol,
      dstPort: body.dst_port, srcPort: body.src_port, icmpType: body.icmp_type, icmpCode: body.icmp_code,
      time: body.time === undefined ? undefined : Date.parse(body.time),
    },
  };
}

/** The flow of `body`, or a 400 naming every problem (`parameter`: the first field at fault). */
export function flowFromExplainBody(body: ExplainBody): FlowInput {
  const { flow, problems } = readExplainBody(body);
  if (flow === undefined) {
    throw new ApiError(400, 'invalid_body', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems[0]?.field);
  }
  return flow;
}
