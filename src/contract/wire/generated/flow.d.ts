import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace segflow. */
export namespace segflow {

    /** Namespace v1. */
    namespace v1 {

        /** Where a record was observed. */
        enum FlowSource {

            /** Never written by a correct producer; readers reject it. */
            FLOW_SOURCE_UNSPECIFIED = 0,

            /** The kernel connection tracking table (netfilter conntrack) of the agent's network namespace. */
            FLOW_SOURCE_CONNTRACK = 1,

            /** An eBPF probe on the node's datapath (sees denied packets too). */
            FLOW_SOURCE_EBPF = 2,

            /** Generated traffic between the endpoints of an inventory, for demos and load tests. */
            FLOW_SOURCE_SYNTHETIC = 3
        }

        /** What happened to the flow in the interval this record reports. */
        enum FlowEventKind {

            /** Never written by a correct producer; readers reject it. */
            FLOW_EVENT_KIND_UNSPECIFIED = 0,

            /** First report of a flow: the connection was created (or first seen by this agent). */
            FLOW_EVENT_KIND_NEW = 1,

            /** The flow is still alive; counters carry what happened since the previous report. */
            FLOW_EVENT_KIND_UPDATE = 2,

            /**
             * The flow ended: its conntrack entry was destroyed (timeout, flush), or, for TCP, the agent
             * first saw it settled (TIME_WAIT or CLOSE), up to 120 s before the kernel destroys the entry.
             * Packets the kernel still counts for it after that (a stray ACK) come in UPDATE records.
             */
            FLOW_EVENT_KIND_DESTROY = 3
        }

        /** What the datapath did with the flow, when the source knows it. */
        enum DataplaneVerdict {

            /**
             * The source cannot tell (conntrack only sees flows that were let through far enough to be
             * tracked, but not which rule accepted them). The default.
             */
            DATAPLANE_VERDICT_UNKNOWN = 0,

            /** The datapath forwarded/accepted the flow. */
            DATAPLANE_VERDICT_ALLOW = 1,

            /** The datapath dropped or rejected the flow. */
            DATAPLANE_VERDICT_DENY = 2
        }

        /** TCP connection state as netfilter conntrack names it (`include/uapi/linux/netfilter/nf_conntrack_tcp.h`). */
        enum TcpState {

            /** Not a TCP flow, or the source does not know the state. */
            TCP_STATE_UNSPECIFIED = 0,

            /** TCP_STATE_NONE value */
            TCP_STATE_NONE = 1,

            /** TCP_STATE_SYN_SENT value */
            TCP_STATE_SYN_SENT = 2,

            /** TCP_STATE_SYN_RECV value */
            TCP_STATE_SYN_RECV = 3,

            /** TCP_STATE_ESTABLISHED value */
            TCP_STATE_ESTABLISHED = 4,

            /** TCP_STATE_FIN_WAIT value */
            TCP_STATE_FIN_WAIT = 5,

            /** TCP_STATE_CLOSE_WAIT value */
            TCP_STATE_CLOSE_WAIT = 6,

            /** TCP_STATE_LAST_ACK value */
            TCP_STATE_LAST_ACK = 7,

            /** TCP_STATE_TIME_WAIT value */
            TCP_STATE_TIME_WAIT = 8,

            /** TCP_STATE_CLOSE value */
            TCP_STATE_CLOSE = 9,

            /** Simultaneous open (conntrack prints it as SYN_SENT2; very old kernels as LISTEN). */
            TCP_STATE_SYN_SENT2 = 10
        }

        /**
         * Properties of a FlowTuple.
         * @deprecated Use segflow.v1.FlowTuple.$Properties instead.
         */
        interface IFlowTuple extends segflow.v1.FlowTuple.$Properties {
        }

        /**
         * One direction of a connection as conntrack records it. For the original direction the source
         * is the initiator; for the reply direction the source is whoever answers — after DNAT that is
         * the backend (original dst = service IP, reply src = backend pod IP), after SNAT the reply
         * destination is the translated address.
         */
        class FlowTuple {

