/**
 * Turns what kafkajs and Node's TLS stack throw into one message a person can act on, and
 * decides whether retrying can help.
 *
 * Fatal (retrying cannot help until someone changes a certificate, a password or an ACL): TLS
 * verification failures, SASL authentication failures, and authorization failures. A role that
 * meets one stops with that message and exit code 1 instead of retrying forever; the client
 * factory keeps kafkajs from restarting consumers on them (see createSecureKafka).
 * Not fatal: the broker is unreachable, closed the connection, or timed out — Kafka may be
 * restarting; the collector spools, the enricher's consumer retries. When such a failure looks
 * like a TLS/plaintext mismatch (connection closed or reset during the first exchange) the
 * message asks whether the listener is TLS.
 */
import { KafkaSecurityError, principalOf, type KafkaSecurity } from './kafka-security.ts';

export type KafkaFailureKind = 'tls' | 'auth' | 'authorization' | 'connection' | 'other';

export interface KafkaFailure {
  readonly kind: KafkaFailureKind;
  readonly message: string;
  /** True when retrying cannot help: the role stops and exits 1. */
  readonly fatal: boolean;
}

/** What the caller knows and the error does not carry (kafkajs errors name no topic or group). */
export interface KafkaFailureContext {
  readonly brokers?: readonly string[];
  readonly security?: KafkaSecurity;
  readonly topics?: readonly string[];
  readonly groupId?: string;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  type?: string;
  topic?: string;
  broker?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** Every error in a chain: `cause` links and the members of aggregate errors. */
function chainOf(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (depth > 8 || e === null || typeof e !== 'object' || out.includes(e as ErrorLike)) return;
    const item = e as ErrorLike;
    out.push(item);
    visit(item.cause, depth + 1);
    if (Array.isArray(item.errors)) for (const member of item.errors) visit(member, depth + 1);
  };
  visit(err, 0);
  if (out.length === 0) out.push({ message: String(err) });
  return out;
}

/** Node's certificate verification error codes, with what they mean to the person fixing it. */
const TLS_VERIFY_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the broker certificate is not signed by a CA segflow trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'the broker certificate is not signed by a CA segflow trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the broker certificate is not signed by a CA segflow trusts',
  SELF_SIGNED_CERT_IN_CHAIN: 'the broker certificate chains to a CA segflow does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the broker certificate is self-signed and not trusted',
  CERT_UNTRUSTED: 'the broker certificate is not trusted',
  CERT_HAS_EXPIRED: 'the broker certificate has expired',
  CERT_NOT_YET_VALID: 'the broker certificate is not valid yet (check the clocks)',
  CERT_SIGNATURE_FAILURE: 'the broker certificate signature does not verify',
  CERT_REVOKED: 'the broker certificate is revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the broker certificate does not name the address segflow connected to',
};

/**
 * What a code or type looks like when only the message survived (kafkajs log lines, errors
 * re-wrapped by message): Node's and kafkajs' fixed texts.
 */
const MESSAGE_CODES: ReadonlyArray<[RegExp, string]> = [
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/(^|: )self[- ]signed certificate$/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to get (local )?issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];
const MESSAGE_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/Not authorized to access topics/i, 'TOPIC_AUTHORIZATION_FAILED'],
  [/Not authorized to access group/i, 'GROUP_AUTHORIZATION_FAILED'],
  [/Cluster authorization failed/i, 'CLUSTER_AUTHORIZATION_FAILED'],
  [/SASL .*authentication failed|SASL Authentication failed|Invalid username or password/i, 'SASL_AUTHENTICATION_FAILED'],
];
const MESSAGE_NAMES: ReadonlyArray<[RegExp, string]> = [[/Failed to find group coordinator/i, 'KafkaJSGroupCoordinatorNotFound']];

