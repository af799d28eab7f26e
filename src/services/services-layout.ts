/**
 * How many Kafka brokers and Elasticsearch nodes `segflow services up` last started, kept in
 * `<services dir>/layout.json`, so `services down` and `services status` act on the same
 * processes without being told the counts again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ServicesLayout {
  readonly kafkaBrokers: number;
  readonly elasticsearchNodes: number;
}

function layoutFile(baseDir: string): string {
  return path.join(baseDir, 'layout.json');
}

/** The layout last started in `baseDir`; undefined when none was recorded (or it is unreadable). */
export function readServicesLayout(baseDir: string): ServicesLayout | undefined {
  try {
    const parsed = JSON.parse(readFileSync(layoutFile(baseDir), 'utf8')) as Partial<ServicesLayout>;
    const valid = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 9;
    return valid(parsed.kafkaBrokers) && valid(parsed.elasticsearchNodes) ? { kafkaBrokers: parsed.kafkaBrokers, elasticsearchNodes: parsed.elasticsearchNodes } : undefined;
  } catch {
    return undefined;
  }
}

export function writeServicesLayout(baseDir: string, layout: ServicesLayout): void {
  mkdirSync(baseDir, { recursive: true });
  writeFileSync(layoutFile(baseDir), `${JSON.stringify(layout)}\n`);
}