            /**
             * Constructs a new FlowTuple.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.FlowTuple.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Source IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6. */
            srcIp: Uint8Array;

            /** Destination IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6. */
            dstIp: Uint8Array;

            /** Source port (TCP, UDP, SCTP, DCCP, UDP-Lite); 0 when the protocol has no ports. */
            srcPort: number;

            /** Destination port; 0 when the protocol has no ports. */
            dstPort: number;

            /**
             * Creates a new FlowTuple instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FlowTuple instance
             */
            static create(properties: segflow.v1.FlowTuple.$Shape): segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape;
            static create(properties?: segflow.v1.FlowTuple.$Properties): segflow.v1.FlowTuple;

            /**
             * Encodes the specified FlowTuple message. Does not implicitly {@link segflow.v1.FlowTuple.verify|verify} messages.
             * @param message FlowTuple message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.FlowTuple.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified FlowTuple message, length delimited. Does not implicitly {@link segflow.v1.FlowTuple.verify|verify} messages.
             * @param message FlowTuple message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.FlowTuple.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FlowTuple message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape} FlowTuple
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape;

            /**
             * Decodes a FlowTuple message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape} FlowTuple
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape;

            /**
             * Verifies a FlowTuple message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a FlowTuple message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FlowTuple
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.FlowTuple;

            /**
             * Creates a plain object from a FlowTuple message. Also converts values to other types if specified.
             * @param message FlowTuple
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.FlowTuple, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this FlowTuple to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for FlowTuple
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace FlowTuple {

            /** Properties of a FlowTuple. */
            interface $Properties {

                /** Source IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6. */
                srcIp?: (Uint8Array|null);

                /** Destination IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6. */
                dstIp?: (Uint8Array|null);

                /** Source port (TCP, UDP, SCTP, DCCP, UDP-Lite); 0 when the protocol has no ports. */
                srcPort?: (number|null);

                /** Destination port; 0 when the protocol has no ports. */
                dstPort?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FlowTuple. */
            type $Shape = segflow.v1.FlowTuple.$Properties;
        }

        /**
         * Properties of a FlowRecord.
         * @deprecated Use segflow.v1.FlowRecord.$Properties instead.
         */
        interface IFlowRecord extends segflow.v1.FlowRecord.$Properties {
        }

        /** One flow as one node saw it during one report interval. */
        class FlowRecord {

            /**
             * Constructs a new FlowRecord.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.FlowRecord.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Which kind of source produced the record. */
            source: segflow.v1.FlowSource;

            /** Name of the node the agent runs on (Kubernetes node name or host name). */
            nodeName: string;

            /** Start of the flow (not of the interval), Unix time in nanoseconds; 0 when unknown. */
            startTimeUnixNano: (number|Long);

            /**
             * End of the interval this record covers, Unix time in nanoseconds (for DESTROY: when the
             * flow ended). The enricher places the record in its aggregation window by this time.
             */
            endTimeUnixNano: (number|Long);

            /** IP version of both tuples: 4 or 6. */
            ipVersion: number;

            /** IANA protocol number (6 = TCP, 17 = UDP, 1 = ICMP, 58 = ICMPv6, 132 = SCTP, ...). */
            protocol: number;

            /** The tuple of the initiating direction, as the packets left the initiator. */
            original?: (segflow.v1.FlowTuple.$Properties|null);

            /** The tuple of the answering direction, as conntrack expects the replies (shows NAT). */
            reply?: (segflow.v1.FlowTuple.$Properties|null);

            /** Packets in the original direction since the previous report of this flow by this agent. */
            originalPackets: (number|Long);

            /** Bytes (IP header included) in the original direction since the previous report. */
            originalBytes: (number|Long);

            /** Packets in the reply direction since the previous report. */
            replyPackets: (number|Long);

            /** Bytes (IP header included) in the reply direction since the previous report. */
            replyBytes: (number|Long);

            /** Whether this record is the first (NEW), an intermediate (UPDATE) or the last (DESTROY) one. */
            eventKind: segflow.v1.FlowEventKind;