/** Fills in `code` and `type` from the message when the error object lost them. */
function normalised(e: ErrorLike): ErrorLike {
  const message = e.message ?? '';
  const code = (typeof e.code === 'string' ? e.code : undefined) ?? MESSAGE_CODES.find(([re]) => re.test(message))?.[1];
  const type = e.type ?? MESSAGE_TYPES.find(([re]) => re.test(message))?.[1];
  // Explicit fields: an Error's message is not enumerable, so a spread would lose it.
  const name = e.name ?? MESSAGE_NAMES.find(([re]) => re.test(message))?.[1];
  return { name, message, code, type, topic: e.topic, broker: e.broker };
}

const AUTHORIZATION_TYPES = new Set(['TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED']);

const quoteList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/**
 * True for what the Kafka client throws (kafkajs errors, whose chain holds any TLS error) and
 * for settings errors: a role uses it to keep Elasticsearch's TLS errors from being described
 * as Kafka's.
 */
export function isKafkaClientError(err: unknown): boolean {
  return err instanceof KafkaSecurityError || chainOf(err).some((e) => /^KafkaJS/.test(e.name ?? ''));
}

/** Classifies a Kafka client failure; see the module comment. Never includes a secret. */
export function describeKafkaFailure(err: unknown, context: KafkaFailureContext = {}): KafkaFailure {
  const chain = chainOf(err).map(normalised);
  const security = context.security;
  const brokers = context.brokers?.length ? context.brokers.join(',') : (chain.find((e) => e.broker)?.broker ?? 'the brokers');
  const who = security ? principalOf(security) : 'segflow';
  const first = chain[0]!;

  if (err instanceof KafkaSecurityError) return { kind: 'other', message: err.message, fatal: true };

  // TLS: the broker's certificate did not verify.
  for (const e of chain) {
    const meaning = e.code ? TLS_VERIFY_CODES[e.code] : undefined;
    if (meaning) {
      const ca = security?.tls?.caFile ? `the CA file ${security.tls.caFile}` : "Node's built-in CAs (no --kafka-ca-file)";
      const name = security?.tls?.serverName ? ` (expected name ${security.tls.serverName})` : '';
      return { kind: 'tls', message: `TLS to Kafka at ${brokers} failed: ${meaning}${name} [${e.code}]; segflow trusts ${ca}`, fatal: true };
    }
  }
  // TLS: the broker refused our certificate (mutual TLS) — a TLS alert from the server.
  for (const e of chain) {
    const text = `${e.code ?? ''} ${e.message ?? ''}`;
    if (/ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|HANDSHAKE_FAILURE|ACCESS_DENIED)|alert (certificate required|bad certificate|unknown ca|certificate unknown|handshake failure)/i.test(text)) {
      const cert = security?.tls?.certFile ? `the client certificate ${security.tls.certFile}` : 'no client certificate (--kafka-cert-file)';
      const code = chain.find((x) => x.code?.startsWith('ERR_SSL_'))?.code ?? 'TLS alert';
      return { kind: 'tls', message: `Kafka at ${brokers} rejected the TLS handshake with ${cert}: is it signed by a CA the broker trusts? [${code}]`, fatal: true };
    }
  }
  // SASL.
  for (const e of chain) {
    if (e.type === 'UNSUPPORTED_SASL_MECHANISM' || /mechanism is not supported/i.test(e.message ?? '')) {
      const mechanism = security?.sasl?.mechanism ?? 'the configured mechanism';
      return { kind: 'auth', message: `Kafka at ${brokers} does not offer SASL ${mechanism.toUpperCase()} on this listener: use a mechanism the listener enables (--kafka-sasl-mechanism)`, fatal: true };
    }
    if (e.type === 'ILLEGAL_SASL_STATE') {
      return { kind: 'auth', message: `Kafka at ${brokers} does not take SASL on this listener (ILLEGAL_SASL_STATE): is it an SSL or PLAINTEXT listener? Connect to the SASL_SSL one or drop --kafka-sasl-mechanism`, fatal: true };
    }
    if (e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED') {
      const sasl = security?.sasl;
      const login = sasl ? `user "${sasl.username}" (${sasl.mechanism.toUpperCase()})` : 'segflow';
      const why = sasl && sasl.mechanism !== 'plain' ? `wrong user name or password, or the user has no ${sasl.mechanism.toUpperCase()} credentials` : 'wrong user name or password';
      return { kind: 'auth', message: `Kafka at ${brokers} rejected the SASL login of ${login}: ${why} [SASL_AUTHENTICATION_FAILED]`, fatal: true };
    }
  }
  // Authorization (ACLs).
  for (const e of chain) {
    if (e.type && AUTHORIZATION_TYPES.has(e.type)) {
      const topics = e.topic ? [e.topic] : (context.topics ?? []);
      const what = e.type === 'TOPIC_AUTHORIZATION_FAILED'
        ? `access to ${topics.length === 1 ? `topic ${quoteList(topics)}` : topics.length > 1 ? `one of the topics ${quoteList(topics)}` : 'a topic'}`
        : e.type === 'GROUP_AUTHORIZATION_FAILED'
          ? `access to ${context.groupId ? `consumer group '${context.groupId}'` : 'a consumer group'}`
          : e.type === 'CLUSTER_AUTHORIZATION_FAILED'
            ? 'a cluster operation (an idempotent producer needs Write on its topic, creating a topic needs Create)'
            : 'access to a transactional id';
      return { kind: 'authorization', message: `Kafka denied ${who} ${what} [${e.type}]: grant the ACLs this role needs`, fatal: true };
    }
  }
  // kafkajs replaces the broker's answer to FindCoordinator (GROUP_AUTHORIZATION_FAILED when the
  // principal may not use the group) by this error and does not restart the consumer.
  if (chain.some((e) => e.name === 'KafkaJSGroupCoordinatorNotFound')) {
    const group = context.groupId ? `consumer group '${context.groupId}'` : 'the consumer group';
    return { kind: 'authorization', message: `Kafka gave ${who} no coordinator for ${group} [KafkaJSGroupCoordinatorNotFound]: usually a missing ACL (Read on the group); kafkajs does not pass on the broker's reason, which may also be that no broker answered`, fatal: true };
  }
  // Connection: unreachable, closed, reset, timed out.
  const connection = chain.find((e) =>
    /^KafkaJS(Connection|ConnectionClosed|RequestTimeout|BrokerNotFound|NoBrokerAvailable)Error$/.test(e.name ?? '') ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EPROTO'].includes(e.code ?? '') ||
    /Connection (timeout|error)|Closed connection|socket disconnected|Request .* timed out|wrong version number|packet length too long/i.test(e.message ?? ''));
  if (connection) {
    const detail = chain.map((e) => e.code).find((c) => c) ?? connection.message?.replace(/^Connection error: /, '') ?? 'no answer';
    if (chain.some((e) => e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH')) {
      return { kind: 'connection', message: `cannot reach Kafka at ${brokers} [${detail}]`, fatal: false };
    }
    // Closed, reset or timed out during the first exchange: typically TLS spoken to a plaintext
    // listener (the broker reads the ClientHello as a huge request and drops us), plaintext to a
    // TLS listener (the broker waits for a handshake that never comes), or requests sent to a
    // SASL listener without logging in (the broker drops them).
    const hint = !security
      ? 'is the listener TLS, or does it require SASL?'
      : security.tls
        ? `is the listener TLS? segflow speaks TLS (--kafka-tls)${security.sasl ? '' : ' without SASL: does the listener require SASL (--kafka-sasl-mechanism)?'}`
        : `is the listener TLS? segflow speaks plaintext (no --kafka-tls)${security.sasl ? '' : ' and no SASL'}`;
    return { kind: 'connection', message: `Kafka at ${brokers} closed or did not answer the connection [${detail}]: ${hint}`, fatal: false };
  }
  return { kind: 'other', message: first.message ?? String(err), fatal: false };
}
