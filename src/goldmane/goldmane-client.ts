/**
 * The gRPC client of Goldmane's `goldmane.Flows` service (grpc-js with the generated protobuf
 * codecs of proto/goldmane/api.proto): `Stream` as an async iterable of flows, `List` for one page.
 * Plaintext, or mutual TLS as Calico deploys Goldmane (CA, client certificate and key, and the
 * name the server certificate carries when the address is a port-forward or an IP).
 */
import * as grpc from '@grpc/grpc-js';
import { goldmaneFlowOf, type GoldmaneFlow } from '../contract/goldmane/goldmane-flow.ts';
import { goldmane } from '../contract/wire/generated/goldmane.js';

export interface GoldmaneTls {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Name to verify the server certificate against (default: the host of the address). */
  readonly serverName?: string;
}

export interface GoldmaneConnection {
  /** `host:port`. */
  readonly address: string;
  /** Mutual TLS; plaintext when absent. */
  readonly tls?: GoldmaneTls;
}

/** One streamed result: Goldmane's per-process id (not stable across its restarts) and the flow. */
export interface GoldmaneResult {
  readonly id: number;
  readonly flow: GoldmaneFlow;
}

/** An int64 Goldmane sends (ids, page counts) as a number. */
function int64(v: number | { toNumber(): number } | null | undefined): number {
  return v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber();
}

const serialize = <T>(encode: (m: T) => { finish(): Uint8Array }) => (m: T): Buffer => {
  const bytes = encode(m).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};

export function goldmaneCredentials(tls: GoldmaneTls | undefined): grpc.ChannelCredentials {
  return tls ? grpc.credentials.createSsl(tls.ca, tls.key, tls.cert) : grpc.credentials.createInsecure();
}

/** Channel options: the TLS name override, and keepalives so a silent peer is noticed. */
export function goldmaneChannelOptions(tls: GoldmaneTls | undefined): grpc.ChannelOptions {
  return {
    ...(tls?.serverName ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName } : {}),
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  };
}

export class GoldmaneClient {
  private readonly client: grpc.Client;

  constructor(readonly connection: GoldmaneConnection) {
    this.client = new grpc.Client(connection.address, goldmaneCredentials(connection.tls), goldmaneChannelOptions(connection.tls));
  }

  /**
   * `Flows.Stream` from `startTimeGte` (negative: that many seconds back, history first; 0: from
   * now). Ends when the server ends the stream; throws its error; `signal` cancels it.
   */
  async *stream(startTimeGte: number, signal?: AbortSignal): AsyncGenerator<GoldmaneResult> {
    const call = this.client.makeServerStreamRequest(
      '/goldmane.Flows/Stream',
      serialize(goldmane.FlowStreamRequest.encode),
      (bytes: Buffer) => goldmane.FlowResult.decode(bytes),
      { startTimeGte, aggregationInterval: 15 },
    );
    const cancel = (): void => call.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      for await (const result of call as AsyncIterable<goldmane.FlowResult>) {
        if (!result.flow) continue;
        yield { id: int64(result.id), flow: goldmaneFlowOf(result.flow) };
      }
    } catch (error) {
      if (signal?.aborted && (error as { code?: number }).code === grpc.status.CANCELLED) return;
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      call.cancel();
    }
  }

  /** `Flows.List`: one page of the flows Goldmane holds from `startTimeGte`. */
  list(request: { startTimeGte: number; page?: number; pageSize?: number }, deadlineMs = 30_000): Promise<{ flows: GoldmaneResult[]; totalPages: number }> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        '/goldmane.Flows/List',
        serialize(goldmane.FlowListRequest.encode),
        (bytes: Buffer) => goldmane.FlowListResult.decode(bytes),
        { startTimeGte: request.startTimeGte, page: request.page ?? 0, pageSize: request.pageSize ?? 1000, aggregationInterval: 15 },
        { deadline: Date.now() + deadlineMs },
        (error, result) => {
          if (error || !result) return reject(error ?? new Error('Flows.List returned nothing'));
          resolve({
            flows: result.flows.filter((r) => r.flow).map((r) => ({ id: int64(r.id), flow: goldmaneFlowOf(r.flow!) })),
            totalPages: int64(result.meta?.totalPages),
          });
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