            /** TCP state at the end of the interval; TCP_STATE_UNSPECIFIED for other protocols. */
            tcpState: segflow.v1.TcpState;

            /** conntrack ASSURED: traffic was seen in both directions (the connection is established). */
            assured: boolean;

            /** conntrack UNREPLIED: nothing has been seen in the reply direction (yet). */
            unreplied: boolean;

            /**
             * conntrack entry id (`conntrack -o id`), unique among live entries of one namespace;
             * 0 when the source has none.
             */
            conntrackId: number;

            /** conntrack mark (ctmark) set by the datapath's rules; 0 when unset. */
            conntrackMark: number;

            /** What the datapath did, if the source knows it. */
            dataplaneVerdict: segflow.v1.DataplaneVerdict;

            /**
             * Free-form hint about the rule that decided, e.g. an NFLOG prefix such as "DPI|default/allow-web";
             * empty when unknown.
             */
            ruleHint: string;

            /** ICMP/ICMPv6 type of the original direction (e.g. 8 = echo request); 0 for other protocols. */
            icmpType: number;

            /** ICMP/ICMPv6 code of the original direction; 0 for other protocols. */
            icmpCode: number;

            /** ICMP query identifier (echo id); 0 for other protocols. */
            icmpId: number;

            /**
             * Whether the counters are real: false when the source had no accounting (for conntrack:
             * `net.netfilter.nf_conntrack_acct` off), in which case every packet/byte field is 0.
             */
            countersValid: boolean;

            /**
             * Set on a DESTROY record that is also the flow's first report: it started and ended between
             * two of the agent's reports, and one record says both (an agent may hold a start until its
             * next read of the table). Readers count the flow as started, as for a NEW record.
             */
            includesStart: boolean;

            /**
             * Creates a new FlowRecord instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FlowRecord instance
             */
            static create(properties: segflow.v1.FlowRecord.$Shape): segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape;
            static create(properties?: segflow.v1.FlowRecord.$Properties): segflow.v1.FlowRecord;

            /**
             * Encodes the specified FlowRecord message. Does not implicitly {@link segflow.v1.FlowRecord.verify|verify} messages.
             * @param message FlowRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.FlowRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified FlowRecord message, length delimited. Does not implicitly {@link segflow.v1.FlowRecord.verify|verify} messages.
             * @param message FlowRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.FlowRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FlowRecord message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape} FlowRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape;

            /**
             * Decodes a FlowRecord message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape} FlowRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape;

            /**
             * Verifies a FlowRecord message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a FlowRecord message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FlowRecord
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.FlowRecord;

            /**
             * Creates a plain object from a FlowRecord message. Also converts values to other types if specified.
             * @param message FlowRecord
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.FlowRecord, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this FlowRecord to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for FlowRecord
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace FlowRecord {

            /** Properties of a FlowRecord. */
            interface $Properties {

                /** Which kind of source produced the record. */
                source?: (segflow.v1.FlowSource|null);

                /** Name of the node the agent runs on (Kubernetes node name or host name). */
                nodeName?: (string|null);

                /** Start of the flow (not of the interval), Unix time in nanoseconds; 0 when unknown. */
                startTimeUnixNano?: (number|Long|null);

                /**
                 * End of the interval this record covers, Unix time in nanoseconds (for DESTROY: when the
                 * flow ended). The enricher places the record in its aggregation window by this time.
                 */
                endTimeUnixNano?: (number|Long|null);

                /** IP version of both tuples: 4 or 6. */
                ipVersion?: (number|null);

                /** IANA protocol number (6 = TCP, 17 = UDP, 1 = ICMP, 58 = ICMPv6, 132 = SCTP, ...). */
                protocol?: (number|null);

                /** The tuple of the initiating direction, as the packets left the initiator. */
                original?: (segflow.v1.FlowTuple.$Properties|null);

                /** The tuple of the answering direction, as conntrack expects the replies (shows NAT). */
                reply?: (segflow.v1.FlowTuple.$Properties|null);

                /** Packets in the original direction since the previous report of this flow by this agent. */
                originalPackets?: (number|Long|null);

