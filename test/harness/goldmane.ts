/**
 * A real Calico Goldmane for tests (v3.32.1, built unmodified from Calico's source; how to build
 * it and what this harness relies on: docs/goldmane.md, "Testing against a real Goldmane"):
 * found, started (plaintext or mutual TLS), pushed to the way Felix pushes
 * (`FlowCollector.Connect`: one FlowUpdate, then wait for its FlowReceipt), restarted and stopped.
 *
 * The binary cannot come from the package registries. It is looked up in this order:
 *   1. env SEGFLOW_GOLDMANE_BIN,
 *   2. `.local/tools/goldmane/goldmane` in the checkout (where `.ci/run` puts the CI machine's copy).
 * When none exists, {@link requireGoldmaneBinary} throws naming the suite that did not run, why,
 * and how to run it: the suite fails loudly instead of passing without having run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { goldmaneFlowWire, type GoldmaneFlow } from '../../src/contract/goldmane/goldmane-flow.ts';
import { goldmane } from '../../src/contract/wire/generated/goldmane.js';
import { goldmaneChannelOptions, goldmaneCredentials, type GoldmaneTls } from '../../src/goldmane/goldmane-client.ts';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The places looked at, in order, with what each is. */
export function goldmaneBinaryCandidates(env: NodeJS.ProcessEnv = process.env): Array<{ path: string; from: string }> {
  const out: Array<{ path: string; from: string }> = [];
  if (env.SEGFLOW_GOLDMANE_BIN) out.push({ path: env.SEGFLOW_GOLDMANE_BIN, from: 'env SEGFLOW_GOLDMANE_BIN' });
  out.push({ path: path.join(REPO_ROOT, '.local/tools/goldmane/goldmane'), from: 'the checkout\'s .local/tools' });
  return out;
}

/** The Goldmane binary, or an error saying which suite did not run, why, and how to run it. */
export function requireGoldmaneBinary(suite: string, env: NodeJS.ProcessEnv = process.env, candidates = goldmaneBinaryCandidates(env)): string {
  for (const c of candidates) {
    try {
      accessSync(c.path, constants.X_OK);
      return c.path;
    } catch {
      // next
    }
  }
  throw new Error(
    `${suite} DID NOT RUN: no executable Goldmane binary (looked at ${candidates.map((c) => `${c.path} (${c.from})`).join(', ')}). ` +
    'Goldmane (Calico v3.32.1) cannot come from the package registries; build it from projectcalico/calico ' +
    '(`go build ./goldmane/cmd`; docs/goldmane.md, "Testing against a real Goldmane") and set SEGFLOW_GOLDMANE_BIN=/path/to/goldmane, then run this file again.',
  );
}

export interface GoldmaneServerTls {
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** CA the client certificates must chain to (Goldmane requires one when it serves TLS). */
  readonly caFile: string;
}

export interface RunningGoldmane {
  /** `127.0.0.1:<port>` of its gRPC server. */
  readonly address: string;
  readonly port: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Stops it and starts a new process on the same port (memory lost, as a real restart). */
  restart(): Promise<void>;
  /** What it printed (for failure messages). */
  output(): string;
}

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts Goldmane on free ports and resolves once its gRPC port accepts connections (it opens
 * only at the first 15 s bucket boundary after start: up to ~15 s).
 */
export async function startGoldmane(binary: string, options: { tls?: GoldmaneServerTls; extraEnv?: Record<string, string> } = {}): Promise<RunningGoldmane> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let out = '';
  const launch = async (): Promise<void> => {
    const healthPort = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: String(port), HEALTH_PORT: String(healthPort), LOG_LEVEL: 'warn',
      ...(options.tls ? { SERVER_CERT_PATH: options.tls.serverCertFile, SERVER_KEY_PATH: options.tls.serverKeyFile, CA_CERT_PATH: options.tls.caFile } : {}),
      ...options.extraEnv,
    };
    const proc = spawn(binary, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const keep = (chunk: Buffer): void => {
      out = (out + chunk.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    let exited: string | undefined;
    proc.once('exit', (code, signal) => {
      exited = `exited (${code ?? signal})`;
    });
    // Ready only when /readiness answers 200 and the gRPC port accepts (it opens at the first
    // 15 s bucket boundary; a connection attempt before that is refused, and grpc-js backs off).
    await waitFor(`Goldmane's /readiness and gRPC port ${port}`, async () => {
      if (exited) throw new Error(`goldmane ${exited}: ${out.slice(-2000)}`);
      const ready = await fetch(`http://127.0.0.1:${healthPort}/readiness`).then((r) => r.ok, () => false);
      return ready && (await portAccepts(port)) ? true : undefined;
    }, 40_000, 250);
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  await launch();
  return {
    address: `127.0.0.1:${port}`, port, stop,
    restart: async () => {
      await stop();
      await launch();
    },
    output: () => out,
  };
}

/**
 * Pushes flows into Goldmane the way Felix does: a `FlowCollector.Connect` stream, one
 * `FlowUpdate` at a time, each acknowledged by a `FlowReceipt` before the next is sent.
 */
export class FelixLikePusher {
  private readonly client: grpc.Client;
  private call: grpc.ClientDuplexStream<goldmane.FlowUpdate.$Properties, goldmane.FlowReceipt> | undefined;
  private waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(address: string, tls?: GoldmaneTls) {
    // Its own subchannel (grpc-js shares them per address by default: one broken by a Goldmane
    // restart would fail this client's first call at once).
    this.client = new grpc.Client(address, goldmaneCredentials(tls), { ...goldmaneChannelOptions(tls), 'grpc.use_local_subchannel_pool': 1 });
  }

  private open(): grpc.ClientDuplexStream<goldmane.FlowUpdate.$Properties, goldmane.FlowReceipt> {
    if (this.call) return this.call;
    const call = this.client.makeBidiStreamRequest(
      '/goldmane.FlowCollector/Connect',
      (m: goldmane.FlowUpdate.$Properties) => Buffer.from(goldmane.FlowUpdate.encode(m).finish()),
      (b: Buffer) => goldmane.FlowReceipt.decode(b),
      new grpc.Metadata({ waitForReady: true }),
    );
    call.on('data', () => this.waiting.shift()?.resolve());
    const fail = (error: Error): void => {
      this.call = undefined;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    call.on('error', fail);
    call.on('end', () => fail(new Error('Goldmane ended the Connect stream')));
    this.call = call;
    return call;
  }

  /** Sends one flow and waits for Goldmane's receipt. A flow without its key would crash Goldmane: refused here. */
  async push(flow: GoldmaneFlow, timeoutMs = 10_000): Promise<void> {
    if (!flow.key) throw new Error('refusing to push a FlowUpdate without its key (it crashes Goldmane)');
    const call = this.open();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no FlowReceipt within the timeout')), timeoutMs);
      this.waiting.push({ resolve: () => { clearTimeout(timer); resolve(); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      call.write({ flow: goldmaneFlowWire(flow) });
    });
  }

  async pushAll(flows: readonly GoldmaneFlow[]): Promise<void> {
    for (const f of flows) await this.push(f);
  }

  close(): void {
    this.call?.end();
    this.call = undefined;
    this.client.close();
  }
}
