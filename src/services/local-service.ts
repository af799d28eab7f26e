/** The lifecycle every locally run service (Kafka, Elasticsearch) offers to `segflow services`. */
export interface ServiceStatus {
  readonly name: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** How clients reach it: `127.0.0.1:9092` for Kafka, `http://127.0.0.1:9200` for Elasticsearch. */
  readonly endpoint: string;
  readonly logFile: string;
  readonly version: string;
}

export interface StartResult {
  readonly pid: number;
  /** True when a copy we started earlier was already running; nothing new was started. */
  readonly alreadyRunning: boolean;
}

export interface LocalService {
  readonly name: string;
  status(): Promise<ServiceStatus>;
  /** Resolves artifacts, prepares storage and starts the process (does not wait for readiness). */
  start(): Promise<StartResult>;
  /** Resolves once the service answers a real request; throws after `deadline` (epoch ms). */
  waitReady(deadline: number): Promise<void>;
  /** Stops exactly the process this runner started (by PID); reports what it did. */
  stop(): Promise<{ pid: number | undefined; outcome: 'terminated' | 'killed' | 'not-running' }>;
}

/** Error for a failed start, carrying the tail of the service's log for the person reading it. */
export class ServiceStartError extends Error {
  constructor(readonly service: string, reason: string, readonly logTail: string, readonly logFile: string) {
    super(`${service} failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}`);
  }
}