                /** Bytes (IP header included) in the original direction since the previous report. */
                originalBytes?: (number|Long|null);

                /** Packets in the reply direction since the previous report. */
                replyPackets?: (number|Long|null);

                /** Bytes (IP header included) in the reply direction since the previous report. */
                replyBytes?: (number|Long|null);

                /** Whether this record is the first (NEW), an intermediate (UPDATE) or the last (DESTROY) one. */
                eventKind?: (segflow.v1.FlowEventKind|null);

                /** TCP state at the end of the interval; TCP_STATE_UNSPECIFIED for other protocols. */
                tcpState?: (segflow.v1.TcpState|null);

                /** conntrack ASSURED: traffic was seen in both directions (the connection is established). */
                assured?: (boolean|null);

                /** conntrack UNREPLIED: nothing has been seen in the reply direction (yet). */
                unreplied?: (boolean|null);

                /**
                 * conntrack entry id (`conntrack -o id`), unique among live entries of one namespace;
                 * 0 when the source has none.
                 */
                conntrackId?: (number|null);

                /** conntrack mark (ctmark) set by the datapath's rules; 0 when unset. */
                conntrackMark?: (number|null);

                /** What the datapath did, if the source knows it. */
                dataplaneVerdict?: (segflow.v1.DataplaneVerdict|null);

                /**
                 * Free-form hint about the rule that decided, e.g. an NFLOG prefix such as "DPI|default/allow-web";
                 * empty when unknown.
                 */
                ruleHint?: (string|null);

                /** ICMP/ICMPv6 type of the original direction (e.g. 8 = echo request); 0 for other protocols. */
                icmpType?: (number|null);

                /** ICMP/ICMPv6 code of the original direction; 0 for other protocols. */
                icmpCode?: (number|null);

                /** ICMP query identifier (echo id); 0 for other protocols. */
                icmpId?: (number|null);

                /**
                 * Whether the counters are real: false when the source had no accounting (for conntrack:
                 * `net.netfilter.nf_conntrack_acct` off), in which case every packet/byte field is 0.
                 */
                countersValid?: (boolean|null);

                /**
                 * Set on a DESTROY record that is also the flow's first report: it started and ended between
                 * two of the agent's reports, and one record says both (an agent may hold a start until its
                 * next read of the table). Readers count the flow as started, as for a NEW record.
                 */
                includesStart?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FlowRecord. */
            type $Shape = segflow.v1.FlowRecord.$Properties;
        }

        /**
         * Properties of a FlowBatch.
         * @deprecated Use segflow.v1.FlowBatch.$Properties instead.
         */
        interface IFlowBatch extends segflow.v1.FlowBatch.$Properties {
        }

        /** One Kafka message: a batch of records from one agent. */
        class FlowBatch {

            /**
             * Constructs a new FlowBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.FlowBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Stable identity of the agent (defaults to the node name); the enricher tracks sequence
             * numbers per (agent_id, boot_id).
             */
            agentId: string;

            /** Random id chosen at each agent start (a UUID); a new boot id restarts the sequence. */
            bootId: string;

            /**
             * Per-agent, per-boot sequence number: 1 for the first batch after start, then +1 per batch.
             * A gap means lost batches, a repeat means a duplicate delivery (e.g. a spool replay).
             */
            sequence: (number|Long);

            /** The records; a batch may be empty only as a heartbeat. */
            records: segflow.v1.FlowRecord.$Properties[];

            /**
             * When the agent built the batch, Unix time in nanoseconds (not when Kafka received it: a
             * batch replayed from the spool keeps its original time).
             */
            sentTimeUnixNano: (number|Long);

            /**
             * Name of the node the agent runs on (same as every record's node_name); used for routing
             * and for batches without records.
             */
            nodeName: string;

            /**
             * What the agent lost before it could put it into a batch or deliver it (its own drops), so
             * the completeness figure is end to end. Unset = nothing lost (or an agent that predates it).
             */
            loss?: (segflow.v1.LossReport.$Properties|null);

