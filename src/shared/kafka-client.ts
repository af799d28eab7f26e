/**
 * The one place segflow builds Kafka clients (kafkajs 2.2.4, verified against Kafka 4.4: see the
 * README's design notes). kafkajs logs go through pino so every role has one log format.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { dropKafkajsQueueTimeoutWarning } from './kafkajs-timeout-warning.ts';
import { createLogger } from './logger.ts';

/** Parses "host:port,host:port" (the KAFKA_BROKERS form) into a broker list, rejecting junk early. */
export function parseBrokerList(value: string): string[] {
  const brokers = value.split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('no Kafka brokers given (expected host:port[,host:port...])');
  for (const b of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw new Error(`bad Kafka broker address '${b}' (expected host:port)`);
  }
  return brokers;
}

// kafkajs warns about its v2 partitioner change on every producer; segflow never used v1.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
// and, on Node 24, a TimeoutNegativeWarning on every connection (see the module).
dropKafkajsQueueTimeoutWarning();

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

/** Creates a kafkajs client for `clientId`, logging through pino at warn level and above by default. */
export function createKafka(brokers: string | string[], clientId: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  const logger = createLogger(`kafka:${clientId}`);
  return new Kafka({
    clientId,
    brokers: typeof brokers === 'string' ? parseBrokerList(brokers) : brokers,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      logger[levelNames[level] ?? 'info']({ namespace, ...extra }, message);
    },
    ...overrides,
  });
}
