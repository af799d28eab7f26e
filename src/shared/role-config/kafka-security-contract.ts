/**
 * The Kafka security settings a role hands to the Kafka client factory. This is the contract of
 * `src/shared/kafka-security.ts` (TLS/SASL for kafkajs, written alongside); until that module is
 * in the tree the type lives here, and switching is one line: replace the body of this file with
 * `export type { KafkaSecurity, SaslMechanism } from '../kafka-security.ts';`.
 */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSecurity {
  readonly tls: null | { caFile?: string; certFile?: string; keyFile?: string; keyPassword?: string; serverName?: string; insecureSkipVerify?: boolean };
  readonly sasl: null | { mechanism: SaslMechanism; username: string; password: string };
}

export const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** No TLS, no SASL: a plaintext listener (the local development Kafka). */
export const PLAINTEXT_KAFKA: KafkaSecurity = Object.freeze({ tls: null, sasl: null });