            /**
             * Milliseconds between the heartbeats (empty batches) the agent sends while it has nothing
             * else to send; 0 = no heartbeats. Lets a reader tell "silent" from "idle".
             */
            heartbeatIntervalMs: number;

            /**
             * Creates a new FlowBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FlowBatch instance
             */
            static create(properties: segflow.v1.FlowBatch.$Shape): segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape;
            static create(properties?: segflow.v1.FlowBatch.$Properties): segflow.v1.FlowBatch;

            /**
             * Encodes the specified FlowBatch message. Does not implicitly {@link segflow.v1.FlowBatch.verify|verify} messages.
             * @param message FlowBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.FlowBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified FlowBatch message, length delimited. Does not implicitly {@link segflow.v1.FlowBatch.verify|verify} messages.
             * @param message FlowBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.FlowBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FlowBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape} FlowBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape;

            /**
             * Decodes a FlowBatch message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape} FlowBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape;

            /**
             * Verifies a FlowBatch message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a FlowBatch message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FlowBatch
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.FlowBatch;

            /**
             * Creates a plain object from a FlowBatch message. Also converts values to other types if specified.
             * @param message FlowBatch
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.FlowBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this FlowBatch to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for FlowBatch
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace FlowBatch {

            /** Properties of a FlowBatch. */
            interface $Properties {

                /**
                 * Stable identity of the agent (defaults to the node name); the enricher tracks sequence
                 * numbers per (agent_id, boot_id).
                 */
                agentId?: (string|null);

                /** Random id chosen at each agent start (a UUID); a new boot id restarts the sequence. */
                bootId?: (string|null);

                /**
                 * Per-agent, per-boot sequence number: 1 for the first batch after start, then +1 per batch.
                 * A gap means lost batches, a repeat means a duplicate delivery (e.g. a spool replay).
                 */
                sequence?: (number|Long|null);

                /** The records; a batch may be empty only as a heartbeat. */
                records?: (segflow.v1.FlowRecord.$Properties[]|null);

                /**
                 * When the agent built the batch, Unix time in nanoseconds (not when Kafka received it: a
                 * batch replayed from the spool keeps its original time).
                 */
                sentTimeUnixNano?: (number|Long|null);

                /**
                 * Name of the node the agent runs on (same as every record's node_name); used for routing
                 * and for batches without records.
                 */
                nodeName?: (string|null);

                /**
                 * What the agent lost before it could put it into a batch or deliver it (its own drops), so
                 * the completeness figure is end to end. Unset = nothing lost (or an agent that predates it).
                 */
                loss?: (segflow.v1.LossReport.$Properties|null);

                /**
                 * Milliseconds between the heartbeats (empty batches) the agent sends while it has nothing
                 * else to send; 0 = no heartbeats. Lets a reader tell "silent" from "idle".
                 */
                heartbeatIntervalMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FlowBatch. */
            type $Shape = segflow.v1.FlowBatch.$Properties;
        }

        /** Why an agent lost records. */
        enum LossCause {

            /** Never written by a correct producer; readers count it as "other". */
            LOSS_CAUSE_UNSPECIFIED = 0,

            /** The disk spool was full: its oldest batches were deleted. */
            LOSS_CAUSE_SPOOL_FULL = 1,

            /** The spool held unreadable data after a crash (a torn write). */
            LOSS_CAUSE_SPOOL_CORRUPT = 2,

            /** A batch could not be written to the spool (disk error). */
            LOSS_CAUSE_SPOOL_ERROR = 3,

            /** The kernel's eBPF ring/perf buffer was full: events dropped before the agent read them. */
            LOSS_CAUSE_RING_BUFFER = 4,

            /** A previous run of the agent was killed with records in memory (its crash ledger). */
            LOSS_CAUSE_CRASH = 5,

            /** A source produced a record the wire schema rejects (an agent bug). */
            LOSS_CAUSE_ENCODE = 6
        }

        /**
         * Properties of a LossCount.
         * @deprecated Use segflow.v1.LossCount.$Properties instead.
         */
        interface ILossCount extends segflow.v1.LossCount.$Properties {
        }

        /** Records (and, where the cause loses whole batches, batches) lost for one cause. */
        class LossCount {

