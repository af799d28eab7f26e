/**
 * The one place segflow builds Kafka clients (kafkajs 2.2.4, verified against Kafka 4.4: see the
 * README's design notes). kafkajs logs go through pino so every role has one log format.
 *
 * Roles use {@link createSecureKafka}: TLS, mutual TLS and SASL from a {@link KafkaSecurity}
 * (PLAINTEXT for an unsecured cluster), logs with secrets redacted and repeats suppressed, and
 * kafkajs' retries tamed for failures retrying cannot fix (see kafka-errors.ts):
 * - kafkajs retries connection errors (a certificate that does not verify is one) `retry.retries`
 *   times with backoff (~10 s with the defaults) and then gives up; requests failing with SASL or
 *   ACL errors are not retried at all;
 * - a consumer that crashed on a fatal failure is not restarted (`retry.restartOnFailure`
 *   answers false; kafkajs would otherwise restart it forever on a TLS failure), and the
 *   `onFatal` callback hears of it once, with the described failure, so the role can stop and
 *   exit 1.
 */
import { Kafka, logLevel, type Consumer, type ConsumerConfig, type ConsumerSubscribeTopics, type KafkaConfig, type LogEntry } from 'kafkajs';
import { describeKafkaFailure, type KafkaFailure, type KafkaFailureContext } from './kafka-errors.ts';
import { kafkaLogCreator } from './kafka-log.ts';
import { dropKafkajsQueueTimeoutWarning } from './kafkajs-timeout-warning.ts';
import { kafkaConnectionConfig, secretsOf, type KafkaSecurity } from './kafka-security.ts';
import { createLogger, type Logger } from './logger.ts';

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

export interface SecureKafkaOptions {
  /** Where kafkajs logs go (default: a logger tagged `kafka:<clientId>`). */
  readonly logger?: Logger;
  /**
   * Called once, with the described failure, when a consumer of this client stopped and will
   * not be restarted: a fatal failure (TLS, SASL, ACL), or any failure kafkajs does not retry.
   * The role stops and exits 1.
   */
  readonly onFatal?: (failure: KafkaFailure) => void;
}

/**
 * A kafkajs client whose consumers report fatal crashes: kafkajs only emits them as CRASH events
 * per consumer, and a consumer that is not restarted otherwise dies silently.
 */
class SecuredKafka extends Kafka {
  constructor(config: KafkaConfig, private readonly context: KafkaFailureContext, private readonly reportFatal: (failure: KafkaFailure) => void) {
    super(config);
  }

  override consumer(config: ConsumerConfig): Consumer {
    const consumer = super.consumer(config);
    const topics = new Set<string>();
    const subscribe = consumer.subscribe.bind(consumer);
    consumer.subscribe = (subscription) => {
      const s = subscription as ConsumerSubscribeTopics & { topic?: string | RegExp };
      for (const t of [...(s.topics ?? []), ...(s.topic !== undefined ? [s.topic] : [])]) if (typeof t === 'string') topics.add(t);
      return subscribe(subscription);
    };
    // A consumer kafkajs does not restart is dead: fatal to the role whatever the cause.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      const failure = describeKafkaFailure(payload.error, { ...this.context, topics: [...topics], groupId: payload.groupId });
      this.reportFatal({ ...failure, fatal: true });
    });
    return consumer;
  }
}

/**
 * kafkajs' `retry.restartOnFailure` for segflow's clients: a consumer that crashed on a fatal
 * failure stays down (kafkajs would restart it forever: a certificate that does not verify is a
 * retriable connection error to it); other failures are left to `userRestart` (default: restart).
 */
export function consumerRestartPolicy(context: KafkaFailureContext, userRestart?: (error: Error) => Promise<boolean>): (error: Error) => Promise<boolean> {
  return async (error) => {
    if (describeKafkaFailure(error, context).fatal) return false;
    return userRestart ? userRestart(error) : true;
  };
}

/**
 * Creates a kafkajs client for `clientId` connecting as `security` says (files read and checked
 * first: throws {@link KafkaSecurityError} listing every problem). `overrides` cannot replace the
 * log creator (it redacts secrets) and its `retry.restartOnFailure` is asked only about
 * failures that are not fatal.
 */
export async function createSecureKafka(
  brokers: string | string[],
  clientId: string,
  security: KafkaSecurity,
  overrides: Partial<KafkaConfig> = {},
  options: SecureKafkaOptions = {},
): Promise<Kafka> {
  const connection = await kafkaConnectionConfig(security);
  const brokerList = typeof brokers === 'string' ? parseBrokerList(brokers) : brokers;
  const logger = options.logger ?? createLogger(`kafka:${clientId}`);
  const context: KafkaFailureContext = { brokers: brokerList, security };
  let reported = false;
  const reportFatal = (failure: KafkaFailure): void => {
    if (reported) return;
    reported = true;
    options.onFatal?.(failure);
  };
  const { logCreator: _ignored, retry, ...rest } = overrides;
  const userRestart = retry?.restartOnFailure;
  return new SecuredKafka({
    clientId,
    brokers: brokerList,
    logLevel: logLevel.WARN,
    ...rest,
    ...connection,
    retry: { ...retry, restartOnFailure: consumerRestartPolicy(context, userRestart) },
    logCreator: kafkaLogCreator((level, fields, message) => logger[level](fields, message), { secrets: secretsOf(security) }),
  }, context, reportFatal);
}
