/**
 * The Kafka security settings a role hands to the Kafka client factory: the contract of
 * `src/runtime/kafka-security.ts`, re-exported so the option layer has one import for it.
 */
export { PLAINTEXT as PLAINTEXT_KAFKA, SASL_MECHANISMS, type KafkaSecurity, type SaslMechanism } from '../kafka-security.ts';