            /**
             * Constructs a new LossCount.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.LossCount.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** LossCount cause. */
            cause: segflow.v1.LossCause;

            /** LossCount records. */
            records: (number|Long);

            /** LossCount batches. */
            batches: (number|Long);

            /**
             * Creates a new LossCount instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LossCount instance
             */
            static create(properties: segflow.v1.LossCount.$Shape): segflow.v1.LossCount & segflow.v1.LossCount.$Shape;
            static create(properties?: segflow.v1.LossCount.$Properties): segflow.v1.LossCount;

            /**
             * Encodes the specified LossCount message. Does not implicitly {@link segflow.v1.LossCount.verify|verify} messages.
             * @param message LossCount message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.LossCount.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified LossCount message, length delimited. Does not implicitly {@link segflow.v1.LossCount.verify|verify} messages.
             * @param message LossCount message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.LossCount.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LossCount message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.LossCount & segflow.v1.LossCount.$Shape} LossCount
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.LossCount & segflow.v1.LossCount.$Shape;

            /**
             * Decodes a LossCount message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.LossCount & segflow.v1.LossCount.$Shape} LossCount
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.LossCount & segflow.v1.LossCount.$Shape;

            /**
             * Verifies a LossCount message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a LossCount message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns LossCount
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.LossCount;

            /**
             * Creates a plain object from a LossCount message. Also converts values to other types if specified.
             * @param message LossCount
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.LossCount, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this LossCount to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for LossCount
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace LossCount {

            /** Properties of a LossCount. */
            interface $Properties {

                /** LossCount cause */
                cause?: (segflow.v1.LossCause|null);

                /** LossCount records */
                records?: (number|Long|null);

                /** LossCount batches */
                batches?: (number|Long|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LossCount. */
            type $Shape = segflow.v1.LossCount.$Properties;
        }

        /**
         * Properties of a LossReport.
         * @deprecated Use segflow.v1.LossReport.$Properties instead.
         */
        interface ILossReport extends segflow.v1.LossReport.$Properties {
        }

        /**
         * An agent's losses: since its previous batch and since it started. The cumulative counts make
         * a lost batch lose no count: the next batch's totals still hold it.
         */
        class LossReport {

            /**
             * Constructs a new LossReport.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.LossReport.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Lost since the previous batch of this boot (for the first batch: since the boot started). */
            sincePrevious: segflow.v1.LossCount.$Properties[];

            /** Lost since this boot started (non-decreasing from batch to batch). */
            sinceBoot: segflow.v1.LossCount.$Properties[];

            /**
             * Creates a new LossReport instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LossReport instance
             */
            static create(properties: segflow.v1.LossReport.$Shape): segflow.v1.LossReport & segflow.v1.LossReport.$Shape;
            static create(properties?: segflow.v1.LossReport.$Properties): segflow.v1.LossReport;

            /**
             * Encodes the specified LossReport message. Does not implicitly {@link segflow.v1.LossReport.verify|verify} messages.
             * @param message LossReport message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.LossReport.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified LossReport message, length delimited. Does not implicitly {@link segflow.v1.LossReport.verify|verify} messages.
             * @param message LossReport message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.LossReport.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LossReport message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.LossReport & segflow.v1.LossReport.$Shape} LossReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.LossReport & segflow.v1.LossReport.$Shape;

            /**
             * Decodes a LossReport message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.LossReport & segflow.v1.LossReport.$Shape} LossReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.LossReport & segflow.v1.LossReport.$Shape;

            /**
             * Verifies a LossReport message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a LossReport message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns LossReport
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.LossReport;

            /**
             * Creates a plain object from a LossReport message. Also converts values to other types if specified.
             * @param message LossReport
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.LossReport, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this LossReport to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for LossReport
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace LossReport {

            /** Properties of a LossReport. */
            interface $Properties {

                /** Lost since the previous batch of this boot (for the first batch: since the boot started). */
                sincePrevious?: (segflow.v1.LossCount.$Properties[]|null);

