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
 *   exit 1; transient failures (a broker restarting) restart it, except once its owner has
 *   called `disconnect()`;
 * - a consumer kafkajs restarts joins its group as a new member while a restarted coordinator
 *   still lists the old one, so consumers default to a 5 s rebalance timeout (kafkajs: 60 s,
 *   which was the enricher's 45 s pause after every broker restart) and a 1 s fetch long-poll
 *   (stopping waits for the fetch under way);
 * - with `onTransient`, kafkajs' lines about failures it retries by itself go to debug and the
 *   role says once that Kafka is unavailable (see isTransientKafkaLog).
 */
import { Kafka, logLevel, type Consumer, type ConsumerConfig, type ConsumerSubscribeTopics, type KafkaConfig, type LogEntry } from 'kafkajs';
import { describeKafkaFailure, type KafkaFailure, type KafkaFailureContext } from './kafka-errors.ts';
import { kafkaLogCreator } from './kafka-log.ts';
import { mendKafkajsRequestQueue } from './kafkajs-request-queue.ts';
import { registerKafkaZstdCodec } from './kafka-zstd-codec.ts';
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
// Its request queue polls every millisecond per connection (see the module).
mendKafkajsRequestQueue();
// The agents send zstd (kafka-zstd-codec.ts): every client built here can read and write it.
registerKafkaZstdCodec();

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
  /**
   * When set, kafkajs' warn and error lines about a transient failure (a broker that does not
   * answer, a coordinator loading, a consumer restarted; see {@link isTransientKafkaLog}) are
   * logged at debug level and reported here instead, so the role can say once that Kafka is
   * unavailable rather than kafkajs saying so on every retry.
   */
  readonly onTransient?: (message: string) => void;
}

/**
 * kafkajs log lines that describe a failure kafkajs retries by itself and that ends when the
 * broker answers again: connection failures, coordinators loading or moving, consumer restarts.
 * Fatal failures (TLS, SASL, ACL) never count: those are the role's to report.
 */
export function isTransientKafkaLog(message: string, error?: string): boolean {
  const text = error ? `${message}: ${error}` : message;
  const failure = describeKafkaFailure({ message: text });
  if (failure.fatal) return false;
  if (failure.kind === 'connection') return true;
  return /Restarting the consumer|Response without match|coordinator (is )?(not available|loading)|not the correct coordinator|Crash: KafkaJS(NumberOfRetriesExceeded|NonRetriableError|ConnectionClosedError|ConnectionError|RequestTimeoutError|NoBrokerAvailableError)|No broker available|ECONNREFUSED|ECONNRESET|Closed connection|leadership election|There is no leader|not the leader|rebalanc|generation id is not valid|not aware of this member|LEADER_NOT_AVAILABLE|NOT_LEADER/i.test(text);
}

/** Rebalance timeout of segflow's consumers unless they set one (see SecuredKafka.consumer). */
export const DEFAULT_REBALANCE_TIMEOUT_MS = 5000;
/** Longest a fetch waits on the broker for new records unless the consumer sets it. */
export const DEFAULT_MAX_WAIT_MS = 1000;

/**
 * A kafkajs client whose consumers report fatal crashes: kafkajs only emits them as CRASH events
 * per consumer, and a consumer that is not restarted otherwise dies silently.
 */
class SecuredKafka extends Kafka {
  constructor(
    config: KafkaConfig,
    private readonly context: KafkaFailureContext,
    private readonly reportFatal: (failure: KafkaFailure) => void,
    private readonly restartPolicy: (error: Error) => Promise<boolean>,
  ) {
    super(config);
  }

  override consumer(config: ConsumerConfig): Consumer {
    // A consumer its owner disconnected is never restarted: kafkajs would otherwise restart one
    // that crashed while disconnecting (a broker gone at that moment), and it would keep the
    // process alive after its role stopped.
    let disconnected = false;
    const ownRestart = config.retry?.restartOnFailure;
    const policy = ownRestart ? consumerRestartPolicy(this.context, ownRestart) : this.restartPolicy;
    const consumer = super.consumer({
      ...config,
      // kafkajs restarts a consumer that lost its only broker as a *new* group member, and a
      // restarted coordinator still lists the old one: a rebalance waits for it up to this
      // timeout (kafkajs: 60 s). segflow's groups rejoin fast (eachBatch/eachMessage return
      // quickly), so 5 s unless the consumer says otherwise.
      rebalanceTimeout: config.rebalanceTimeout ?? DEFAULT_REBALANCE_TIMEOUT_MS,
      // Stopping waits for the fetch under way: a 1 s long-poll (kafkajs: 5 s) keeps it short.
      maxWaitTimeInMs: config.maxWaitTimeInMs ?? DEFAULT_MAX_WAIT_MS,
      retry: { ...config.retry, restartOnFailure: async (error) => !disconnected && policy(error) },
    });
    const disconnect = consumer.disconnect.bind(consumer);
    consumer.disconnect = async () => {
      disconnected = true;
      return disconnect();
    };
    const topics = new Set<string>();
    const subscribe = consumer.subscribe.bind(consumer);
    consumer.subscribe = (subscription) => {
      const s = subscription as ConsumerSubscribeTopics & { topic?: string | RegExp };
      for (const t of [...(s.topics ?? []), ...(s.topic !== undefined ? [s.topic] : [])]) if (typeof t === 'string') topics.add(t);
      return subscribe(subscription);
    };
    // A consumer kafkajs does not restart is dead: fatal to the role whatever the cause.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || disconnected) return;
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
  const restartPolicy = consumerRestartPolicy(context, retry?.restartOnFailure);
  return new SecuredKafka({
    clientId,
    brokers: brokerList,
    logLevel: logLevel.WARN,
    ...rest,
    ...connection,
    retry: { ...retry, restartOnFailure: restartPolicy },
    logCreator: kafkaLogCreator((level, fields, message) => {
      const onTransient = options.onTransient;
      if (onTransient && (level === 'warn' || level === 'error') && isTransientKafkaLog(message, typeof fields.error === 'string' ? fields.error : undefined)) {
        onTransient(message);
        logger.debug(fields, message);
        return;
      }
      logger[level](fields, message);
    }, { secrets: secretsOf(security) }),
  }, context, reportFatal, restartPolicy);
}
