/**
 * Publishes Goldmane flows to the raw topic: one message per flow, its value Calico's own
 * protobuf `Flow`, headers naming the schema (`goldmane.Flow`) and the Goldmane instance, keyed
 * by the flow's identity so every version of one flow lands in one partition, in order.
 */
import { hash } from 'node:crypto';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { FLOW_BATCH_SCHEMA_HEADER } from '../contract/wire/flow-batch-headers.ts';
import { encodeSourceReport, SOURCE_REPORT_SCHEMA, type SourceReportData } from '../contract/wire/source-report-codec.ts';
import { encodeGoldmaneFlow, GOLDMANE_FLOW_SCHEMA, GOLDMANE_SOURCE_HEADER, goldmaneFlowIdentity, type GoldmaneFlow } from '../contract/goldmane/goldmane-flow.ts';

/** Where flows go; the source waits for `publish` before it reads on (back-pressure). */
export interface GoldmaneFlowSink {
  publish(flows: readonly GoldmaneFlow[]): Promise<void>;
}

/** The Kafka message of one flow. */
export function goldmaneFlowMessage(flow: GoldmaneFlow, sourceName: string): Message {
  const bytes = encodeGoldmaneFlow(flow);
  return {
    key: `${sourceName}/${hash('sha256', goldmaneFlowIdentity(flow), 'base64url').slice(0, 22)}`,
    value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    headers: { [FLOW_BATCH_SCHEMA_HEADER]: GOLDMANE_FLOW_SCHEMA, [GOLDMANE_SOURCE_HEADER]: sourceName },
  };
}

/** The Kafka message of a source report (keyed by the source: its reports stay in order). */
export function sourceReportMessage(report: SourceReportData): Message {
  const bytes = encodeSourceReport(report);
  return {
    key: report.sourceName,
    value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    headers: { [FLOW_BATCH_SCHEMA_HEADER]: SOURCE_REPORT_SCHEMA, [GOLDMANE_SOURCE_HEADER]: report.sourceName },
  };
}

export class GoldmaneKafkaPublisher implements GoldmaneFlowSink {
  private producer: Producer | undefined;

  constructor(private readonly kafka: Kafka, private readonly topic: string, private readonly sourceName: string) {}

  async connect(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async publish(flows: readonly GoldmaneFlow[]): Promise<void> {
    if (!this.producer) throw new Error('the Goldmane publisher is not connected');
    if (flows.length === 0) return;
    await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.GZIP, messages: flows.map((f) => goldmaneFlowMessage(f, this.sourceName)) });
  }

  async publishReport(report: SourceReportData): Promise<void> {
    if (!this.producer) throw new Error('the Goldmane publisher is not connected');
    await this.producer.send({ topic: this.topic, acks: -1, messages: [sourceReportMessage(report)] });
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