                /** Lost since this boot started (non-decreasing from batch to batch). */
                sinceBoot?: (segflow.v1.LossCount.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LossReport. */
            type $Shape = segflow.v1.LossReport.$Properties;
        }

        /**
         * Properties of a SourceReport.
         * @deprecated Use segflow.v1.SourceReport.$Properties instead.
         */
        interface ISourceReport extends segflow.v1.SourceReport.$Properties {
        }

        /**
         * What a flow source that has no batches of its own reports about itself (the Goldmane source:
         * one message per flow, no sequence numbers), on the raw topic with `segflow-schema:
         * segflow.v1.SourceReport`: how many flows it published, and any span of time whose flows it may
         * have missed. Sent every report_interval_ms and at once after the source reconnects. The
         * enricher turns each into a report document, the completeness figure's input.
         */
        class SourceReport {

            /**
             * Constructs a new SourceReport.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.SourceReport.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** The source's name (the `segflow-goldmane-source` header of its flows), e.g. calico-1. */
            sourceName: string;

            /** What kind of source: "goldmane". */
            sourceKind: string;

            /** Random id chosen at each start of the source process. */
            runId: string;

            /**
             * Numbers the reports of a run (1, 2, ...): only to give each report one identity, so a report
             * delivered twice is one document. A missing number loses no flows: it is not a gap count.
             */
            reportNumber: (number|Long);

            /** When the source built the report, Unix time in nanoseconds. */
            sentTimeUnixNano: (number|Long);

            /** Flows published to the raw topic since the previous report of the run, and since the run began. */
            flowsSincePrevious: (number|Long);

            /** SourceReport flowsTotal. */
            flowsTotal: (number|Long);

            /** Milliseconds between two reports (a reader tells "silent" from "idle" by it). */
            reportIntervalMs: number;

            /** Whether the source's stream from Goldmane was open when it built the report. */
            upstreamConnected: boolean;

            /**
             * A span whose flows may be lost (unset: none known). Sent until published; a span still
             * growing (the source is still away) is sent again with the same start and a later end.
             */
            possibleLoss?: (segflow.v1.PossibleLoss.$Properties|null);

            /**
             * Creates a new SourceReport instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SourceReport instance
             */
            static create(properties: segflow.v1.SourceReport.$Shape): segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape;
            static create(properties?: segflow.v1.SourceReport.$Properties): segflow.v1.SourceReport;

            /**
             * Encodes the specified SourceReport message. Does not implicitly {@link segflow.v1.SourceReport.verify|verify} messages.
             * @param message SourceReport message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.SourceReport.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified SourceReport message, length delimited. Does not implicitly {@link segflow.v1.SourceReport.verify|verify} messages.
             * @param message SourceReport message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.SourceReport.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SourceReport message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape} SourceReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape;

            /**
             * Decodes a SourceReport message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape} SourceReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape;

            /**
             * Verifies a SourceReport message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SourceReport message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SourceReport
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.SourceReport;

            /**
             * Creates a plain object from a SourceReport message. Also converts values to other types if specified.
             * @param message SourceReport
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.SourceReport, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SourceReport to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for SourceReport
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace SourceReport {

            /** Properties of a SourceReport. */
            interface $Properties {

                /** The source's name (the `segflow-goldmane-source` header of its flows), e.g. calico-1. */
                sourceName?: (string|null);

                /** What kind of source: "goldmane". */
                sourceKind?: (string|null);

                /** Random id chosen at each start of the source process. */
                runId?: (string|null);

                /**
                 * Numbers the reports of a run (1, 2, ...): only to give each report one identity, so a report
                 * delivered twice is one document. A missing number loses no flows: it is not a gap count.
                 */
                reportNumber?: (number|Long|null);

                /** When the source built the report, Unix time in nanoseconds. */
                sentTimeUnixNano?: (number|Long|null);

                /** Flows published to the raw topic since the previous report of the run, and since the run began. */
                flowsSincePrevious?: (number|Long|null);

                /** SourceReport flowsTotal */
                flowsTotal?: (number|Long|null);

