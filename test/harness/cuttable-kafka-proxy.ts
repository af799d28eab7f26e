/**
 * A TCP proxy to one Kafka broker that a test can cut (refuse and drop every connection) and
 * open again on the same port. A client whose kafkajs `socketFactory` is {@link socketFactory}
 * dials the proxy for every broker address, so "Kafka down" is a real network failure for that
 * client while the shared broker keeps serving the other tests.
 */
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

export class CuttableKafkaProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens (again, on the same port after a cut). */
  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Closes the listener and every open connection: the broker is unreachable. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** For kafkajs: every connection dials the proxy, whatever address the metadata names. */
  socketFactory(): ISocketFactory {
    return ({ onConnect }) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    };
  }
}
