/**
 * The Kafka and Elasticsearch the selected benchmarks need, found or started before any of
 * them runs, as the test run does (test/harness/provision-services.ts): KAFKA_BROKERS /
 * ELASTICSEARCH_URL when set — checked to answer at once, so a missing service is one line, not
 * a client's retry loop and stack trace — else a private pair started for the run and stopped
 * after it.
 */
import { Socket } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../src/services/services-config.ts';
import { provisionServices, type ProvisionedServices } from '../test/harness/provision-services.ts';

export type BenchService = 'kafka' | 'elasticsearch';

const PROBE_TIMEOUT_MS = 3000;

/** Why none of the brokers in `list` accepts a TCP connection, or undefined when one does. */
async function kafkaProblem(list: string): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const broker of list.split(',').map((b) => b.trim()).filter(Boolean)) {
    const match = /^(.*):(\d+)$/.exec(broker);
    if (!match) {
      reasons.push(`${broker}: not host:port`);
      continue;
    }
    const reason = await new Promise<string | undefined>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(PROBE_TIMEOUT_MS, () => { socket.destroy(); resolve('no answer within 3 s'); });
      socket.once('error', (err: NodeJS.ErrnoException) => { socket.destroy(); resolve(err.code ?? err.message); });
      socket.connect(Number(match[2]), match[1]!.replace(/^\[|\]$/g, ''), () => { socket.destroy(); resolve(undefined); });
    });
    if (reason === undefined) return undefined;
    reasons.push(`${broker}: ${reason}`);
  }
  return `Kafka at KAFKA_BROKERS=${list} does not answer (${reasons.join('; ')})`;
}

/** Why `url` gives no HTTP answer at all (any status, 401 included, means it runs). */
async function elasticsearchProblem(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' });
    return undefined;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    // The URL may carry credentials; name only where it points.
    const where = URL.canParse(url) ? new URL(url).host : 'an unparsable URL';
    return `Elasticsearch at ELASTICSEARCH_URL (${where}) does not answer (${cause})`;
  }
}

/** Services the run started, to stop when the benchmarks are done. */
export interface BenchServices {
  stop(): Promise<void>;
}

/**
 * Makes KAFKA_BROKERS and ELASTICSEARCH_URL name running services for `needed`. Throws one
 * line naming what is missing and how to provide it.
 */
export async function provideBenchServices(needed: ReadonlySet<BenchService>, log: (line: string) => void): Promise<BenchServices> {
  if (needed.size === 0) return { stop: async () => undefined };
  const { KAFKA_BROKERS, ELASTICSEARCH_URL } = process.env;
  if (KAFKA_BROKERS || ELASTICSEARCH_URL) {
    const problems: string[] = [];
    const unset = (name: string): string => `${name} is not set (set both KAFKA_BROKERS and ELASTICSEARCH_URL, or neither and the bench starts its own)`;
    if (needed.has('kafka')) problems.push(KAFKA_BROKERS ? await kafkaProblem(KAFKA_BROKERS) ?? '' : unset('KAFKA_BROKERS'));
    if (needed.has('elasticsearch')) problems.push(ELASTICSEARCH_URL ? await elasticsearchProblem(ELASTICSEARCH_URL) ?? '' : unset('ELASTICSEARCH_URL'));
    const found = problems.filter(Boolean);
    if (found.length > 0) throw new Error(`${found.join('; ')}. Start them (npm run services:up) or unset both variables to let the bench start its own.`);
    return { stop: async () => undefined };
  }
  // Own ports and folder: the test run's instance (.local/test-services, 29092/29200) is wiped
  // when provisioned, and a test run may be using it right now.
  const benchDefaults = { SEGFLOW_SERVICES_DIR: join(projectRoot, '.local', 'bench-services'), SEGFLOW_KAFKA_PORT: '39092', SEGFLOW_KAFKA_CONTROLLER_PORT: '39093', SEGFLOW_ES_PORT: '39200', SEGFLOW_ES_TRANSPORT_PORT: '39300' };
  for (const [name, value] of Object.entries(benchDefaults)) process.env[name] ??= value;
  const services: ProvisionedServices = await provisionServices(log);
  process.env.KAFKA_BROKERS = services.kafkaBrokers;
  process.env.ELASTICSEARCH_URL = services.elasticsearchUrl;
  log(`services: ${services.origin} (${services.detail})`);
  return services;
}