                /** Milliseconds between two reports (a reader tells "silent" from "idle" by it). */
                reportIntervalMs?: (number|null);

                /** Whether the source's stream from Goldmane was open when it built the report. */
                upstreamConnected?: (boolean|null);

                /**
                 * A span whose flows may be lost (unset: none known). Sent until published; a span still
                 * growing (the source is still away) is sent again with the same start and a later end.
                 */
                possibleLoss?: (segflow.v1.PossibleLoss.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SourceReport. */
            type $Shape = segflow.v1.SourceReport.$Properties;
        }

        /**
         * Why flows may be missing over a span of time (not a count of records: how many flows fell into
         * the span is unknowable).
         */
        enum SpanLossCause {

            /** SPAN_LOSS_CAUSE_UNSPECIFIED value */
            SPAN_LOSS_CAUSE_UNSPECIFIED = 0,

            /**
             * The source was away longer than Goldmane keeps flows: Goldmane dropped them before the
             * source could read them.
             */
            SPAN_LOSS_CAUSE_GOLDMANE_RETENTION = 1
        }

        /**
         * Properties of a PossibleLoss.
         * @deprecated Use segflow.v1.PossibleLoss.$Properties instead.
         */
        interface IPossibleLoss extends segflow.v1.PossibleLoss.$Properties {
        }

        /** Represents a PossibleLoss. */
        class PossibleLoss {

            /**
             * Constructs a new PossibleLoss.
             * @param [properties] Properties to set
             */
            constructor(properties?: segflow.v1.PossibleLoss.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PossibleLoss cause. */
            cause: segflow.v1.SpanLossCause;

            /**
             * The span, Unix ms: from the newest flow end the source had published to the oldest time
             * Goldmane still held when the source came back.
             */
            fromUnixMs: (number|Long);

            /** PossibleLoss toUnixMs. */
            toUnixMs: (number|Long);

            /** How long Goldmane keeps flows, as the source was configured (for the words of the reason). */
            retentionSeconds: number;

            /**
             * Creates a new PossibleLoss instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PossibleLoss instance
             */
            static create(properties: segflow.v1.PossibleLoss.$Shape): segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape;
            static create(properties?: segflow.v1.PossibleLoss.$Properties): segflow.v1.PossibleLoss;

            /**
             * Encodes the specified PossibleLoss message. Does not implicitly {@link segflow.v1.PossibleLoss.verify|verify} messages.
             * @param message PossibleLoss message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: segflow.v1.PossibleLoss.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Encodes the specified PossibleLoss message, length delimited. Does not implicitly {@link segflow.v1.PossibleLoss.verify|verify} messages.
             * @param message PossibleLoss message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encodeDelimited(message: segflow.v1.PossibleLoss.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PossibleLoss message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape} PossibleLoss
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape;

            /**
             * Decodes a PossibleLoss message from the specified reader or buffer, length delimited.
             * @param reader Reader or buffer to decode from
             * @returns {segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape} PossibleLoss
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape;

            /**
             * Verifies a PossibleLoss message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a PossibleLoss message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns PossibleLoss
             */
            static fromObject(object: { [k: string]: any }): segflow.v1.PossibleLoss;

            /**
             * Creates a plain object from a PossibleLoss message. Also converts values to other types if specified.
             * @param message PossibleLoss
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: segflow.v1.PossibleLoss, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this PossibleLoss to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for PossibleLoss
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace PossibleLoss {

            /** Properties of a PossibleLoss. */
            interface $Properties {

                /** PossibleLoss cause */
                cause?: (segflow.v1.SpanLossCause|null);

                /**
                 * The span, Unix ms: from the newest flow end the source had published to the oldest time
                 * Goldmane still held when the source came back.
                 */
                fromUnixMs?: (number|Long|null);

                /** PossibleLoss toUnixMs */
                toUnixMs?: (number|Long|null);

                /** How long Goldmane keeps flows, as the source was configured (for the words of the reason). */
                retentionSeconds?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PossibleLoss. */
            type $Shape = segflow.v1.PossibleLoss.$Properties;
        }
    }
}
