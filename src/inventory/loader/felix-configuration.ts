/** FelixConfiguration: only the failsafe port lists are read (they decide host endpoint traffic). */
import { canonicalIp, parseCidr, type Cidr } from '../model/ip.ts';
import { parseProtocol, type FailsafePort, type FelixConfiguration } from '../model/resources.ts';
import { FieldError } from './errors.ts';
import { PORT_PROTOCOLS } from './calico-rules.ts';
import { describe, intAt, isObj, join, listAt, nameOf, type Obj, objAt, strAt } from './field-readers.ts';

export const FELIX_FIELDS_READ: ReadonlySet<string> = new Set(['failsafeInboundHostPorts', 'failsafeOutboundHostPorts']);

function failsafePortsAt(s: Obj, key: string, path: string): FailsafePort[] | null {
  if (s[key] === undefined || s[key] === null) return null;
  return listAt(s, key, path).map((v, i) => {
    const p = join(join(path, key), i);
    if (!isObj(v)) throw new FieldError(p, `expected a map {protocol, port, net}, got ${describe(v)}`);
    const port = intAt(v, 'port', p, 0, 65535);
    if (port === undefined) throw new FieldError(join(p, 'port'), 'required field is missing');
    // felixconfig.go: "if the protocol is not specified, it defaults to tcp".
    const protoRaw = v.protocol ?? 'TCP';
    const protocol = parseProtocol(protoRaw);
    if (protocol === null || !PORT_PROTOCOLS.has(protocol)) throw new FieldError(join(p, 'protocol'), `invalid protocol ${describe(protoRaw)} (TCP, UDP or SCTP)`);
    const netText = strAt(v, 'net', p);
    let net: Cidr | null = null;
    if (netText !== undefined && netText !== '') {
      net = parseCidr(netText) ?? (canonicalIp(netText) !== null ? parseCidr(`${netText}/${netText.includes(':') ? 128 : 32}`) : null);
      if (net === null) throw new FieldError(join(p, 'net'), `invalid CIDR ${JSON.stringify(netText)}`);
    }
    return { protocol, port, net };
  });
}

export function parseFelixConfiguration(doc: Obj, path: string): FelixConfiguration {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const name = nameOf(meta, join(path, 'metadata'));
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  return {
    kind: 'FelixConfiguration', name,
    failsafeInboundHostPorts: failsafePortsAt(s, 'failsafeInboundHostPorts', sp),
    failsafeOutboundHostPorts: failsafePortsAt(s, 'failsafeOutboundHostPorts', sp),
  };
}
