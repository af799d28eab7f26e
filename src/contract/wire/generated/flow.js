/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Number = $util.global.Number, $String = $util.global.String, $Array = $util.global.Array, $parseInt = $util.global.parseInt, $Boolean = $util.global.Boolean, $BigInt = $util.global.BigInt;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const segflow = $root.segflow = (() => {

    /**
     * Namespace segflow.
     * @exports segflow
     * @namespace
     */
    const segflow = {};

    segflow.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof segflow
         * @namespace
         */
        const v1 = {};

        /**
         * Where a record was observed.
         * @name segflow.v1.FlowSource
         * @enum {number}
         * @property {number} FLOW_SOURCE_UNSPECIFIED=0 Never written by a correct producer; readers reject it.
         * @property {number} FLOW_SOURCE_CONNTRACK=1 The kernel connection tracking table (netfilter conntrack) of the agent's network namespace.
         * @property {number} FLOW_SOURCE_EBPF=2 An eBPF probe on the node's datapath (sees denied packets too).
         * @property {number} FLOW_SOURCE_SYNTHETIC=3 Generated traffic between the endpoints of an inventory, for demos and load tests.
         */
        v1.FlowSource = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "FLOW_SOURCE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "FLOW_SOURCE_CONNTRACK"] = 1;
            values[valuesById[2] = "FLOW_SOURCE_EBPF"] = 2;
            values[valuesById[3] = "FLOW_SOURCE_SYNTHETIC"] = 3;
            return values;
        })();

        /**
         * What happened to the flow in the interval this record reports.
         * @name segflow.v1.FlowEventKind
         * @enum {number}
         * @property {number} FLOW_EVENT_KIND_UNSPECIFIED=0 Never written by a correct producer; readers reject it.
         * @property {number} FLOW_EVENT_KIND_NEW=1 First report of a flow: the connection was created (or first seen by this agent).
         * @property {number} FLOW_EVENT_KIND_UPDATE=2 The flow is still alive; counters carry what happened since the previous report.
         * @property {number} FLOW_EVENT_KIND_DESTROY=3 The flow ended: its conntrack entry was destroyed (timeout, flush), or, for TCP, the agent
         * first saw it settled (TIME_WAIT or CLOSE), up to 120 s before the kernel destroys the entry.
         * Packets the kernel still counts for it after that (a stray ACK) come in UPDATE records.
         */
        v1.FlowEventKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "FLOW_EVENT_KIND_UNSPECIFIED"] = 0;
            values[valuesById[1] = "FLOW_EVENT_KIND_NEW"] = 1;
            values[valuesById[2] = "FLOW_EVENT_KIND_UPDATE"] = 2;
            values[valuesById[3] = "FLOW_EVENT_KIND_DESTROY"] = 3;
            return values;
        })();

        /**
         * What the datapath did with the flow, when the source knows it.
         * @name segflow.v1.DataplaneVerdict
         * @enum {number}
         * @property {number} DATAPLANE_VERDICT_UNKNOWN=0 The source cannot tell (conntrack only sees flows that were let through far enough to be
         * tracked, but not which rule accepted them). The default.
         * @property {number} DATAPLANE_VERDICT_ALLOW=1 The datapath forwarded/accepted the flow.
         * @property {number} DATAPLANE_VERDICT_DENY=2 The datapath dropped or rejected the flow.
         */
        v1.DataplaneVerdict = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "DATAPLANE_VERDICT_UNKNOWN"] = 0;
            values[valuesById[1] = "DATAPLANE_VERDICT_ALLOW"] = 1;
            values[valuesById[2] = "DATAPLANE_VERDICT_DENY"] = 2;
            return values;
        })();

        /**
         * TCP connection state as netfilter conntrack names it (`include/uapi/linux/netfilter/nf_conntrack_tcp.h`).
         * @name segflow.v1.TcpState
         * @enum {number}
         * @property {number} TCP_STATE_UNSPECIFIED=0 Not a TCP flow, or the source does not know the state.
         * @property {number} TCP_STATE_NONE=1 TCP_STATE_NONE value
         * @property {number} TCP_STATE_SYN_SENT=2 TCP_STATE_SYN_SENT value
         * @property {number} TCP_STATE_SYN_RECV=3 TCP_STATE_SYN_RECV value
         * @property {number} TCP_STATE_ESTABLISHED=4 TCP_STATE_ESTABLISHED value
         * @property {number} TCP_STATE_FIN_WAIT=5 TCP_STATE_FIN_WAIT value
         * @property {number} TCP_STATE_CLOSE_WAIT=6 TCP_STATE_CLOSE_WAIT value
         * @property {number} TCP_STATE_LAST_ACK=7 TCP_STATE_LAST_ACK value
         * @property {number} TCP_STATE_TIME_WAIT=8 TCP_STATE_TIME_WAIT value
         * @property {number} TCP_STATE_CLOSE=9 TCP_STATE_CLOSE value
         * @property {number} TCP_STATE_SYN_SENT2=10 Simultaneous open (conntrack prints it as SYN_SENT2; very old kernels as LISTEN).
         */
        v1.TcpState = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "TCP_STATE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "TCP_STATE_NONE"] = 1;
            values[valuesById[2] = "TCP_STATE_SYN_SENT"] = 2;
            values[valuesById[3] = "TCP_STATE_SYN_RECV"] = 3;
            values[valuesById[4] = "TCP_STATE_ESTABLISHED"] = 4;
            values[valuesById[5] = "TCP_STATE_FIN_WAIT"] = 5;
            values[valuesById[6] = "TCP_STATE_CLOSE_WAIT"] = 6;
            values[valuesById[7] = "TCP_STATE_LAST_ACK"] = 7;
            values[valuesById[8] = "TCP_STATE_TIME_WAIT"] = 8;
            values[valuesById[9] = "TCP_STATE_CLOSE"] = 9;
            values[valuesById[10] = "TCP_STATE_SYN_SENT2"] = 10;
            return values;
        })();

        v1.FlowTuple = (function() {

            /**
             * Properties of a FlowTuple.
             * @typedef {Object} segflow.v1.FlowTuple.$Properties
             * @property {Uint8Array|null} [srcIp] Source IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6.
             * @property {Uint8Array|null} [dstIp] Destination IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6.
             * @property {number|null} [srcPort] Source port (TCP, UDP, SCTP, DCCP, UDP-Lite); 0 when the protocol has no ports.
             * @property {number|null} [dstPort] Destination port; 0 when the protocol has no ports.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FlowTuple.
             * @memberof segflow.v1
             * @interface IFlowTuple
             * @augments segflow.v1.FlowTuple.$Properties
             * @deprecated Use segflow.v1.FlowTuple.$Properties instead.
             */

            /**
             * Shape of a FlowTuple.
             * @typedef {segflow.v1.FlowTuple.$Properties} segflow.v1.FlowTuple.$Shape
             */

            /**
             * Constructs a new FlowTuple.
             * @memberof segflow.v1
             * @classdesc One direction of a connection as conntrack records it. For the original direction the source
             * is the initiator; for the reply direction the source is whoever answers — after DNAT that is
             * the backend (original dst = service IP, reply src = backend pod IP), after SNAT the reply
             * destination is the translated address.
             * @constructor
             * @param {segflow.v1.FlowTuple.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FlowTuple = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Source IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6.
             * @member {Uint8Array} srcIp
             * @memberof segflow.v1.FlowTuple
             * @instance
             */
            FlowTuple.prototype.srcIp = $util.newBuffer([]);

            /**
             * Destination IP address in network byte order: 4 bytes for IPv4, 16 bytes for IPv6.
             * @member {Uint8Array} dstIp
             * @memberof segflow.v1.FlowTuple
             * @instance
             */
            FlowTuple.prototype.dstIp = $util.newBuffer([]);

            /**
             * Source port (TCP, UDP, SCTP, DCCP, UDP-Lite); 0 when the protocol has no ports.
             * @member {number} srcPort
             * @memberof segflow.v1.FlowTuple
             * @instance
             */
            FlowTuple.prototype.srcPort = 0;

            /**
             * Destination port; 0 when the protocol has no ports.
             * @member {number} dstPort
             * @memberof segflow.v1.FlowTuple
             * @instance
             */
            FlowTuple.prototype.dstPort = 0;

            /**
             * Creates a new FlowTuple instance using the specified properties.
             * @function create
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {segflow.v1.FlowTuple.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.FlowTuple} FlowTuple instance
             * @type {{
             *   (properties: segflow.v1.FlowTuple.$Shape): segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape;
             *   (properties?: segflow.v1.FlowTuple.$Properties): segflow.v1.FlowTuple;
             * }}
             */
            FlowTuple.create = function(properties) {
                return new FlowTuple(properties);
            };

            /**
             * Encodes the specified FlowTuple message. Does not implicitly {@link segflow.v1.FlowTuple.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {segflow.v1.FlowTuple.$Properties} message FlowTuple message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowTuple.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.srcIp != null && $Object.hasOwnProperty.call(message, "srcIp") && message.srcIp.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.srcIp);
                if (message.dstIp != null && $Object.hasOwnProperty.call(message, "dstIp") && message.dstIp.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.dstIp);
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort") && message.srcPort !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.srcPort);
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort") && message.dstPort !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.dstPort);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified FlowTuple message, length delimited. Does not implicitly {@link segflow.v1.FlowTuple.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {segflow.v1.FlowTuple.$Properties} message FlowTuple message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowTuple.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a FlowTuple message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape} FlowTuple
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowTuple.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.FlowTuple();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.srcIp = value;
                            else
                                delete message.srcIp;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.dstIp = value;
                            else
                                delete message.dstIp;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.srcPort = value;
                            else
                                delete message.srcPort;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.dstPort = value;
                            else
                                delete message.dstPort;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a FlowTuple message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowTuple & segflow.v1.FlowTuple.$Shape} FlowTuple
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowTuple.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a FlowTuple message.
             * @function verify
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            FlowTuple.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.srcIp != null && $Object.hasOwnProperty.call(message, "srcIp"))
                    if (!(message.srcIp && typeof message.srcIp.length === "number" || $util.isString(message.srcIp)))
                        return "srcIp: buffer expected";
                if (message.dstIp != null && $Object.hasOwnProperty.call(message, "dstIp"))
                    if (!(message.dstIp && typeof message.dstIp.length === "number" || $util.isString(message.dstIp)))
                        return "dstIp: buffer expected";
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    if (!$util.isInteger(message.srcPort))
                        return "srcPort: integer expected";
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    if (!$util.isInteger(message.dstPort))
                        return "dstPort: integer expected";
                return null;
            };

            /**
             * Creates a FlowTuple message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.FlowTuple} FlowTuple
             */
            FlowTuple.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.FlowTuple)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.FlowTuple: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.FlowTuple();
                if (object.srcIp != null)
                    if (object.srcIp.length)
                        if (typeof object.srcIp === "string")
                            $util.base64.decode(object.srcIp, message.srcIp = $util.newBuffer($util.base64.length(object.srcIp)), 0);
                        else if (object.srcIp.length >= 0)
                            message.srcIp = object.srcIp;
                if (object.dstIp != null)
                    if (object.dstIp.length)
                        if (typeof object.dstIp === "string")
                            $util.base64.decode(object.dstIp, message.dstIp = $util.newBuffer($util.base64.length(object.dstIp)), 0);
                        else if (object.dstIp.length >= 0)
                            message.dstIp = object.dstIp;
                if (object.srcPort != null)
                    if ($Number(object.srcPort) !== 0)
                        message.srcPort = object.srcPort >>> 0;
                if (object.dstPort != null)
                    if ($Number(object.dstPort) !== 0)
                        message.dstPort = object.dstPort >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a FlowTuple message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {segflow.v1.FlowTuple} message FlowTuple
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FlowTuple.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if (options.bytes === $String)
                        object.srcIp = "";
                    else {
                        object.srcIp = [];
                        if (options.bytes !== $Array)
                            object.srcIp = $util.newBuffer(object.srcIp);
                    }
                    if (options.bytes === $String)
                        object.dstIp = "";
                    else {
                        object.dstIp = [];
                        if (options.bytes !== $Array)
                            object.dstIp = $util.newBuffer(object.dstIp);
                    }
                    object.srcPort = 0;
                    object.dstPort = 0;
                }
                if (message.srcIp != null && $Object.hasOwnProperty.call(message, "srcIp"))
                    object.srcIp = options.bytes === $String ? $util.base64.encode(message.srcIp, 0, message.srcIp.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.srcIp) : message.srcIp;
                if (message.dstIp != null && $Object.hasOwnProperty.call(message, "dstIp"))
                    object.dstIp = options.bytes === $String ? $util.base64.encode(message.dstIp, 0, message.dstIp.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.dstIp) : message.dstIp;
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    object.srcPort = message.srcPort;
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    object.dstPort = message.dstPort;
                return object;
            };

            /**
             * Converts this FlowTuple to JSON.
             * @function toJSON
             * @memberof segflow.v1.FlowTuple
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FlowTuple.prototype.toJSON = function() {
                return FlowTuple.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FlowTuple
             * @function getTypeUrl
             * @memberof segflow.v1.FlowTuple
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FlowTuple.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.FlowTuple";
            };

            return FlowTuple;
        })();

        v1.FlowRecord = (function() {

            /**
             * Properties of a FlowRecord.
             * @typedef {Object} segflow.v1.FlowRecord.$Properties
             * @property {segflow.v1.FlowSource|null} [source] Which kind of source produced the record.
             * @property {string|null} [nodeName] Name of the node the agent runs on (Kubernetes node name or host name).
             * @property {number|Long|null} [startTimeUnixNano] Start of the flow (not of the interval), Unix time in nanoseconds; 0 when unknown.
             * @property {number|Long|null} [endTimeUnixNano] End of the interval this record covers, Unix time in nanoseconds (for DESTROY: when the
             * flow ended). The enricher places the record in its aggregation window by this time.
             * @property {number|null} [ipVersion] IP version of both tuples: 4 or 6.
             * @property {number|null} [protocol] IANA protocol number (6 = TCP, 17 = UDP, 1 = ICMP, 58 = ICMPv6, 132 = SCTP, ...).
             * @property {segflow.v1.FlowTuple.$Properties|null} [original] The tuple of the initiating direction, as the packets left the initiator.
             * @property {segflow.v1.FlowTuple.$Properties|null} [reply] The tuple of the answering direction, as conntrack expects the replies (shows NAT).
             * @property {number|Long|null} [originalPackets] Packets in the original direction since the previous report of this flow by this agent.
             * @property {number|Long|null} [originalBytes] Bytes (IP header included) in the original direction since the previous report.
             * @property {number|Long|null} [replyPackets] Packets in the reply direction since the previous report.
             * @property {number|Long|null} [replyBytes] Bytes (IP header included) in the reply direction since the previous report.
             * @property {segflow.v1.FlowEventKind|null} [eventKind] Whether this record is the first (NEW), an intermediate (UPDATE) or the last (DESTROY) one.
             * @property {segflow.v1.TcpState|null} [tcpState] TCP state at the end of the interval; TCP_STATE_UNSPECIFIED for other protocols.
             * @property {boolean|null} [assured] conntrack ASSURED: traffic was seen in both directions (the connection is established).
             * @property {boolean|null} [unreplied] conntrack UNREPLIED: nothing has been seen in the reply direction (yet).
             * @property {number|null} [conntrackId] conntrack entry id (`conntrack -o id`), unique among live entries of one namespace;
             * 0 when the source has none.
             * @property {number|null} [conntrackMark] conntrack mark (ctmark) set by the datapath's rules; 0 when unset.
             * @property {segflow.v1.DataplaneVerdict|null} [dataplaneVerdict] What the datapath did, if the source knows it.
             * @property {string|null} [ruleHint] Free-form hint about the rule that decided, e.g. an NFLOG prefix such as "DPI|default/allow-web";
             * empty when unknown.
             * @property {number|null} [icmpType] ICMP/ICMPv6 type of the original direction (e.g. 8 = echo request); 0 for other protocols.
             * @property {number|null} [icmpCode] ICMP/ICMPv6 code of the original direction; 0 for other protocols.
             * @property {number|null} [icmpId] ICMP query identifier (echo id); 0 for other protocols.
             * @property {boolean|null} [countersValid] Whether the counters are real: false when the source had no accounting (for conntrack:
             * `net.netfilter.nf_conntrack_acct` off), in which case every packet/byte field is 0.
             * @property {boolean|null} [includesStart] Set on a DESTROY record that is also the flow's first report: it started and ended between
             * two of the agent's reports, and one record says both (an agent may hold a start until its
             * next read of the table). Readers count the flow as started, as for a NEW record.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FlowRecord.
             * @memberof segflow.v1
             * @interface IFlowRecord
             * @augments segflow.v1.FlowRecord.$Properties
             * @deprecated Use segflow.v1.FlowRecord.$Properties instead.
             */

            /**
             * Shape of a FlowRecord.
             * @typedef {segflow.v1.FlowRecord.$Properties} segflow.v1.FlowRecord.$Shape
             */

            /**
             * Constructs a new FlowRecord.
             * @memberof segflow.v1
             * @classdesc One flow as one node saw it during one report interval.
             * @constructor
             * @param {segflow.v1.FlowRecord.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FlowRecord = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Which kind of source produced the record.
             * @member {segflow.v1.FlowSource} source
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.source = 0;

            /**
             * Name of the node the agent runs on (Kubernetes node name or host name).
             * @member {string} nodeName
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.nodeName = "";

            /**
             * Start of the flow (not of the interval), Unix time in nanoseconds; 0 when unknown.
             * @member {number|Long} startTimeUnixNano
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.startTimeUnixNano = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * End of the interval this record covers, Unix time in nanoseconds (for DESTROY: when the
             * flow ended). The enricher places the record in its aggregation window by this time.
             * @member {number|Long} endTimeUnixNano
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.endTimeUnixNano = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * IP version of both tuples: 4 or 6.
             * @member {number} ipVersion
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.ipVersion = 0;

            /**
             * IANA protocol number (6 = TCP, 17 = UDP, 1 = ICMP, 58 = ICMPv6, 132 = SCTP, ...).
             * @member {number} protocol
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.protocol = 0;

            /**
             * The tuple of the initiating direction, as the packets left the initiator.
             * @member {segflow.v1.FlowTuple.$Properties|null|undefined} original
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.original = null;

            /**
             * The tuple of the answering direction, as conntrack expects the replies (shows NAT).
             * @member {segflow.v1.FlowTuple.$Properties|null|undefined} reply
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.reply = null;

            /**
             * Packets in the original direction since the previous report of this flow by this agent.
             * @member {number|Long} originalPackets
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.originalPackets = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Bytes (IP header included) in the original direction since the previous report.
             * @member {number|Long} originalBytes
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.originalBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Packets in the reply direction since the previous report.
             * @member {number|Long} replyPackets
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.replyPackets = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Bytes (IP header included) in the reply direction since the previous report.
             * @member {number|Long} replyBytes
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.replyBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Whether this record is the first (NEW), an intermediate (UPDATE) or the last (DESTROY) one.
             * @member {segflow.v1.FlowEventKind} eventKind
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.eventKind = 0;

            /**
             * TCP state at the end of the interval; TCP_STATE_UNSPECIFIED for other protocols.
             * @member {segflow.v1.TcpState} tcpState
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.tcpState = 0;

            /**
             * conntrack ASSURED: traffic was seen in both directions (the connection is established).
             * @member {boolean} assured
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.assured = false;

            /**
             * conntrack UNREPLIED: nothing has been seen in the reply direction (yet).
             * @member {boolean} unreplied
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.unreplied = false;

            /**
             * conntrack entry id (`conntrack -o id`), unique among live entries of one namespace;
             * 0 when the source has none.
             * @member {number} conntrackId
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.conntrackId = 0;

            /**
             * conntrack mark (ctmark) set by the datapath's rules; 0 when unset.
             * @member {number} conntrackMark
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.conntrackMark = 0;

            /**
             * What the datapath did, if the source knows it.
             * @member {segflow.v1.DataplaneVerdict} dataplaneVerdict
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.dataplaneVerdict = 0;

            /**
             * Free-form hint about the rule that decided, e.g. an NFLOG prefix such as "DPI|default/allow-web";
             * empty when unknown.
             * @member {string} ruleHint
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.ruleHint = "";

            /**
             * ICMP/ICMPv6 type of the original direction (e.g. 8 = echo request); 0 for other protocols.
             * @member {number} icmpType
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.icmpType = 0;

            /**
             * ICMP/ICMPv6 code of the original direction; 0 for other protocols.
             * @member {number} icmpCode
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.icmpCode = 0;

            /**
             * ICMP query identifier (echo id); 0 for other protocols.
             * @member {number} icmpId
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.icmpId = 0;

            /**
             * Whether the counters are real: false when the source had no accounting (for conntrack:
             * `net.netfilter.nf_conntrack_acct` off), in which case every packet/byte field is 0.
             * @member {boolean} countersValid
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.countersValid = false;

            /**
             * Set on a DESTROY record that is also the flow's first report: it started and ended between
             * two of the agent's reports, and one record says both (an agent may hold a start until its
             * next read of the table). Readers count the flow as started, as for a NEW record.
             * @member {boolean} includesStart
             * @memberof segflow.v1.FlowRecord
             * @instance
             */
            FlowRecord.prototype.includesStart = false;

            /**
             * Creates a new FlowRecord instance using the specified properties.
             * @function create
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {segflow.v1.FlowRecord.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.FlowRecord} FlowRecord instance
             * @type {{
             *   (properties: segflow.v1.FlowRecord.$Shape): segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape;
             *   (properties?: segflow.v1.FlowRecord.$Properties): segflow.v1.FlowRecord;
             * }}
             */
            FlowRecord.create = function(properties) {
                return new FlowRecord(properties);
            };

            /**
             * Encodes the specified FlowRecord message. Does not implicitly {@link segflow.v1.FlowRecord.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {segflow.v1.FlowRecord.$Properties} message FlowRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowRecord.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.source);
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName") && message.nodeName !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.nodeName);
                if (message.startTimeUnixNano != null && $Object.hasOwnProperty.call(message, "startTimeUnixNano") && (typeof message.startTimeUnixNano === "object" ? message.startTimeUnixNano.low || message.startTimeUnixNano.high : message.startTimeUnixNano !== 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).fixed64(message.startTimeUnixNano);
                if (message.endTimeUnixNano != null && $Object.hasOwnProperty.call(message, "endTimeUnixNano") && (typeof message.endTimeUnixNano === "object" ? message.endTimeUnixNano.low || message.endTimeUnixNano.high : message.endTimeUnixNano !== 0))
                    writer.uint32(/* id 4, wireType 1 =*/33).fixed64(message.endTimeUnixNano);
                if (message.ipVersion != null && $Object.hasOwnProperty.call(message, "ipVersion") && message.ipVersion !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.ipVersion);
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.protocol);
                if (message.original != null && $Object.hasOwnProperty.call(message, "original"))
                    $root.segflow.v1.FlowTuple.encode(message.original, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.reply != null && $Object.hasOwnProperty.call(message, "reply"))
                    $root.segflow.v1.FlowTuple.encode(message.reply, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.originalPackets != null && $Object.hasOwnProperty.call(message, "originalPackets") && (typeof message.originalPackets === "object" ? message.originalPackets.low || message.originalPackets.high : message.originalPackets !== 0))
                    writer.uint32(/* id 9, wireType 0 =*/72).uint64(message.originalPackets);
                if (message.originalBytes != null && $Object.hasOwnProperty.call(message, "originalBytes") && (typeof message.originalBytes === "object" ? message.originalBytes.low || message.originalBytes.high : message.originalBytes !== 0))
                    writer.uint32(/* id 10, wireType 0 =*/80).uint64(message.originalBytes);
                if (message.replyPackets != null && $Object.hasOwnProperty.call(message, "replyPackets") && (typeof message.replyPackets === "object" ? message.replyPackets.low || message.replyPackets.high : message.replyPackets !== 0))
                    writer.uint32(/* id 11, wireType 0 =*/88).uint64(message.replyPackets);
                if (message.replyBytes != null && $Object.hasOwnProperty.call(message, "replyBytes") && (typeof message.replyBytes === "object" ? message.replyBytes.low || message.replyBytes.high : message.replyBytes !== 0))
                    writer.uint32(/* id 12, wireType 0 =*/96).uint64(message.replyBytes);
                if (message.eventKind != null && $Object.hasOwnProperty.call(message, "eventKind") && message.eventKind !== 0)
                    writer.uint32(/* id 13, wireType 0 =*/104).int32(message.eventKind);
                if (message.tcpState != null && $Object.hasOwnProperty.call(message, "tcpState") && message.tcpState !== 0)
                    writer.uint32(/* id 14, wireType 0 =*/112).int32(message.tcpState);
                if (message.assured != null && $Object.hasOwnProperty.call(message, "assured") && message.assured !== false)
                    writer.uint32(/* id 15, wireType 0 =*/120).bool(message.assured);
                if (message.unreplied != null && $Object.hasOwnProperty.call(message, "unreplied") && message.unreplied !== false)
                    writer.uint32(/* id 16, wireType 0 =*/128).bool(message.unreplied);
                if (message.conntrackId != null && $Object.hasOwnProperty.call(message, "conntrackId") && message.conntrackId !== 0)
                    writer.uint32(/* id 17, wireType 0 =*/136).uint32(message.conntrackId);
                if (message.conntrackMark != null && $Object.hasOwnProperty.call(message, "conntrackMark") && message.conntrackMark !== 0)
                    writer.uint32(/* id 18, wireType 0 =*/144).uint32(message.conntrackMark);
                if (message.dataplaneVerdict != null && $Object.hasOwnProperty.call(message, "dataplaneVerdict") && message.dataplaneVerdict !== 0)
                    writer.uint32(/* id 19, wireType 0 =*/152).int32(message.dataplaneVerdict);
                if (message.ruleHint != null && $Object.hasOwnProperty.call(message, "ruleHint") && message.ruleHint !== "")
                    writer.uint32(/* id 20, wireType 2 =*/162).string(message.ruleHint);
                if (message.icmpType != null && $Object.hasOwnProperty.call(message, "icmpType") && message.icmpType !== 0)
                    writer.uint32(/* id 21, wireType 0 =*/168).uint32(message.icmpType);
                if (message.icmpCode != null && $Object.hasOwnProperty.call(message, "icmpCode") && message.icmpCode !== 0)
                    writer.uint32(/* id 22, wireType 0 =*/176).uint32(message.icmpCode);
                if (message.icmpId != null && $Object.hasOwnProperty.call(message, "icmpId") && message.icmpId !== 0)
                    writer.uint32(/* id 23, wireType 0 =*/184).uint32(message.icmpId);
                if (message.countersValid != null && $Object.hasOwnProperty.call(message, "countersValid") && message.countersValid !== false)
                    writer.uint32(/* id 24, wireType 0 =*/192).bool(message.countersValid);
                if (message.includesStart != null && $Object.hasOwnProperty.call(message, "includesStart") && message.includesStart !== false)
                    writer.uint32(/* id 25, wireType 0 =*/200).bool(message.includesStart);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified FlowRecord message, length delimited. Does not implicitly {@link segflow.v1.FlowRecord.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {segflow.v1.FlowRecord.$Properties} message FlowRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowRecord.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a FlowRecord message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape} FlowRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowRecord.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.FlowRecord();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.source = value;
                            else
                                delete message.source;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.nodeName = value;
                            else
                                delete message.nodeName;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.startTimeUnixNano = value;
                            else
                                delete message.startTimeUnixNano;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.endTimeUnixNano = value;
                            else
                                delete message.endTimeUnixNano;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.ipVersion = value;
                            else
                                delete message.ipVersion;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.original = $root.segflow.v1.FlowTuple.decode(reader, reader.size(), $undefined, _depth + 1, message.original);
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.reply = $root.segflow.v1.FlowTuple.decode(reader, reader.size(), $undefined, _depth + 1, message.reply);
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.originalPackets = value;
                            else
                                delete message.originalPackets;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.originalBytes = value;
                            else
                                delete message.originalBytes;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.replyPackets = value;
                            else
                                delete message.replyPackets;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.replyBytes = value;
                            else
                                delete message.replyBytes;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.eventKind = value;
                            else
                                delete message.eventKind;
                            continue;
                        }
                    case 14: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.tcpState = value;
                            else
                                delete message.tcpState;
                            continue;
                        }
                    case 15: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.assured = value;
                            else
                                delete message.assured;
                            continue;
                        }
                    case 16: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.unreplied = value;
                            else
                                delete message.unreplied;
                            continue;
                        }
                    case 17: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.conntrackId = value;
                            else
                                delete message.conntrackId;
                            continue;
                        }
                    case 18: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.conntrackMark = value;
                            else
                                delete message.conntrackMark;
                            continue;
                        }
                    case 19: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.dataplaneVerdict = value;
                            else
                                delete message.dataplaneVerdict;
                            continue;
                        }
                    case 20: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.ruleHint = value;
                            else
                                delete message.ruleHint;
                            continue;
                        }
                    case 21: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.icmpType = value;
                            else
                                delete message.icmpType;
                            continue;
                        }
                    case 22: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.icmpCode = value;
                            else
                                delete message.icmpCode;
                            continue;
                        }
                    case 23: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.icmpId = value;
                            else
                                delete message.icmpId;
                            continue;
                        }
                    case 24: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.countersValid = value;
                            else
                                delete message.countersValid;
                            continue;
                        }
                    case 25: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.includesStart = value;
                            else
                                delete message.includesStart;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a FlowRecord message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowRecord & segflow.v1.FlowRecord.$Shape} FlowRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowRecord.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a FlowRecord message.
             * @function verify
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            FlowRecord.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    if (typeof message.source !== "number" || (message.source | 0) !== message.source)
                        return "source: enum value expected";
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName"))
                    if (!$util.isString(message.nodeName))
                        return "nodeName: string expected";
                if (message.startTimeUnixNano != null && $Object.hasOwnProperty.call(message, "startTimeUnixNano"))
                    if (!$util.isInteger(message.startTimeUnixNano) && !(message.startTimeUnixNano && $util.isInteger(message.startTimeUnixNano.low) && $util.isInteger(message.startTimeUnixNano.high)))
                        return "startTimeUnixNano: integer|Long expected";
                if (message.endTimeUnixNano != null && $Object.hasOwnProperty.call(message, "endTimeUnixNano"))
                    if (!$util.isInteger(message.endTimeUnixNano) && !(message.endTimeUnixNano && $util.isInteger(message.endTimeUnixNano.low) && $util.isInteger(message.endTimeUnixNano.high)))
                        return "endTimeUnixNano: integer|Long expected";
                if (message.ipVersion != null && $Object.hasOwnProperty.call(message, "ipVersion"))
                    if (!$util.isInteger(message.ipVersion))
                        return "ipVersion: integer expected";
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    if (!$util.isInteger(message.protocol))
                        return "protocol: integer expected";
                if (message.original != null && $Object.hasOwnProperty.call(message, "original")) {
                    let error = $root.segflow.v1.FlowTuple.verify(message.original, _depth + 1);
                    if (error)
                        return "original." + error;
                }
                if (message.reply != null && $Object.hasOwnProperty.call(message, "reply")) {
                    let error = $root.segflow.v1.FlowTuple.verify(message.reply, _depth + 1);
                    if (error)
                        return "reply." + error;
                }
                if (message.originalPackets != null && $Object.hasOwnProperty.call(message, "originalPackets"))
                    if (!$util.isInteger(message.originalPackets) && !(message.originalPackets && $util.isInteger(message.originalPackets.low) && $util.isInteger(message.originalPackets.high)))
                        return "originalPackets: integer|Long expected";
                if (message.originalBytes != null && $Object.hasOwnProperty.call(message, "originalBytes"))
                    if (!$util.isInteger(message.originalBytes) && !(message.originalBytes && $util.isInteger(message.originalBytes.low) && $util.isInteger(message.originalBytes.high)))
                        return "originalBytes: integer|Long expected";
                if (message.replyPackets != null && $Object.hasOwnProperty.call(message, "replyPackets"))
                    if (!$util.isInteger(message.replyPackets) && !(message.replyPackets && $util.isInteger(message.replyPackets.low) && $util.isInteger(message.replyPackets.high)))
                        return "replyPackets: integer|Long expected";
                if (message.replyBytes != null && $Object.hasOwnProperty.call(message, "replyBytes"))
                    if (!$util.isInteger(message.replyBytes) && !(message.replyBytes && $util.isInteger(message.replyBytes.low) && $util.isInteger(message.replyBytes.high)))
                        return "replyBytes: integer|Long expected";
                if (message.eventKind != null && $Object.hasOwnProperty.call(message, "eventKind"))
                    if (typeof message.eventKind !== "number" || (message.eventKind | 0) !== message.eventKind)
                        return "eventKind: enum value expected";
                if (message.tcpState != null && $Object.hasOwnProperty.call(message, "tcpState"))
                    if (typeof message.tcpState !== "number" || (message.tcpState | 0) !== message.tcpState)
                        return "tcpState: enum value expected";
                if (message.assured != null && $Object.hasOwnProperty.call(message, "assured"))
                    if (typeof message.assured !== "boolean")
                        return "assured: boolean expected";
                if (message.unreplied != null && $Object.hasOwnProperty.call(message, "unreplied"))
                    if (typeof message.unreplied !== "boolean")
                        return "unreplied: boolean expected";
                if (message.conntrackId != null && $Object.hasOwnProperty.call(message, "conntrackId"))
                    if (!$util.isInteger(message.conntrackId))
                        return "conntrackId: integer expected";
                if (message.conntrackMark != null && $Object.hasOwnProperty.call(message, "conntrackMark"))
                    if (!$util.isInteger(message.conntrackMark))
                        return "conntrackMark: integer expected";
                if (message.dataplaneVerdict != null && $Object.hasOwnProperty.call(message, "dataplaneVerdict"))
                    if (typeof message.dataplaneVerdict !== "number" || (message.dataplaneVerdict | 0) !== message.dataplaneVerdict)
                        return "dataplaneVerdict: enum value expected";
                if (message.ruleHint != null && $Object.hasOwnProperty.call(message, "ruleHint"))
                    if (!$util.isString(message.ruleHint))
                        return "ruleHint: string expected";
                if (message.icmpType != null && $Object.hasOwnProperty.call(message, "icmpType"))
                    if (!$util.isInteger(message.icmpType))
                        return "icmpType: integer expected";
                if (message.icmpCode != null && $Object.hasOwnProperty.call(message, "icmpCode"))
                    if (!$util.isInteger(message.icmpCode))
                        return "icmpCode: integer expected";
                if (message.icmpId != null && $Object.hasOwnProperty.call(message, "icmpId"))
                    if (!$util.isInteger(message.icmpId))
                        return "icmpId: integer expected";
                if (message.countersValid != null && $Object.hasOwnProperty.call(message, "countersValid"))
                    if (typeof message.countersValid !== "boolean")
                        return "countersValid: boolean expected";
                if (message.includesStart != null && $Object.hasOwnProperty.call(message, "includesStart"))
                    if (typeof message.includesStart !== "boolean")
                        return "includesStart: boolean expected";
                return null;
            };

            /**
             * Creates a FlowRecord message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.FlowRecord} FlowRecord
             */
            FlowRecord.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.FlowRecord)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.FlowRecord: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.FlowRecord();
                if (object.source !== 0 && (typeof object.source !== "string" || $root.segflow.v1.FlowSource[object.source] !== 0))
                    switch (object.source) {
                    case "FLOW_SOURCE_UNSPECIFIED":
                    case 0:
                        message.source = 0;
                        break;
                    case "FLOW_SOURCE_CONNTRACK":
                    case 1:
                        message.source = 1;
                        break;
                    case "FLOW_SOURCE_EBPF":
                    case 2:
                        message.source = 2;
                        break;
                    case "FLOW_SOURCE_SYNTHETIC":
                    case 3:
                        message.source = 3;
                        break;
                    default:
                        if (typeof object.source === "number" && (object.source | 0) === object.source)
                            message.source = object.source;
                    }
                if (object.nodeName != null)
                    if (typeof object.nodeName !== "string" || object.nodeName.length)
                        message.nodeName = $String(object.nodeName);
                if (object.startTimeUnixNano != null)
                    if (typeof object.startTimeUnixNano === "object" ? object.startTimeUnixNano.low || object.startTimeUnixNano.high : $Number(object.startTimeUnixNano) !== 0)
                        if ($util.Long)
                            message.startTimeUnixNano = $util.Long.fromValue(object.startTimeUnixNano, true);
                        else if (typeof object.startTimeUnixNano === "string")
                            message.startTimeUnixNano = $parseInt(object.startTimeUnixNano, 10);
                        else if (typeof object.startTimeUnixNano === "number")
                            message.startTimeUnixNano = object.startTimeUnixNano;
                        else if (typeof object.startTimeUnixNano === "object")
                            message.startTimeUnixNano = new $util.LongBits(object.startTimeUnixNano.low >>> 0, object.startTimeUnixNano.high >>> 0).toNumber(true);
                if (object.endTimeUnixNano != null)
                    if (typeof object.endTimeUnixNano === "object" ? object.endTimeUnixNano.low || object.endTimeUnixNano.high : $Number(object.endTimeUnixNano) !== 0)
                        if ($util.Long)
                            message.endTimeUnixNano = $util.Long.fromValue(object.endTimeUnixNano, true);
                        else if (typeof object.endTimeUnixNano === "string")
                            message.endTimeUnixNano = $parseInt(object.endTimeUnixNano, 10);
                        else if (typeof object.endTimeUnixNano === "number")
                            message.endTimeUnixNano = object.endTimeUnixNano;
                        else if (typeof object.endTimeUnixNano === "object")
                            message.endTimeUnixNano = new $util.LongBits(object.endTimeUnixNano.low >>> 0, object.endTimeUnixNano.high >>> 0).toNumber(true);
                if (object.ipVersion != null)
                    if ($Number(object.ipVersion) !== 0)
                        message.ipVersion = object.ipVersion >>> 0;
                if (object.protocol != null)
                    if ($Number(object.protocol) !== 0)
                        message.protocol = object.protocol >>> 0;
                if (object.original != null) {
                    if (!$util.isObject(object.original))
                        throw $TypeError(".segflow.v1.FlowRecord.original: object expected");
                    message.original = $root.segflow.v1.FlowTuple.fromObject(object.original, _depth + 1);
                }
                if (object.reply != null) {
                    if (!$util.isObject(object.reply))
                        throw $TypeError(".segflow.v1.FlowRecord.reply: object expected");
                    message.reply = $root.segflow.v1.FlowTuple.fromObject(object.reply, _depth + 1);
                }
                if (object.originalPackets != null)
                    if (typeof object.originalPackets === "object" ? object.originalPackets.low || object.originalPackets.high : $Number(object.originalPackets) !== 0)
                        if ($util.Long)
                            message.originalPackets = $util.Long.fromValue(object.originalPackets, true);
                        else if (typeof object.originalPackets === "string")
                            message.originalPackets = $parseInt(object.originalPackets, 10);
                        else if (typeof object.originalPackets === "number")
                            message.originalPackets = object.originalPackets;
                        else if (typeof object.originalPackets === "object")
                            message.originalPackets = new $util.LongBits(object.originalPackets.low >>> 0, object.originalPackets.high >>> 0).toNumber(true);
                if (object.originalBytes != null)
                    if (typeof object.originalBytes === "object" ? object.originalBytes.low || object.originalBytes.high : $Number(object.originalBytes) !== 0)
                        if ($util.Long)
                            message.originalBytes = $util.Long.fromValue(object.originalBytes, true);
                        else if (typeof object.originalBytes === "string")
                            message.originalBytes = $parseInt(object.originalBytes, 10);
                        else if (typeof object.originalBytes === "number")
                            message.originalBytes = object.originalBytes;
                        else if (typeof object.originalBytes === "object")
                            message.originalBytes = new $util.LongBits(object.originalBytes.low >>> 0, object.originalBytes.high >>> 0).toNumber(true);
                if (object.replyPackets != null)
                    if (typeof object.replyPackets === "object" ? object.replyPackets.low || object.replyPackets.high : $Number(object.replyPackets) !== 0)
                        if ($util.Long)
                            message.replyPackets = $util.Long.fromValue(object.replyPackets, true);
                        else if (typeof object.replyPackets === "string")
                            message.replyPackets = $parseInt(object.replyPackets, 10);
                        else if (typeof object.replyPackets === "number")
                            message.replyPackets = object.replyPackets;
                        else if (typeof object.replyPackets === "object")
                            message.replyPackets = new $util.LongBits(object.replyPackets.low >>> 0, object.replyPackets.high >>> 0).toNumber(true);
                if (object.replyBytes != null)
                    if (typeof object.replyBytes === "object" ? object.replyBytes.low || object.replyBytes.high : $Number(object.replyBytes) !== 0)
                        if ($util.Long)
                            message.replyBytes = $util.Long.fromValue(object.replyBytes, true);
                        else if (typeof object.replyBytes === "string")
                            message.replyBytes = $parseInt(object.replyBytes, 10);
                        else if (typeof object.replyBytes === "number")
                            message.replyBytes = object.replyBytes;
                        else if (typeof object.replyBytes === "object")
                            message.replyBytes = new $util.LongBits(object.replyBytes.low >>> 0, object.replyBytes.high >>> 0).toNumber(true);
                if (object.eventKind !== 0 && (typeof object.eventKind !== "string" || $root.segflow.v1.FlowEventKind[object.eventKind] !== 0))
                    switch (object.eventKind) {
                    case "FLOW_EVENT_KIND_UNSPECIFIED":
                    case 0:
                        message.eventKind = 0;
                        break;
                    case "FLOW_EVENT_KIND_NEW":
                    case 1:
                        message.eventKind = 1;
                        break;
                    case "FLOW_EVENT_KIND_UPDATE":
                    case 2:
                        message.eventKind = 2;
                        break;
                    case "FLOW_EVENT_KIND_DESTROY":
                    case 3:
                        message.eventKind = 3;
                        break;
                    default:
                        if (typeof object.eventKind === "number" && (object.eventKind | 0) === object.eventKind)
                            message.eventKind = object.eventKind;
                    }
                if (object.tcpState !== 0 && (typeof object.tcpState !== "string" || $root.segflow.v1.TcpState[object.tcpState] !== 0))
                    switch (object.tcpState) {
                    case "TCP_STATE_UNSPECIFIED":
                    case 0:
                        message.tcpState = 0;
                        break;
                    case "TCP_STATE_NONE":
                    case 1:
                        message.tcpState = 1;
                        break;
                    case "TCP_STATE_SYN_SENT":
                    case 2:
                        message.tcpState = 2;
                        break;
                    case "TCP_STATE_SYN_RECV":
                    case 3:
                        message.tcpState = 3;
                        break;
                    case "TCP_STATE_ESTABLISHED":
                    case 4:
                        message.tcpState = 4;
                        break;
                    case "TCP_STATE_FIN_WAIT":
                    case 5:
                        message.tcpState = 5;
                        break;
                    case "TCP_STATE_CLOSE_WAIT":
                    case 6:
                        message.tcpState = 6;
                        break;
                    case "TCP_STATE_LAST_ACK":
                    case 7:
                        message.tcpState = 7;
                        break;
                    case "TCP_STATE_TIME_WAIT":
                    case 8:
                        message.tcpState = 8;
                        break;
                    case "TCP_STATE_CLOSE":
                    case 9:
                        message.tcpState = 9;
                        break;
                    case "TCP_STATE_SYN_SENT2":
                    case 10:
                        message.tcpState = 10;
                        break;
                    default:
                        if (typeof object.tcpState === "number" && (object.tcpState | 0) === object.tcpState)
                            message.tcpState = object.tcpState;
                    }
                if (object.assured != null)
                    if (object.assured)
                        message.assured = $Boolean(object.assured);
                if (object.unreplied != null)
                    if (object.unreplied)
                        message.unreplied = $Boolean(object.unreplied);
                if (object.conntrackId != null)
                    if ($Number(object.conntrackId) !== 0)
                        message.conntrackId = object.conntrackId >>> 0;
                if (object.conntrackMark != null)
                    if ($Number(object.conntrackMark) !== 0)
                        message.conntrackMark = object.conntrackMark >>> 0;
                if (object.dataplaneVerdict !== 0 && (typeof object.dataplaneVerdict !== "string" || $root.segflow.v1.DataplaneVerdict[object.dataplaneVerdict] !== 0))
                    switch (object.dataplaneVerdict) {
                    case "DATAPLANE_VERDICT_UNKNOWN":
                    case 0:
                        message.dataplaneVerdict = 0;
                        break;
                    case "DATAPLANE_VERDICT_ALLOW":
                    case 1:
                        message.dataplaneVerdict = 1;
                        break;
                    case "DATAPLANE_VERDICT_DENY":
                    case 2:
                        message.dataplaneVerdict = 2;
                        break;
                    default:
                        if (typeof object.dataplaneVerdict === "number" && (object.dataplaneVerdict | 0) === object.dataplaneVerdict)
                            message.dataplaneVerdict = object.dataplaneVerdict;
                    }
                if (object.ruleHint != null)
                    if (typeof object.ruleHint !== "string" || object.ruleHint.length)
                        message.ruleHint = $String(object.ruleHint);
                if (object.icmpType != null)
                    if ($Number(object.icmpType) !== 0)
                        message.icmpType = object.icmpType >>> 0;
                if (object.icmpCode != null)
                    if ($Number(object.icmpCode) !== 0)
                        message.icmpCode = object.icmpCode >>> 0;
                if (object.icmpId != null)
                    if ($Number(object.icmpId) !== 0)
                        message.icmpId = object.icmpId >>> 0;
                if (object.countersValid != null)
                    if (object.countersValid)
                        message.countersValid = $Boolean(object.countersValid);
                if (object.includesStart != null)
                    if (object.includesStart)
                        message.includesStart = $Boolean(object.includesStart);
                return message;
            };

            /**
             * Creates a plain object from a FlowRecord message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {segflow.v1.FlowRecord} message FlowRecord
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FlowRecord.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.source = options.enums === $String ? "FLOW_SOURCE_UNSPECIFIED" : 0;
                    object.nodeName = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.startTimeUnixNano = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.startTimeUnixNano = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.endTimeUnixNano = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.endTimeUnixNano = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.ipVersion = 0;
                    object.protocol = 0;
                    object.original = null;
                    object.reply = null;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.originalPackets = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.originalPackets = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.originalBytes = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.originalBytes = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.replyPackets = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.replyPackets = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.replyBytes = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.replyBytes = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.eventKind = options.enums === $String ? "FLOW_EVENT_KIND_UNSPECIFIED" : 0;
                    object.tcpState = options.enums === $String ? "TCP_STATE_UNSPECIFIED" : 0;
                    object.assured = false;
                    object.unreplied = false;
                    object.conntrackId = 0;
                    object.conntrackMark = 0;
                    object.dataplaneVerdict = options.enums === $String ? "DATAPLANE_VERDICT_UNKNOWN" : 0;
                    object.ruleHint = "";
                    object.icmpType = 0;
                    object.icmpCode = 0;
                    object.icmpId = 0;
                    object.countersValid = false;
                    object.includesStart = false;
                }
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    object.source = options.enums === $String ? $root.segflow.v1.FlowSource[message.source] === $undefined ? message.source : $root.segflow.v1.FlowSource[message.source] : message.source;
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName"))
                    object.nodeName = message.nodeName;
                if (message.startTimeUnixNano != null && $Object.hasOwnProperty.call(message, "startTimeUnixNano"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.startTimeUnixNano = typeof message.startTimeUnixNano === "number" ? $BigInt(message.startTimeUnixNano) : $util.Long.fromBits(message.startTimeUnixNano.low >>> 0, message.startTimeUnixNano.high >>> 0, true).toBigInt();
                    else if (typeof message.startTimeUnixNano === "number")
                        object.startTimeUnixNano = options.longs === $String ? $String(message.startTimeUnixNano) : message.startTimeUnixNano;
                    else
                        object.startTimeUnixNano = options.longs === $String ? $util.Long.prototype.toString.call(message.startTimeUnixNano) : options.longs === $Number ? new $util.LongBits(message.startTimeUnixNano.low >>> 0, message.startTimeUnixNano.high >>> 0).toNumber(true) : message.startTimeUnixNano;
                if (message.endTimeUnixNano != null && $Object.hasOwnProperty.call(message, "endTimeUnixNano"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.endTimeUnixNano = typeof message.endTimeUnixNano === "number" ? $BigInt(message.endTimeUnixNano) : $util.Long.fromBits(message.endTimeUnixNano.low >>> 0, message.endTimeUnixNano.high >>> 0, true).toBigInt();
                    else if (typeof message.endTimeUnixNano === "number")
                        object.endTimeUnixNano = options.longs === $String ? $String(message.endTimeUnixNano) : message.endTimeUnixNano;
                    else
                        object.endTimeUnixNano = options.longs === $String ? $util.Long.prototype.toString.call(message.endTimeUnixNano) : options.longs === $Number ? new $util.LongBits(message.endTimeUnixNano.low >>> 0, message.endTimeUnixNano.high >>> 0).toNumber(true) : message.endTimeUnixNano;
                if (message.ipVersion != null && $Object.hasOwnProperty.call(message, "ipVersion"))
                    object.ipVersion = message.ipVersion;
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = message.protocol;
                if (message.original != null && $Object.hasOwnProperty.call(message, "original"))
                    object.original = $root.segflow.v1.FlowTuple.toObject(message.original, options, _depth + 1);
                if (message.reply != null && $Object.hasOwnProperty.call(message, "reply"))
                    object.reply = $root.segflow.v1.FlowTuple.toObject(message.reply, options, _depth + 1);
                if (message.originalPackets != null && $Object.hasOwnProperty.call(message, "originalPackets"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.originalPackets = typeof message.originalPackets === "number" ? $BigInt(message.originalPackets) : $util.Long.fromBits(message.originalPackets.low >>> 0, message.originalPackets.high >>> 0, true).toBigInt();
                    else if (typeof message.originalPackets === "number")
                        object.originalPackets = options.longs === $String ? $String(message.originalPackets) : message.originalPackets;
                    else
                        object.originalPackets = options.longs === $String ? $util.Long.prototype.toString.call(message.originalPackets) : options.longs === $Number ? new $util.LongBits(message.originalPackets.low >>> 0, message.originalPackets.high >>> 0).toNumber(true) : message.originalPackets;
                if (message.originalBytes != null && $Object.hasOwnProperty.call(message, "originalBytes"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.originalBytes = typeof message.originalBytes === "number" ? $BigInt(message.originalBytes) : $util.Long.fromBits(message.originalBytes.low >>> 0, message.originalBytes.high >>> 0, true).toBigInt();
                    else if (typeof message.originalBytes === "number")
                        object.originalBytes = options.longs === $String ? $String(message.originalBytes) : message.originalBytes;
                    else
                        object.originalBytes = options.longs === $String ? $util.Long.prototype.toString.call(message.originalBytes) : options.longs === $Number ? new $util.LongBits(message.originalBytes.low >>> 0, message.originalBytes.high >>> 0).toNumber(true) : message.originalBytes;
                if (message.replyPackets != null && $Object.hasOwnProperty.call(message, "replyPackets"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.replyPackets = typeof message.replyPackets === "number" ? $BigInt(message.replyPackets) : $util.Long.fromBits(message.replyPackets.low >>> 0, message.replyPackets.high >>> 0, true).toBigInt();
                    else if (typeof message.replyPackets === "number")
                        object.replyPackets = options.longs === $String ? $String(message.replyPackets) : message.replyPackets;
                    else
                        object.replyPackets = options.longs === $String ? $util.Long.prototype.toString.call(message.replyPackets) : options.longs === $Number ? new $util.LongBits(message.replyPackets.low >>> 0, message.replyPackets.high >>> 0).toNumber(true) : message.replyPackets;
                if (message.replyBytes != null && $Object.hasOwnProperty.call(message, "replyBytes"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.replyBytes = typeof message.replyBytes === "number" ? $BigInt(message.replyBytes) : $util.Long.fromBits(message.replyBytes.low >>> 0, message.replyBytes.high >>> 0, true).toBigInt();
                    else if (typeof message.replyBytes === "number")
                        object.replyBytes = options.longs === $String ? $String(message.replyBytes) : message.replyBytes;
                    else
                        object.replyBytes = options.longs === $String ? $util.Long.prototype.toString.call(message.replyBytes) : options.longs === $Number ? new $util.LongBits(message.replyBytes.low >>> 0, message.replyBytes.high >>> 0).toNumber(true) : message.replyBytes;
                if (message.eventKind != null && $Object.hasOwnProperty.call(message, "eventKind"))
                    object.eventKind = options.enums === $String ? $root.segflow.v1.FlowEventKind[message.eventKind] === $undefined ? message.eventKind : $root.segflow.v1.FlowEventKind[message.eventKind] : message.eventKind;
                if (message.tcpState != null && $Object.hasOwnProperty.call(message, "tcpState"))
                    object.tcpState = options.enums === $String ? $root.segflow.v1.TcpState[message.tcpState] === $undefined ? message.tcpState : $root.segflow.v1.TcpState[message.tcpState] : message.tcpState;
                if (message.assured != null && $Object.hasOwnProperty.call(message, "assured"))
                    object.assured = message.assured;
                if (message.unreplied != null && $Object.hasOwnProperty.call(message, "unreplied"))
                    object.unreplied = message.unreplied;
                if (message.conntrackId != null && $Object.hasOwnProperty.call(message, "conntrackId"))
                    object.conntrackId = message.conntrackId;
                if (message.conntrackMark != null && $Object.hasOwnProperty.call(message, "conntrackMark"))
                    object.conntrackMark = message.conntrackMark;
                if (message.dataplaneVerdict != null && $Object.hasOwnProperty.call(message, "dataplaneVerdict"))
                    object.dataplaneVerdict = options.enums === $String ? $root.segflow.v1.DataplaneVerdict[message.dataplaneVerdict] === $undefined ? message.dataplaneVerdict : $root.segflow.v1.DataplaneVerdict[message.dataplaneVerdict] : message.dataplaneVerdict;
                if (message.ruleHint != null && $Object.hasOwnProperty.call(message, "ruleHint"))
                    object.ruleHint = message.ruleHint;
                if (message.icmpType != null && $Object.hasOwnProperty.call(message, "icmpType"))
                    object.icmpType = message.icmpType;
                if (message.icmpCode != null && $Object.hasOwnProperty.call(message, "icmpCode"))
                    object.icmpCode = message.icmpCode;
                if (message.icmpId != null && $Object.hasOwnProperty.call(message, "icmpId"))
                    object.icmpId = message.icmpId;
                if (message.countersValid != null && $Object.hasOwnProperty.call(message, "countersValid"))
                    object.countersValid = message.countersValid;
                if (message.includesStart != null && $Object.hasOwnProperty.call(message, "includesStart"))
                    object.includesStart = message.includesStart;
                return object;
            };

            /**
             * Converts this FlowRecord to JSON.
             * @function toJSON
             * @memberof segflow.v1.FlowRecord
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FlowRecord.prototype.toJSON = function() {
                return FlowRecord.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FlowRecord
             * @function getTypeUrl
             * @memberof segflow.v1.FlowRecord
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FlowRecord.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.FlowRecord";
            };

            return FlowRecord;
        })();

        v1.FlowBatch = (function() {

            /**
             * Properties of a FlowBatch.
             * @typedef {Object} segflow.v1.FlowBatch.$Properties
             * @property {string|null} [agentId] Stable identity of the agent (defaults to the node name); the enricher tracks sequence
             * numbers per (agent_id, boot_id).
             * @property {string|null} [bootId] Random id chosen at each agent start (a UUID); a new boot id restarts the sequence.
             * @property {number|Long|null} [sequence] Per-agent, per-boot sequence number: 1 for the first batch after start, then +1 per batch.
             * A gap means lost batches, a repeat means a duplicate delivery (e.g. a spool replay).
             * @property {Array.<segflow.v1.FlowRecord.$Properties>|null} [records] The records; a batch may be empty only as a heartbeat.
             * @property {number|Long|null} [sentTimeUnixNano] When the agent built the batch, Unix time in nanoseconds (not when Kafka received it: a
             * batch replayed from the spool keeps its original time).
             * @property {string|null} [nodeName] Name of the node the agent runs on (same as every record's node_name); used for routing
             * and for batches without records.
             * @property {segflow.v1.LossReport.$Properties|null} [loss] What the agent lost before it could put it into a batch or deliver it (its own drops), so
             * the completeness figure is end to end. Unset = nothing lost (or an agent that predates it).
             * @property {number|null} [heartbeatIntervalMs] Milliseconds between the heartbeats (empty batches) the agent sends while it has nothing
             * else to send; 0 = no heartbeats. Lets a reader tell "silent" from "idle".
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FlowBatch.
             * @memberof segflow.v1
             * @interface IFlowBatch
             * @augments segflow.v1.FlowBatch.$Properties
             * @deprecated Use segflow.v1.FlowBatch.$Properties instead.
             */

            /**
             * Shape of a FlowBatch.
             * @typedef {segflow.v1.FlowBatch.$Properties} segflow.v1.FlowBatch.$Shape
             */

            /**
             * Constructs a new FlowBatch.
             * @memberof segflow.v1
             * @classdesc One Kafka message: a batch of records from one agent.
             * @constructor
             * @param {segflow.v1.FlowBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FlowBatch = function (properties) {
                this.records = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Stable identity of the agent (defaults to the node name); the enricher tracks sequence
             * numbers per (agent_id, boot_id).
             * @member {string} agentId
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.agentId = "";

            /**
             * Random id chosen at each agent start (a UUID); a new boot id restarts the sequence.
             * @member {string} bootId
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.bootId = "";

            /**
             * Per-agent, per-boot sequence number: 1 for the first batch after start, then +1 per batch.
             * A gap means lost batches, a repeat means a duplicate delivery (e.g. a spool replay).
             * @member {number|Long} sequence
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * The records; a batch may be empty only as a heartbeat.
             * @member {Array.<segflow.v1.FlowRecord.$Properties>} records
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.records = $util.emptyArray;

            /**
             * When the agent built the batch, Unix time in nanoseconds (not when Kafka received it: a
             * batch replayed from the spool keeps its original time).
             * @member {number|Long} sentTimeUnixNano
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.sentTimeUnixNano = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Name of the node the agent runs on (same as every record's node_name); used for routing
             * and for batches without records.
             * @member {string} nodeName
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.nodeName = "";

            /**
             * What the agent lost before it could put it into a batch or deliver it (its own drops), so
             * the completeness figure is end to end. Unset = nothing lost (or an agent that predates it).
             * @member {segflow.v1.LossReport.$Properties|null|undefined} loss
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.loss = null;

            /**
             * Milliseconds between the heartbeats (empty batches) the agent sends while it has nothing
             * else to send; 0 = no heartbeats. Lets a reader tell "silent" from "idle".
             * @member {number} heartbeatIntervalMs
             * @memberof segflow.v1.FlowBatch
             * @instance
             */
            FlowBatch.prototype.heartbeatIntervalMs = 0;

            /**
             * Creates a new FlowBatch instance using the specified properties.
             * @function create
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {segflow.v1.FlowBatch.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.FlowBatch} FlowBatch instance
             * @type {{
             *   (properties: segflow.v1.FlowBatch.$Shape): segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape;
             *   (properties?: segflow.v1.FlowBatch.$Properties): segflow.v1.FlowBatch;
             * }}
             */
            FlowBatch.create = function(properties) {
                return new FlowBatch(properties);
            };

            /**
             * Encodes the specified FlowBatch message. Does not implicitly {@link segflow.v1.FlowBatch.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {segflow.v1.FlowBatch.$Properties} message FlowBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.agentId != null && $Object.hasOwnProperty.call(message, "agentId") && message.agentId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentId);
                if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId") && message.bootId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.bootId);
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence") && (typeof message.sequence === "object" ? message.sequence.low || message.sequence.high : message.sequence !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.sequence);
                if (message.records != null && message.records.length)
                    for (let i = 0; i < message.records.length; ++i)
                        $root.segflow.v1.FlowRecord.encode(message.records[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano") && (typeof message.sentTimeUnixNano === "object" ? message.sentTimeUnixNano.low || message.sentTimeUnixNano.high : message.sentTimeUnixNano !== 0))
                    writer.uint32(/* id 5, wireType 1 =*/41).fixed64(message.sentTimeUnixNano);
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName") && message.nodeName !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.nodeName);
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    $root.segflow.v1.LossReport.encode(message.loss, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.heartbeatIntervalMs != null && $Object.hasOwnProperty.call(message, "heartbeatIntervalMs") && message.heartbeatIntervalMs !== 0)
                    writer.uint32(/* id 8, wireType 0 =*/64).uint32(message.heartbeatIntervalMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified FlowBatch message, length delimited. Does not implicitly {@link segflow.v1.FlowBatch.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {segflow.v1.FlowBatch.$Properties} message FlowBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlowBatch.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a FlowBatch message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape} FlowBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.FlowBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentId = value;
                            else
                                delete message.agentId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.bootId = value;
                            else
                                delete message.bootId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sequence = value;
                            else
                                delete message.sequence;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.records && message.records.length))
                                message.records = [];
                            message.records.push($root.segflow.v1.FlowRecord.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentTimeUnixNano = value;
                            else
                                delete message.sentTimeUnixNano;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.nodeName = value;
                            else
                                delete message.nodeName;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.loss = $root.segflow.v1.LossReport.decode(reader, reader.size(), $undefined, _depth + 1, message.loss);
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.heartbeatIntervalMs = value;
                            else
                                delete message.heartbeatIntervalMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a FlowBatch message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.FlowBatch & segflow.v1.FlowBatch.$Shape} FlowBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlowBatch.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a FlowBatch message.
             * @function verify
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            FlowBatch.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.agentId != null && $Object.hasOwnProperty.call(message, "agentId"))
                    if (!$util.isString(message.agentId))
                        return "agentId: string expected";
                if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId"))
                    if (!$util.isString(message.bootId))
                        return "bootId: string expected";
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (!$util.isInteger(message.sequence) && !(message.sequence && $util.isInteger(message.sequence.low) && $util.isInteger(message.sequence.high)))
                        return "sequence: integer|Long expected";
                if (message.records != null && $Object.hasOwnProperty.call(message, "records")) {
                    if (!$Array.isArray(message.records))
                        return "records: array expected";
                    for (let i = 0; i < message.records.length; ++i) {
                        let error = $root.segflow.v1.FlowRecord.verify(message.records[i], _depth + 1);
                        if (error)
                            return "records." + error;
                    }
                }
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano"))
                    if (!$util.isInteger(message.sentTimeUnixNano) && !(message.sentTimeUnixNano && $util.isInteger(message.sentTimeUnixNano.low) && $util.isInteger(message.sentTimeUnixNano.high)))
                        return "sentTimeUnixNano: integer|Long expected";
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName"))
                    if (!$util.isString(message.nodeName))
                        return "nodeName: string expected";
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss")) {
                    let error = $root.segflow.v1.LossReport.verify(message.loss, _depth + 1);
                    if (error)
                        return "loss." + error;
                }
                if (message.heartbeatIntervalMs != null && $Object.hasOwnProperty.call(message, "heartbeatIntervalMs"))
                    if (!$util.isInteger(message.heartbeatIntervalMs))
                        return "heartbeatIntervalMs: integer expected";
                return null;
            };

            /**
             * Creates a FlowBatch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.FlowBatch} FlowBatch
             */
            FlowBatch.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.FlowBatch)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.FlowBatch: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.FlowBatch();
                if (object.agentId != null)
                    if (typeof object.agentId !== "string" || object.agentId.length)
                        message.agentId = $String(object.agentId);
                if (object.bootId != null)
                    if (typeof object.bootId !== "string" || object.bootId.length)
                        message.bootId = $String(object.bootId);
                if (object.sequence != null)
                    if (typeof object.sequence === "object" ? object.sequence.low || object.sequence.high : $Number(object.sequence) !== 0)
                        if ($util.Long)
                            message.sequence = $util.Long.fromValue(object.sequence, true);
                        else if (typeof object.sequence === "string")
                            message.sequence = $parseInt(object.sequence, 10);
                        else if (typeof object.sequence === "number")
                            message.sequence = object.sequence;
                        else if (typeof object.sequence === "object")
                            message.sequence = new $util.LongBits(object.sequence.low >>> 0, object.sequence.high >>> 0).toNumber(true);
                if (object.records) {
                    if (!$Array.isArray(object.records))
                        throw $TypeError(".segflow.v1.FlowBatch.records: array expected");
                    message.records = $Array(object.records.length);
                    for (let i = 0; i < object.records.length; ++i) {
                        if (!$util.isObject(object.records[i]))
                            throw $TypeError(".segflow.v1.FlowBatch.records: object expected");
                        message.records[i] = $root.segflow.v1.FlowRecord.fromObject(object.records[i], _depth + 1);
                    }
                }
                if (object.sentTimeUnixNano != null)
                    if (typeof object.sentTimeUnixNano === "object" ? object.sentTimeUnixNano.low || object.sentTimeUnixNano.high : $Number(object.sentTimeUnixNano) !== 0)
                        if ($util.Long)
                            message.sentTimeUnixNano = $util.Long.fromValue(object.sentTimeUnixNano, true);
                        else if (typeof object.sentTimeUnixNano === "string")
                            message.sentTimeUnixNano = $parseInt(object.sentTimeUnixNano, 10);
                        else if (typeof object.sentTimeUnixNano === "number")
                            message.sentTimeUnixNano = object.sentTimeUnixNano;
                        else if (typeof object.sentTimeUnixNano === "object")
                            message.sentTimeUnixNano = new $util.LongBits(object.sentTimeUnixNano.low >>> 0, object.sentTimeUnixNano.high >>> 0).toNumber(true);
                if (object.nodeName != null)
                    if (typeof object.nodeName !== "string" || object.nodeName.length)
                        message.nodeName = $String(object.nodeName);
                if (object.loss != null) {
                    if (!$util.isObject(object.loss))
                        throw $TypeError(".segflow.v1.FlowBatch.loss: object expected");
                    message.loss = $root.segflow.v1.LossReport.fromObject(object.loss, _depth + 1);
                }
                if (object.heartbeatIntervalMs != null)
                    if ($Number(object.heartbeatIntervalMs) !== 0)
                        message.heartbeatIntervalMs = object.heartbeatIntervalMs >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a FlowBatch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {segflow.v1.FlowBatch} message FlowBatch
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FlowBatch.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.records = [];
                if (options.defaults) {
                    object.agentId = "";
                    object.bootId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sequence = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sequence = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sentTimeUnixNano = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sentTimeUnixNano = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.nodeName = "";
                    object.loss = null;
                    object.heartbeatIntervalMs = 0;
                }
                if (message.agentId != null && $Object.hasOwnProperty.call(message, "agentId"))
                    object.agentId = message.agentId;
                if (message.bootId != null && $Object.hasOwnProperty.call(message, "bootId"))
                    object.bootId = message.bootId;
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sequence = typeof message.sequence === "number" ? $BigInt(message.sequence) : $util.Long.fromBits(message.sequence.low >>> 0, message.sequence.high >>> 0, true).toBigInt();
                    else if (typeof message.sequence === "number")
                        object.sequence = options.longs === $String ? $String(message.sequence) : message.sequence;
                    else
                        object.sequence = options.longs === $String ? $util.Long.prototype.toString.call(message.sequence) : options.longs === $Number ? new $util.LongBits(message.sequence.low >>> 0, message.sequence.high >>> 0).toNumber(true) : message.sequence;
                if (message.records && message.records.length) {
                    object.records = $Array(message.records.length);
                    for (let j = 0; j < message.records.length; ++j)
                        object.records[j] = $root.segflow.v1.FlowRecord.toObject(message.records[j], options, _depth + 1);
                }
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sentTimeUnixNano = typeof message.sentTimeUnixNano === "number" ? $BigInt(message.sentTimeUnixNano) : $util.Long.fromBits(message.sentTimeUnixNano.low >>> 0, message.sentTimeUnixNano.high >>> 0, true).toBigInt();
                    else if (typeof message.sentTimeUnixNano === "number")
                        object.sentTimeUnixNano = options.longs === $String ? $String(message.sentTimeUnixNano) : message.sentTimeUnixNano;
                    else
                        object.sentTimeUnixNano = options.longs === $String ? $util.Long.prototype.toString.call(message.sentTimeUnixNano) : options.longs === $Number ? new $util.LongBits(message.sentTimeUnixNano.low >>> 0, message.sentTimeUnixNano.high >>> 0).toNumber(true) : message.sentTimeUnixNano;
                if (message.nodeName != null && $Object.hasOwnProperty.call(message, "nodeName"))
                    object.nodeName = message.nodeName;
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    object.loss = $root.segflow.v1.LossReport.toObject(message.loss, options, _depth + 1);
                if (message.heartbeatIntervalMs != null && $Object.hasOwnProperty.call(message, "heartbeatIntervalMs"))
                    object.heartbeatIntervalMs = message.heartbeatIntervalMs;
                return object;
            };

            /**
             * Converts this FlowBatch to JSON.
             * @function toJSON
             * @memberof segflow.v1.FlowBatch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FlowBatch.prototype.toJSON = function() {
                return FlowBatch.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FlowBatch
             * @function getTypeUrl
             * @memberof segflow.v1.FlowBatch
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FlowBatch.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.FlowBatch";
            };

            return FlowBatch;
        })();

        /**
         * Why an agent lost records.
         * @name segflow.v1.LossCause
         * @enum {number}
         * @property {number} LOSS_CAUSE_UNSPECIFIED=0 Never written by a correct producer; readers count it as "other".
         * @property {number} LOSS_CAUSE_SPOOL_FULL=1 The disk spool was full: its oldest batches were deleted.
         * @property {number} LOSS_CAUSE_SPOOL_CORRUPT=2 The spool held unreadable data after a crash (a torn write).
         * @property {number} LOSS_CAUSE_SPOOL_ERROR=3 A batch could not be written to the spool (disk error).
         * @property {number} LOSS_CAUSE_RING_BUFFER=4 The kernel's eBPF ring/perf buffer was full: events dropped before the agent read them.
         * @property {number} LOSS_CAUSE_CRASH=5 A previous run of the agent was killed with records in memory (its crash ledger).
         * @property {number} LOSS_CAUSE_ENCODE=6 A source produced a record the wire schema rejects (an agent bug).
         */
        v1.LossCause = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "LOSS_CAUSE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "LOSS_CAUSE_SPOOL_FULL"] = 1;
            values[valuesById[2] = "LOSS_CAUSE_SPOOL_CORRUPT"] = 2;
            values[valuesById[3] = "LOSS_CAUSE_SPOOL_ERROR"] = 3;
            values[valuesById[4] = "LOSS_CAUSE_RING_BUFFER"] = 4;
            values[valuesById[5] = "LOSS_CAUSE_CRASH"] = 5;
            values[valuesById[6] = "LOSS_CAUSE_ENCODE"] = 6;
            return values;
        })();

        v1.LossCount = (function() {

            /**
             * Properties of a LossCount.
             * @typedef {Object} segflow.v1.LossCount.$Properties
             * @property {segflow.v1.LossCause|null} [cause] LossCount cause
             * @property {number|Long|null} [records] LossCount records
             * @property {number|Long|null} [batches] LossCount batches
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LossCount.
             * @memberof segflow.v1
             * @interface ILossCount
             * @augments segflow.v1.LossCount.$Properties
             * @deprecated Use segflow.v1.LossCount.$Properties instead.
             */

            /**
             * Shape of a LossCount.
             * @typedef {segflow.v1.LossCount.$Properties} segflow.v1.LossCount.$Shape
             */

            /**
             * Constructs a new LossCount.
             * @memberof segflow.v1
             * @classdesc Records (and, where the cause loses whole batches, batches) lost for one cause.
             * @constructor
             * @param {segflow.v1.LossCount.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LossCount = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * LossCount cause.
             * @member {segflow.v1.LossCause} cause
             * @memberof segflow.v1.LossCount
             * @instance
             */
            LossCount.prototype.cause = 0;

            /**
             * LossCount records.
             * @member {number|Long} records
             * @memberof segflow.v1.LossCount
             * @instance
             */
            LossCount.prototype.records = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * LossCount batches.
             * @member {number|Long} batches
             * @memberof segflow.v1.LossCount
             * @instance
             */
            LossCount.prototype.batches = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new LossCount instance using the specified properties.
             * @function create
             * @memberof segflow.v1.LossCount
             * @static
             * @param {segflow.v1.LossCount.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.LossCount} LossCount instance
             * @type {{
             *   (properties: segflow.v1.LossCount.$Shape): segflow.v1.LossCount & segflow.v1.LossCount.$Shape;
             *   (properties?: segflow.v1.LossCount.$Properties): segflow.v1.LossCount;
             * }}
             */
            LossCount.create = function(properties) {
                return new LossCount(properties);
            };

            /**
             * Encodes the specified LossCount message. Does not implicitly {@link segflow.v1.LossCount.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.LossCount
             * @static
             * @param {segflow.v1.LossCount.$Properties} message LossCount message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LossCount.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause") && message.cause !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.cause);
                if (message.records != null && $Object.hasOwnProperty.call(message, "records") && (typeof message.records === "object" ? message.records.low || message.records.high : message.records !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.records);
                if (message.batches != null && $Object.hasOwnProperty.call(message, "batches") && (typeof message.batches === "object" ? message.batches.low || message.batches.high : message.batches !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.batches);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified LossCount message, length delimited. Does not implicitly {@link segflow.v1.LossCount.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.LossCount
             * @static
             * @param {segflow.v1.LossCount.$Properties} message LossCount message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LossCount.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a LossCount message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.LossCount
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.LossCount & segflow.v1.LossCount.$Shape} LossCount
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LossCount.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.LossCount();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.cause = value;
                            else
                                delete message.cause;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.records = value;
                            else
                                delete message.records;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.batches = value;
                            else
                                delete message.batches;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a LossCount message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.LossCount
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.LossCount & segflow.v1.LossCount.$Shape} LossCount
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LossCount.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a LossCount message.
             * @function verify
             * @memberof segflow.v1.LossCount
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            LossCount.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause"))
                    if (typeof message.cause !== "number" || (message.cause | 0) !== message.cause)
                        return "cause: enum value expected";
                if (message.records != null && $Object.hasOwnProperty.call(message, "records"))
                    if (!$util.isInteger(message.records) && !(message.records && $util.isInteger(message.records.low) && $util.isInteger(message.records.high)))
                        return "records: integer|Long expected";
                if (message.batches != null && $Object.hasOwnProperty.call(message, "batches"))
                    if (!$util.isInteger(message.batches) && !(message.batches && $util.isInteger(message.batches.low) && $util.isInteger(message.batches.high)))
                        return "batches: integer|Long expected";
                return null;
            };

            /**
             * Creates a LossCount message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.LossCount
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.LossCount} LossCount
             */
            LossCount.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.LossCount)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.LossCount: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.LossCount();
                if (object.cause !== 0 && (typeof object.cause !== "string" || $root.segflow.v1.LossCause[object.cause] !== 0))
                    switch (object.cause) {
                    case "LOSS_CAUSE_UNSPECIFIED":
                    case 0:
                        message.cause = 0;
                        break;
                    case "LOSS_CAUSE_SPOOL_FULL":
                    case 1:
                        message.cause = 1;
                        break;
                    case "LOSS_CAUSE_SPOOL_CORRUPT":
                    case 2:
                        message.cause = 2;
                        break;
                    case "LOSS_CAUSE_SPOOL_ERROR":
                    case 3:
                        message.cause = 3;
                        break;
                    case "LOSS_CAUSE_RING_BUFFER":
                    case 4:
                        message.cause = 4;
                        break;
                    case "LOSS_CAUSE_CRASH":
                    case 5:
                        message.cause = 5;
                        break;
                    case "LOSS_CAUSE_ENCODE":
                    case 6:
                        message.cause = 6;
                        break;
                    default:
                        if (typeof object.cause === "number" && (object.cause | 0) === object.cause)
                            message.cause = object.cause;
                    }
                if (object.records != null)
                    if (typeof object.records === "object" ? object.records.low || object.records.high : $Number(object.records) !== 0)
                        if ($util.Long)
                            message.records = $util.Long.fromValue(object.records, true);
                        else if (typeof object.records === "string")
                            message.records = $parseInt(object.records, 10);
                        else if (typeof object.records === "number")
                            message.records = object.records;
                        else if (typeof object.records === "object")
                            message.records = new $util.LongBits(object.records.low >>> 0, object.records.high >>> 0).toNumber(true);
                if (object.batches != null)
                    if (typeof object.batches === "object" ? object.batches.low || object.batches.high : $Number(object.batches) !== 0)
                        if ($util.Long)
                            message.batches = $util.Long.fromValue(object.batches, true);
                        else if (typeof object.batches === "string")
                            message.batches = $parseInt(object.batches, 10);
                        else if (typeof object.batches === "number")
                            message.batches = object.batches;
                        else if (typeof object.batches === "object")
                            message.batches = new $util.LongBits(object.batches.low >>> 0, object.batches.high >>> 0).toNumber(true);
                return message;
            };

            /**
             * Creates a plain object from a LossCount message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.LossCount
             * @static
             * @param {segflow.v1.LossCount} message LossCount
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            LossCount.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.cause = options.enums === $String ? "LOSS_CAUSE_UNSPECIFIED" : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.records = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.records = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.batches = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.batches = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause"))
                    object.cause = options.enums === $String ? $root.segflow.v1.LossCause[message.cause] === $undefined ? message.cause : $root.segflow.v1.LossCause[message.cause] : message.cause;
                if (message.records != null && $Object.hasOwnProperty.call(message, "records"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.records = typeof message.records === "number" ? $BigInt(message.records) : $util.Long.fromBits(message.records.low >>> 0, message.records.high >>> 0, true).toBigInt();
                    else if (typeof message.records === "number")
                        object.records = options.longs === $String ? $String(message.records) : message.records;
                    else
                        object.records = options.longs === $String ? $util.Long.prototype.toString.call(message.records) : options.longs === $Number ? new $util.LongBits(message.records.low >>> 0, message.records.high >>> 0).toNumber(true) : message.records;
                if (message.batches != null && $Object.hasOwnProperty.call(message, "batches"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.batches = typeof message.batches === "number" ? $BigInt(message.batches) : $util.Long.fromBits(message.batches.low >>> 0, message.batches.high >>> 0, true).toBigInt();
                    else if (typeof message.batches === "number")
                        object.batches = options.longs === $String ? $String(message.batches) : message.batches;
                    else
                        object.batches = options.longs === $String ? $util.Long.prototype.toString.call(message.batches) : options.longs === $Number ? new $util.LongBits(message.batches.low >>> 0, message.batches.high >>> 0).toNumber(true) : message.batches;
                return object;
            };

            /**
             * Converts this LossCount to JSON.
             * @function toJSON
             * @memberof segflow.v1.LossCount
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            LossCount.prototype.toJSON = function() {
                return LossCount.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for LossCount
             * @function getTypeUrl
             * @memberof segflow.v1.LossCount
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            LossCount.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.LossCount";
            };

            return LossCount;
        })();

        v1.LossReport = (function() {

            /**
             * Properties of a LossReport.
             * @typedef {Object} segflow.v1.LossReport.$Properties
             * @property {Array.<segflow.v1.LossCount.$Properties>|null} [sincePrevious] Lost since the previous batch of this boot (for the first batch: since the boot started).
             * @property {Array.<segflow.v1.LossCount.$Properties>|null} [sinceBoot] Lost since this boot started (non-decreasing from batch to batch).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LossReport.
             * @memberof segflow.v1
             * @interface ILossReport
             * @augments segflow.v1.LossReport.$Properties
             * @deprecated Use segflow.v1.LossReport.$Properties instead.
             */

            /**
             * Shape of a LossReport.
             * @typedef {segflow.v1.LossReport.$Properties} segflow.v1.LossReport.$Shape
             */

            /**
             * Constructs a new LossReport.
             * @memberof segflow.v1
             * @classdesc An agent's losses: since its previous batch and since it started. The cumulative counts make
             * a lost batch lose no count: the next batch's totals still hold it.
             * @constructor
             * @param {segflow.v1.LossReport.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LossReport = function (properties) {
                this.sincePrevious = [];
                this.sinceBoot = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Lost since the previous batch of this boot (for the first batch: since the boot started).
             * @member {Array.<segflow.v1.LossCount.$Properties>} sincePrevious
             * @memberof segflow.v1.LossReport
             * @instance
             */
            LossReport.prototype.sincePrevious = $util.emptyArray;

            /**
             * Lost since this boot started (non-decreasing from batch to batch).
             * @member {Array.<segflow.v1.LossCount.$Properties>} sinceBoot
             * @memberof segflow.v1.LossReport
             * @instance
             */
            LossReport.prototype.sinceBoot = $util.emptyArray;

            /**
             * Creates a new LossReport instance using the specified properties.
             * @function create
             * @memberof segflow.v1.LossReport
             * @static
             * @param {segflow.v1.LossReport.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.LossReport} LossReport instance
             * @type {{
             *   (properties: segflow.v1.LossReport.$Shape): segflow.v1.LossReport & segflow.v1.LossReport.$Shape;
             *   (properties?: segflow.v1.LossReport.$Properties): segflow.v1.LossReport;
             * }}
             */
            LossReport.create = function(properties) {
                return new LossReport(properties);
            };

            /**
             * Encodes the specified LossReport message. Does not implicitly {@link segflow.v1.LossReport.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.LossReport
             * @static
             * @param {segflow.v1.LossReport.$Properties} message LossReport message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LossReport.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sincePrevious != null && message.sincePrevious.length)
                    for (let i = 0; i < message.sincePrevious.length; ++i)
                        $root.segflow.v1.LossCount.encode(message.sincePrevious[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.sinceBoot != null && message.sinceBoot.length)
                    for (let i = 0; i < message.sinceBoot.length; ++i)
                        $root.segflow.v1.LossCount.encode(message.sinceBoot[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified LossReport message, length delimited. Does not implicitly {@link segflow.v1.LossReport.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.LossReport
             * @static
             * @param {segflow.v1.LossReport.$Properties} message LossReport message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LossReport.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a LossReport message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.LossReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.LossReport & segflow.v1.LossReport.$Shape} LossReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LossReport.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.LossReport();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.sincePrevious && message.sincePrevious.length))
                                message.sincePrevious = [];
                            message.sincePrevious.push($root.segflow.v1.LossCount.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.sinceBoot && message.sinceBoot.length))
                                message.sinceBoot = [];
                            message.sinceBoot.push($root.segflow.v1.LossCount.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a LossReport message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.LossReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.LossReport & segflow.v1.LossReport.$Shape} LossReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LossReport.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a LossReport message.
             * @function verify
             * @memberof segflow.v1.LossReport
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            LossReport.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sincePrevious != null && $Object.hasOwnProperty.call(message, "sincePrevious")) {
                    if (!$Array.isArray(message.sincePrevious))
                        return "sincePrevious: array expected";
                    for (let i = 0; i < message.sincePrevious.length; ++i) {
                        let error = $root.segflow.v1.LossCount.verify(message.sincePrevious[i], _depth + 1);
                        if (error)
                            return "sincePrevious." + error;
                    }
                }
                if (message.sinceBoot != null && $Object.hasOwnProperty.call(message, "sinceBoot")) {
                    if (!$Array.isArray(message.sinceBoot))
                        return "sinceBoot: array expected";
                    for (let i = 0; i < message.sinceBoot.length; ++i) {
                        let error = $root.segflow.v1.LossCount.verify(message.sinceBoot[i], _depth + 1);
                        if (error)
                            return "sinceBoot." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a LossReport message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.LossReport
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.LossReport} LossReport
             */
            LossReport.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.LossReport)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.LossReport: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.LossReport();
                if (object.sincePrevious) {
                    if (!$Array.isArray(object.sincePrevious))
                        throw $TypeError(".segflow.v1.LossReport.sincePrevious: array expected");
                    message.sincePrevious = $Array(object.sincePrevious.length);
                    for (let i = 0; i < object.sincePrevious.length; ++i) {
                        if (!$util.isObject(object.sincePrevious[i]))
                            throw $TypeError(".segflow.v1.LossReport.sincePrevious: object expected");
                        message.sincePrevious[i] = $root.segflow.v1.LossCount.fromObject(object.sincePrevious[i], _depth + 1);
                    }
                }
                if (object.sinceBoot) {
                    if (!$Array.isArray(object.sinceBoot))
                        throw $TypeError(".segflow.v1.LossReport.sinceBoot: array expected");
                    message.sinceBoot = $Array(object.sinceBoot.length);
                    for (let i = 0; i < object.sinceBoot.length; ++i) {
                        if (!$util.isObject(object.sinceBoot[i]))
                            throw $TypeError(".segflow.v1.LossReport.sinceBoot: object expected");
                        message.sinceBoot[i] = $root.segflow.v1.LossCount.fromObject(object.sinceBoot[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a LossReport message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.LossReport
             * @static
             * @param {segflow.v1.LossReport} message LossReport
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            LossReport.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.sincePrevious = [];
                    object.sinceBoot = [];
                }
                if (message.sincePrevious && message.sincePrevious.length) {
                    object.sincePrevious = $Array(message.sincePrevious.length);
                    for (let j = 0; j < message.sincePrevious.length; ++j)
                        object.sincePrevious[j] = $root.segflow.v1.LossCount.toObject(message.sincePrevious[j], options, _depth + 1);
                }
                if (message.sinceBoot && message.sinceBoot.length) {
                    object.sinceBoot = $Array(message.sinceBoot.length);
                    for (let j = 0; j < message.sinceBoot.length; ++j)
                        object.sinceBoot[j] = $root.segflow.v1.LossCount.toObject(message.sinceBoot[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this LossReport to JSON.
             * @function toJSON
             * @memberof segflow.v1.LossReport
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            LossReport.prototype.toJSON = function() {
                return LossReport.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for LossReport
             * @function getTypeUrl
             * @memberof segflow.v1.LossReport
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            LossReport.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.LossReport";
            };

            return LossReport;
        })();

        v1.SourceReport = (function() {

            /**
             * Properties of a SourceReport.
             * @typedef {Object} segflow.v1.SourceReport.$Properties
             * @property {string|null} [sourceName] The source's name (the `segflow-goldmane-source` header of its flows), e.g. calico-1.
             * @property {string|null} [sourceKind] What kind of source: "goldmane".
             * @property {string|null} [runId] Random id chosen at each start of the source process.
             * @property {number|Long|null} [reportNumber] Numbers the reports of a run (1, 2, ...): only to give each report one identity, so a report
             * delivered twice is one document. A missing number loses no flows: it is not a gap count.
             * @property {number|Long|null} [sentTimeUnixNano] When the source built the report, Unix time in nanoseconds.
             * @property {number|Long|null} [flowsSincePrevious] Flows published to the raw topic since the previous report of the run, and since the run began.
             * @property {number|Long|null} [flowsTotal] SourceReport flowsTotal
             * @property {number|null} [reportIntervalMs] Milliseconds between two reports (a reader tells "silent" from "idle" by it).
             * @property {boolean|null} [upstreamConnected] Whether the source's stream from Goldmane was open when it built the report.
             * @property {segflow.v1.PossibleLoss.$Properties|null} [possibleLoss] A span whose flows may be lost (unset: none known). Sent until published; a span still
             * growing (the source is still away) is sent again with the same start and a later end.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SourceReport.
             * @memberof segflow.v1
             * @interface ISourceReport
             * @augments segflow.v1.SourceReport.$Properties
             * @deprecated Use segflow.v1.SourceReport.$Properties instead.
             */

            /**
             * Shape of a SourceReport.
             * @typedef {segflow.v1.SourceReport.$Properties} segflow.v1.SourceReport.$Shape
             */

            /**
             * Constructs a new SourceReport.
             * @memberof segflow.v1
             * @classdesc What a flow source that has no batches of its own reports about itself (the Goldmane source:
             * one message per flow, no sequence numbers), on the raw topic with `segflow-schema:
             * segflow.v1.SourceReport`: how many flows it published, and any span of time whose flows it may
             * have missed. Sent every report_interval_ms and at once after the source reconnects. The
             * enricher turns each into a report document, the completeness figure's input.
             * @constructor
             * @param {segflow.v1.SourceReport.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SourceReport = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * The source's name (the `segflow-goldmane-source` header of its flows), e.g. calico-1.
             * @member {string} sourceName
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.sourceName = "";

            /**
             * What kind of source: "goldmane".
             * @member {string} sourceKind
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.sourceKind = "";

            /**
             * Random id chosen at each start of the source process.
             * @member {string} runId
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.runId = "";

            /**
             * Numbers the reports of a run (1, 2, ...): only to give each report one identity, so a report
             * delivered twice is one document. A missing number loses no flows: it is not a gap count.
             * @member {number|Long} reportNumber
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.reportNumber = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * When the source built the report, Unix time in nanoseconds.
             * @member {number|Long} sentTimeUnixNano
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.sentTimeUnixNano = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Flows published to the raw topic since the previous report of the run, and since the run began.
             * @member {number|Long} flowsSincePrevious
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.flowsSincePrevious = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SourceReport flowsTotal.
             * @member {number|Long} flowsTotal
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.flowsTotal = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Milliseconds between two reports (a reader tells "silent" from "idle" by it).
             * @member {number} reportIntervalMs
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.reportIntervalMs = 0;

            /**
             * Whether the source's stream from Goldmane was open when it built the report.
             * @member {boolean} upstreamConnected
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.upstreamConnected = false;

            /**
             * A span whose flows may be lost (unset: none known). Sent until published; a span still
             * growing (the source is still away) is sent again with the same start and a later end.
             * @member {segflow.v1.PossibleLoss.$Properties|null|undefined} possibleLoss
             * @memberof segflow.v1.SourceReport
             * @instance
             */
            SourceReport.prototype.possibleLoss = null;

            /**
             * Creates a new SourceReport instance using the specified properties.
             * @function create
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {segflow.v1.SourceReport.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.SourceReport} SourceReport instance
             * @type {{
             *   (properties: segflow.v1.SourceReport.$Shape): segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape;
             *   (properties?: segflow.v1.SourceReport.$Properties): segflow.v1.SourceReport;
             * }}
             */
            SourceReport.create = function(properties) {
                return new SourceReport(properties);
            };

            /**
             * Encodes the specified SourceReport message. Does not implicitly {@link segflow.v1.SourceReport.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {segflow.v1.SourceReport.$Properties} message SourceReport message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SourceReport.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName") && message.sourceName !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.sourceName);
                if (message.sourceKind != null && $Object.hasOwnProperty.call(message, "sourceKind") && message.sourceKind !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.sourceKind);
                if (message.runId != null && $Object.hasOwnProperty.call(message, "runId") && message.runId !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.runId);
                if (message.reportNumber != null && $Object.hasOwnProperty.call(message, "reportNumber") && (typeof message.reportNumber === "object" ? message.reportNumber.low || message.reportNumber.high : message.reportNumber !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.reportNumber);
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano") && (typeof message.sentTimeUnixNano === "object" ? message.sentTimeUnixNano.low || message.sentTimeUnixNano.high : message.sentTimeUnixNano !== 0))
                    writer.uint32(/* id 5, wireType 1 =*/41).fixed64(message.sentTimeUnixNano);
                if (message.flowsSincePrevious != null && $Object.hasOwnProperty.call(message, "flowsSincePrevious") && (typeof message.flowsSincePrevious === "object" ? message.flowsSincePrevious.low || message.flowsSincePrevious.high : message.flowsSincePrevious !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.flowsSincePrevious);
                if (message.flowsTotal != null && $Object.hasOwnProperty.call(message, "flowsTotal") && (typeof message.flowsTotal === "object" ? message.flowsTotal.low || message.flowsTotal.high : message.flowsTotal !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.flowsTotal);
                if (message.reportIntervalMs != null && $Object.hasOwnProperty.call(message, "reportIntervalMs") && message.reportIntervalMs !== 0)
                    writer.uint32(/* id 8, wireType 0 =*/64).uint32(message.reportIntervalMs);
                if (message.upstreamConnected != null && $Object.hasOwnProperty.call(message, "upstreamConnected") && message.upstreamConnected !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.upstreamConnected);
                if (message.possibleLoss != null && $Object.hasOwnProperty.call(message, "possibleLoss"))
                    $root.segflow.v1.PossibleLoss.encode(message.possibleLoss, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified SourceReport message, length delimited. Does not implicitly {@link segflow.v1.SourceReport.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {segflow.v1.SourceReport.$Properties} message SourceReport message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SourceReport.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a SourceReport message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape} SourceReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SourceReport.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.SourceReport();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sourceName = value;
                            else
                                delete message.sourceName;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sourceKind = value;
                            else
                                delete message.sourceKind;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.runId = value;
                            else
                                delete message.runId;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.reportNumber = value;
                            else
                                delete message.reportNumber;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentTimeUnixNano = value;
                            else
                                delete message.sentTimeUnixNano;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.flowsSincePrevious = value;
                            else
                                delete message.flowsSincePrevious;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.flowsTotal = value;
                            else
                                delete message.flowsTotal;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.reportIntervalMs = value;
                            else
                                delete message.reportIntervalMs;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.upstreamConnected = value;
                            else
                                delete message.upstreamConnected;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.possibleLoss = $root.segflow.v1.PossibleLoss.decode(reader, reader.size(), $undefined, _depth + 1, message.possibleLoss);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a SourceReport message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.SourceReport & segflow.v1.SourceReport.$Shape} SourceReport
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SourceReport.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a SourceReport message.
             * @function verify
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SourceReport.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName"))
                    if (!$util.isString(message.sourceName))
                        return "sourceName: string expected";
                if (message.sourceKind != null && $Object.hasOwnProperty.call(message, "sourceKind"))
                    if (!$util.isString(message.sourceKind))
                        return "sourceKind: string expected";
                if (message.runId != null && $Object.hasOwnProperty.call(message, "runId"))
                    if (!$util.isString(message.runId))
                        return "runId: string expected";
                if (message.reportNumber != null && $Object.hasOwnProperty.call(message, "reportNumber"))
                    if (!$util.isInteger(message.reportNumber) && !(message.reportNumber && $util.isInteger(message.reportNumber.low) && $util.isInteger(message.reportNumber.high)))
                        return "reportNumber: integer|Long expected";
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano"))
                    if (!$util.isInteger(message.sentTimeUnixNano) && !(message.sentTimeUnixNano && $util.isInteger(message.sentTimeUnixNano.low) && $util.isInteger(message.sentTimeUnixNano.high)))
                        return "sentTimeUnixNano: integer|Long expected";
                if (message.flowsSincePrevious != null && $Object.hasOwnProperty.call(message, "flowsSincePrevious"))
                    if (!$util.isInteger(message.flowsSincePrevious) && !(message.flowsSincePrevious && $util.isInteger(message.flowsSincePrevious.low) && $util.isInteger(message.flowsSincePrevious.high)))
                        return "flowsSincePrevious: integer|Long expected";
                if (message.flowsTotal != null && $Object.hasOwnProperty.call(message, "flowsTotal"))
                    if (!$util.isInteger(message.flowsTotal) && !(message.flowsTotal && $util.isInteger(message.flowsTotal.low) && $util.isInteger(message.flowsTotal.high)))
                        return "flowsTotal: integer|Long expected";
                if (message.reportIntervalMs != null && $Object.hasOwnProperty.call(message, "reportIntervalMs"))
                    if (!$util.isInteger(message.reportIntervalMs))
                        return "reportIntervalMs: integer expected";
                if (message.upstreamConnected != null && $Object.hasOwnProperty.call(message, "upstreamConnected"))
                    if (typeof message.upstreamConnected !== "boolean")
                        return "upstreamConnected: boolean expected";
                if (message.possibleLoss != null && $Object.hasOwnProperty.call(message, "possibleLoss")) {
                    let error = $root.segflow.v1.PossibleLoss.verify(message.possibleLoss, _depth + 1);
                    if (error)
                        return "possibleLoss." + error;
                }
                return null;
            };

            /**
             * Creates a SourceReport message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.SourceReport} SourceReport
             */
            SourceReport.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.SourceReport)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.SourceReport: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.SourceReport();
                if (object.sourceName != null)
                    if (typeof object.sourceName !== "string" || object.sourceName.length)
                        message.sourceName = $String(object.sourceName);
                if (object.sourceKind != null)
                    if (typeof object.sourceKind !== "string" || object.sourceKind.length)
                        message.sourceKind = $String(object.sourceKind);
                if (object.runId != null)
                    if (typeof object.runId !== "string" || object.runId.length)
                        message.runId = $String(object.runId);
                if (object.reportNumber != null)
                    if (typeof object.reportNumber === "object" ? object.reportNumber.low || object.reportNumber.high : $Number(object.reportNumber) !== 0)
                        if ($util.Long)
                            message.reportNumber = $util.Long.fromValue(object.reportNumber, true);
                        else if (typeof object.reportNumber === "string")
                            message.reportNumber = $parseInt(object.reportNumber, 10);
                        else if (typeof object.reportNumber === "number")
                            message.reportNumber = object.reportNumber;
                        else if (typeof object.reportNumber === "object")
                            message.reportNumber = new $util.LongBits(object.reportNumber.low >>> 0, object.reportNumber.high >>> 0).toNumber(true);
                if (object.sentTimeUnixNano != null)
                    if (typeof object.sentTimeUnixNano === "object" ? object.sentTimeUnixNano.low || object.sentTimeUnixNano.high : $Number(object.sentTimeUnixNano) !== 0)
                        if ($util.Long)
                            message.sentTimeUnixNano = $util.Long.fromValue(object.sentTimeUnixNano, true);
                        else if (typeof object.sentTimeUnixNano === "string")
                            message.sentTimeUnixNano = $parseInt(object.sentTimeUnixNano, 10);
                        else if (typeof object.sentTimeUnixNano === "number")
                            message.sentTimeUnixNano = object.sentTimeUnixNano;
                        else if (typeof object.sentTimeUnixNano === "object")
                            message.sentTimeUnixNano = new $util.LongBits(object.sentTimeUnixNano.low >>> 0, object.sentTimeUnixNano.high >>> 0).toNumber(true);
                if (object.flowsSincePrevious != null)
                    if (typeof object.flowsSincePrevious === "object" ? object.flowsSincePrevious.low || object.flowsSincePrevious.high : $Number(object.flowsSincePrevious) !== 0)
                        if ($util.Long)
                            message.flowsSincePrevious = $util.Long.fromValue(object.flowsSincePrevious, true);
                        else if (typeof object.flowsSincePrevious === "string")
                            message.flowsSincePrevious = $parseInt(object.flowsSincePrevious, 10);
                        else if (typeof object.flowsSincePrevious === "number")
                            message.flowsSincePrevious = object.flowsSincePrevious;
                        else if (typeof object.flowsSincePrevious === "object")
                            message.flowsSincePrevious = new $util.LongBits(object.flowsSincePrevious.low >>> 0, object.flowsSincePrevious.high >>> 0).toNumber(true);
                if (object.flowsTotal != null)
                    if (typeof object.flowsTotal === "object" ? object.flowsTotal.low || object.flowsTotal.high : $Number(object.flowsTotal) !== 0)
                        if ($util.Long)
                            message.flowsTotal = $util.Long.fromValue(object.flowsTotal, true);
                        else if (typeof object.flowsTotal === "string")
                            message.flowsTotal = $parseInt(object.flowsTotal, 10);
                        else if (typeof object.flowsTotal === "number")
                            message.flowsTotal = object.flowsTotal;
                        else if (typeof object.flowsTotal === "object")
                            message.flowsTotal = new $util.LongBits(object.flowsTotal.low >>> 0, object.flowsTotal.high >>> 0).toNumber(true);
                if (object.reportIntervalMs != null)
                    if ($Number(object.reportIntervalMs) !== 0)
                        message.reportIntervalMs = object.reportIntervalMs >>> 0;
                if (object.upstreamConnected != null)
                    if (object.upstreamConnected)
                        message.upstreamConnected = $Boolean(object.upstreamConnected);
                if (object.possibleLoss != null) {
                    if (!$util.isObject(object.possibleLoss))
                        throw $TypeError(".segflow.v1.SourceReport.possibleLoss: object expected");
                    message.possibleLoss = $root.segflow.v1.PossibleLoss.fromObject(object.possibleLoss, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a SourceReport message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {segflow.v1.SourceReport} message SourceReport
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SourceReport.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.sourceName = "";
                    object.sourceKind = "";
                    object.runId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.reportNumber = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.reportNumber = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sentTimeUnixNano = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sentTimeUnixNano = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.flowsSincePrevious = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.flowsSincePrevious = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.flowsTotal = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.flowsTotal = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.reportIntervalMs = 0;
                    object.upstreamConnected = false;
                    object.possibleLoss = null;
                }
                if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName"))
                    object.sourceName = message.sourceName;
                if (message.sourceKind != null && $Object.hasOwnProperty.call(message, "sourceKind"))
                    object.sourceKind = message.sourceKind;
                if (message.runId != null && $Object.hasOwnProperty.call(message, "runId"))
                    object.runId = message.runId;
                if (message.reportNumber != null && $Object.hasOwnProperty.call(message, "reportNumber"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.reportNumber = typeof message.reportNumber === "number" ? $BigInt(message.reportNumber) : $util.Long.fromBits(message.reportNumber.low >>> 0, message.reportNumber.high >>> 0, true).toBigInt();
                    else if (typeof message.reportNumber === "number")
                        object.reportNumber = options.longs === $String ? $String(message.reportNumber) : message.reportNumber;
                    else
                        object.reportNumber = options.longs === $String ? $util.Long.prototype.toString.call(message.reportNumber) : options.longs === $Number ? new $util.LongBits(message.reportNumber.low >>> 0, message.reportNumber.high >>> 0).toNumber(true) : message.reportNumber;
                if (message.sentTimeUnixNano != null && $Object.hasOwnProperty.call(message, "sentTimeUnixNano"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sentTimeUnixNano = typeof message.sentTimeUnixNano === "number" ? $BigInt(message.sentTimeUnixNano) : $util.Long.fromBits(message.sentTimeUnixNano.low >>> 0, message.sentTimeUnixNano.high >>> 0, true).toBigInt();
                    else if (typeof message.sentTimeUnixNano === "number")
                        object.sentTimeUnixNano = options.longs === $String ? $String(message.sentTimeUnixNano) : message.sentTimeUnixNano;
                    else
                        object.sentTimeUnixNano = options.longs === $String ? $util.Long.prototype.toString.call(message.sentTimeUnixNano) : options.longs === $Number ? new $util.LongBits(message.sentTimeUnixNano.low >>> 0, message.sentTimeUnixNano.high >>> 0).toNumber(true) : message.sentTimeUnixNano;
                if (message.flowsSincePrevious != null && $Object.hasOwnProperty.call(message, "flowsSincePrevious"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.flowsSincePrevious = typeof message.flowsSincePrevious === "number" ? $BigInt(message.flowsSincePrevious) : $util.Long.fromBits(message.flowsSincePrevious.low >>> 0, message.flowsSincePrevious.high >>> 0, true).toBigInt();
                    else if (typeof message.flowsSincePrevious === "number")
                        object.flowsSincePrevious = options.longs === $String ? $String(message.flowsSincePrevious) : message.flowsSincePrevious;
                    else
                        object.flowsSincePrevious = options.longs === $String ? $util.Long.prototype.toString.call(message.flowsSincePrevious) : options.longs === $Number ? new $util.LongBits(message.flowsSincePrevious.low >>> 0, message.flowsSincePrevious.high >>> 0).toNumber(true) : message.flowsSincePrevious;
                if (message.flowsTotal != null && $Object.hasOwnProperty.call(message, "flowsTotal"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.flowsTotal = typeof message.flowsTotal === "number" ? $BigInt(message.flowsTotal) : $util.Long.fromBits(message.flowsTotal.low >>> 0, message.flowsTotal.high >>> 0, true).toBigInt();
                    else if (typeof message.flowsTotal === "number")
                        object.flowsTotal = options.longs === $String ? $String(message.flowsTotal) : message.flowsTotal;
                    else
                        object.flowsTotal = options.longs === $String ? $util.Long.prototype.toString.call(message.flowsTotal) : options.longs === $Number ? new $util.LongBits(message.flowsTotal.low >>> 0, message.flowsTotal.high >>> 0).toNumber(true) : message.flowsTotal;
                if (message.reportIntervalMs != null && $Object.hasOwnProperty.call(message, "reportIntervalMs"))
                    object.reportIntervalMs = message.reportIntervalMs;
                if (message.upstreamConnected != null && $Object.hasOwnProperty.call(message, "upstreamConnected"))
                    object.upstreamConnected = message.upstreamConnected;
                if (message.possibleLoss != null && $Object.hasOwnProperty.call(message, "possibleLoss"))
                    object.possibleLoss = $root.segflow.v1.PossibleLoss.toObject(message.possibleLoss, options, _depth + 1);
                return object;
            };

            /**
             * Converts this SourceReport to JSON.
             * @function toJSON
             * @memberof segflow.v1.SourceReport
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SourceReport.prototype.toJSON = function() {
                return SourceReport.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for SourceReport
             * @function getTypeUrl
             * @memberof segflow.v1.SourceReport
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            SourceReport.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.SourceReport";
            };

            return SourceReport;
        })();

        /**
         * Why flows may be missing over a span of time (not a count of records: how many flows fell into
         * the span is unknowable).
         * @name segflow.v1.SpanLossCause
         * @enum {number}
         * @property {number} SPAN_LOSS_CAUSE_UNSPECIFIED=0 SPAN_LOSS_CAUSE_UNSPECIFIED value
         * @property {number} SPAN_LOSS_CAUSE_GOLDMANE_RETENTION=1 The source was away longer than Goldmane keeps flows: Goldmane dropped them before the
         * source could read them.
         */
        v1.SpanLossCause = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "SPAN_LOSS_CAUSE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "SPAN_LOSS_CAUSE_GOLDMANE_RETENTION"] = 1;
            return values;
        })();

        v1.PossibleLoss = (function() {

            /**
             * Properties of a PossibleLoss.
             * @typedef {Object} segflow.v1.PossibleLoss.$Properties
             * @property {segflow.v1.SpanLossCause|null} [cause] PossibleLoss cause
             * @property {number|Long|null} [fromUnixMs] The span, Unix ms: from the newest flow end the source had published to the oldest time
             * Goldmane still held when the source came back.
             * @property {number|Long|null} [toUnixMs] PossibleLoss toUnixMs
             * @property {number|null} [retentionSeconds] How long Goldmane keeps flows, as the source was configured (for the words of the reason).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PossibleLoss.
             * @memberof segflow.v1
             * @interface IPossibleLoss
             * @augments segflow.v1.PossibleLoss.$Properties
             * @deprecated Use segflow.v1.PossibleLoss.$Properties instead.
             */

            /**
             * Shape of a PossibleLoss.
             * @typedef {segflow.v1.PossibleLoss.$Properties} segflow.v1.PossibleLoss.$Shape
             */

            /**
             * Constructs a new PossibleLoss.
             * @memberof segflow.v1
             * @classdesc Represents a PossibleLoss.
             * @constructor
             * @param {segflow.v1.PossibleLoss.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PossibleLoss = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PossibleLoss cause.
             * @member {segflow.v1.SpanLossCause} cause
             * @memberof segflow.v1.PossibleLoss
             * @instance
             */
            PossibleLoss.prototype.cause = 0;

            /**
             * The span, Unix ms: from the newest flow end the source had published to the oldest time
             * Goldmane still held when the source came back.
             * @member {number|Long} fromUnixMs
             * @memberof segflow.v1.PossibleLoss
             * @instance
             */
            PossibleLoss.prototype.fromUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * PossibleLoss toUnixMs.
             * @member {number|Long} toUnixMs
             * @memberof segflow.v1.PossibleLoss
             * @instance
             */
            PossibleLoss.prototype.toUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * How long Goldmane keeps flows, as the source was configured (for the words of the reason).
             * @member {number} retentionSeconds
             * @memberof segflow.v1.PossibleLoss
             * @instance
             */
            PossibleLoss.prototype.retentionSeconds = 0;

            /**
             * Creates a new PossibleLoss instance using the specified properties.
             * @function create
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {segflow.v1.PossibleLoss.$Properties=} [properties] Properties to set
             * @returns {segflow.v1.PossibleLoss} PossibleLoss instance
             * @type {{
             *   (properties: segflow.v1.PossibleLoss.$Shape): segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape;
             *   (properties?: segflow.v1.PossibleLoss.$Properties): segflow.v1.PossibleLoss;
             * }}
             */
            PossibleLoss.create = function(properties) {
                return new PossibleLoss(properties);
            };

            /**
             * Encodes the specified PossibleLoss message. Does not implicitly {@link segflow.v1.PossibleLoss.verify|verify} messages.
             * @function encode
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {segflow.v1.PossibleLoss.$Properties} message PossibleLoss message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PossibleLoss.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause") && message.cause !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.cause);
                if (message.fromUnixMs != null && $Object.hasOwnProperty.call(message, "fromUnixMs") && (typeof message.fromUnixMs === "object" ? message.fromUnixMs.low || message.fromUnixMs.high : message.fromUnixMs !== 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).fixed64(message.fromUnixMs);
                if (message.toUnixMs != null && $Object.hasOwnProperty.call(message, "toUnixMs") && (typeof message.toUnixMs === "object" ? message.toUnixMs.low || message.toUnixMs.high : message.toUnixMs !== 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).fixed64(message.toUnixMs);
                if (message.retentionSeconds != null && $Object.hasOwnProperty.call(message, "retentionSeconds") && message.retentionSeconds !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.retentionSeconds);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Encodes the specified PossibleLoss message, length delimited. Does not implicitly {@link segflow.v1.PossibleLoss.verify|verify} messages.
             * @function encodeDelimited
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {segflow.v1.PossibleLoss.$Properties} message PossibleLoss message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PossibleLoss.encodeDelimited = function(message, writer) {
                return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
            };

            /**
             * Decodes a PossibleLoss message from the specified reader or buffer.
             * @function decode
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape} PossibleLoss
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PossibleLoss.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.segflow.v1.PossibleLoss();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.cause = value;
                            else
                                delete message.cause;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.fromUnixMs = value;
                            else
                                delete message.fromUnixMs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                message.toUnixMs = value;
                            else
                                delete message.toUnixMs;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.retentionSeconds = value;
                            else
                                delete message.retentionSeconds;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Decodes a PossibleLoss message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {segflow.v1.PossibleLoss & segflow.v1.PossibleLoss.$Shape} PossibleLoss
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PossibleLoss.decodeDelimited = function(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.size());
            };

            /**
             * Verifies a PossibleLoss message.
             * @function verify
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PossibleLoss.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause"))
                    if (typeof message.cause !== "number" || (message.cause | 0) !== message.cause)
                        return "cause: enum value expected";
                if (message.fromUnixMs != null && $Object.hasOwnProperty.call(message, "fromUnixMs"))
                    if (!$util.isInteger(message.fromUnixMs) && !(message.fromUnixMs && $util.isInteger(message.fromUnixMs.low) && $util.isInteger(message.fromUnixMs.high)))
                        return "fromUnixMs: integer|Long expected";
                if (message.toUnixMs != null && $Object.hasOwnProperty.call(message, "toUnixMs"))
                    if (!$util.isInteger(message.toUnixMs) && !(message.toUnixMs && $util.isInteger(message.toUnixMs.low) && $util.isInteger(message.toUnixMs.high)))
                        return "toUnixMs: integer|Long expected";
                if (message.retentionSeconds != null && $Object.hasOwnProperty.call(message, "retentionSeconds"))
                    if (!$util.isInteger(message.retentionSeconds))
                        return "retentionSeconds: integer expected";
                return null;
            };

            /**
             * Creates a PossibleLoss message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {segflow.v1.PossibleLoss} PossibleLoss
             */
            PossibleLoss.fromObject = function (object, _depth) {
                if (object instanceof $root.segflow.v1.PossibleLoss)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".segflow.v1.PossibleLoss: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.segflow.v1.PossibleLoss();
                if (object.cause !== 0 && (typeof object.cause !== "string" || $root.segflow.v1.SpanLossCause[object.cause] !== 0))
                    switch (object.cause) {
                    case "SPAN_LOSS_CAUSE_UNSPECIFIED":
                    case 0:
                        message.cause = 0;
                        break;
                    case "SPAN_LOSS_CAUSE_GOLDMANE_RETENTION":
                    case 1:
                        message.cause = 1;
                        break;
                    default:
                        if (typeof object.cause === "number" && (object.cause | 0) === object.cause)
                            message.cause = object.cause;
                    }
                if (object.fromUnixMs != null)
                    if (typeof object.fromUnixMs === "object" ? object.fromUnixMs.low || object.fromUnixMs.high : $Number(object.fromUnixMs) !== 0)
                        if ($util.Long)
                            message.fromUnixMs = $util.Long.fromValue(object.fromUnixMs, true);
                        else if (typeof object.fromUnixMs === "string")
                            message.fromUnixMs = $parseInt(object.fromUnixMs, 10);
                        else if (typeof object.fromUnixMs === "number")
                            message.fromUnixMs = object.fromUnixMs;
                        else if (typeof object.fromUnixMs === "object")
                            message.fromUnixMs = new $util.LongBits(object.fromUnixMs.low >>> 0, object.fromUnixMs.high >>> 0).toNumber(true);
                if (object.toUnixMs != null)
                    if (typeof object.toUnixMs === "object" ? object.toUnixMs.low || object.toUnixMs.high : $Number(object.toUnixMs) !== 0)
                        if ($util.Long)
                            message.toUnixMs = $util.Long.fromValue(object.toUnixMs, true);
                        else if (typeof object.toUnixMs === "string")
                            message.toUnixMs = $parseInt(object.toUnixMs, 10);
                        else if (typeof object.toUnixMs === "number")
                            message.toUnixMs = object.toUnixMs;
                        else if (typeof object.toUnixMs === "object")
                            message.toUnixMs = new $util.LongBits(object.toUnixMs.low >>> 0, object.toUnixMs.high >>> 0).toNumber(true);
                if (object.retentionSeconds != null)
                    if ($Number(object.retentionSeconds) !== 0)
                        message.retentionSeconds = object.retentionSeconds >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a PossibleLoss message. Also converts values to other types if specified.
             * @function toObject
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {segflow.v1.PossibleLoss} message PossibleLoss
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PossibleLoss.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.cause = options.enums === $String ? "SPAN_LOSS_CAUSE_UNSPECIFIED" : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.fromUnixMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.fromUnixMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.toUnixMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.toUnixMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.retentionSeconds = 0;
                }
                if (message.cause != null && $Object.hasOwnProperty.call(message, "cause"))
                    object.cause = options.enums === $String ? $root.segflow.v1.SpanLossCause[message.cause] === $undefined ? message.cause : $root.segflow.v1.SpanLossCause[message.cause] : message.cause;
                if (message.fromUnixMs != null && $Object.hasOwnProperty.call(message, "fromUnixMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.fromUnixMs = typeof message.fromUnixMs === "number" ? $BigInt(message.fromUnixMs) : $util.Long.fromBits(message.fromUnixMs.low >>> 0, message.fromUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof message.fromUnixMs === "number")
                        object.fromUnixMs = options.longs === $String ? $String(message.fromUnixMs) : message.fromUnixMs;
                    else
                        object.fromUnixMs = options.longs === $String ? $util.Long.prototype.toString.call(message.fromUnixMs) : options.longs === $Number ? new $util.LongBits(message.fromUnixMs.low >>> 0, message.fromUnixMs.high >>> 0).toNumber(true) : message.fromUnixMs;
                if (message.toUnixMs != null && $Object.hasOwnProperty.call(message, "toUnixMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.toUnixMs = typeof message.toUnixMs === "number" ? $BigInt(message.toUnixMs) : $util.Long.fromBits(message.toUnixMs.low >>> 0, message.toUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof message.toUnixMs === "number")
                        object.toUnixMs = options.longs === $String ? $String(message.toUnixMs) : message.toUnixMs;
                    else
                        object.toUnixMs = options.longs === $String ? $util.Long.prototype.toString.call(message.toUnixMs) : options.longs === $Number ? new $util.LongBits(message.toUnixMs.low >>> 0, message.toUnixMs.high >>> 0).toNumber(true) : message.toUnixMs;
                if (message.retentionSeconds != null && $Object.hasOwnProperty.call(message, "retentionSeconds"))
                    object.retentionSeconds = message.retentionSeconds;
                return object;
            };

            /**
             * Converts this PossibleLoss to JSON.
             * @function toJSON
             * @memberof segflow.v1.PossibleLoss
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PossibleLoss.prototype.toJSON = function() {
                return PossibleLoss.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for PossibleLoss
             * @function getTypeUrl
             * @memberof segflow.v1.PossibleLoss
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            PossibleLoss.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/segflow.v1.PossibleLoss";
            };

            return PossibleLoss;
        })();

        return v1;
    })();

    return segflow;
})();

export {
  $root as default
};
