/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $String = $util.global.String, $BigInt = $util.global.BigInt, $Array = $util.global.Array;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const goldmane = $root.goldmane = (() => {

    /**
     * Namespace goldmane.
     * @exports goldmane
     * @namespace
     */
    const goldmane = {};

    goldmane.FlowListRequest = (function() {

        /**
         * Properties of a FlowListRequest.
         * @typedef {Object} goldmane.FlowListRequest.$Properties
         * @property {number|Long|null} [startTimeGte] FlowListRequest startTimeGte
         * @property {number|Long|null} [startTimeLt] FlowListRequest startTimeLt
         * @property {number|Long|null} [page] FlowListRequest page
         * @property {number|Long|null} [pageSize] FlowListRequest pageSize
         * @property {number|Long|null} [aggregationInterval] FlowListRequest aggregationInterval
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowListRequest.
         * @memberof goldmane
         * @interface IFlowListRequest
         * @augments goldmane.FlowListRequest.$Properties
         * @deprecated Use goldmane.FlowListRequest.$Properties instead.
         */

        /**
         * Shape of a FlowListRequest.
         * @typedef {goldmane.FlowListRequest.$Properties} goldmane.FlowListRequest.$Shape
         */

        /**
         * Constructs a new FlowListRequest.
         * @memberof goldmane
         * @classdesc Times: 0 = now (Stream) or the oldest held (List); > 0 Unix seconds; < 0 seconds before now.
         * @constructor
         * @param {goldmane.FlowListRequest.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowListRequest = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowListRequest startTimeGte.
         * @member {number|Long} startTimeGte
         * @memberof goldmane.FlowListRequest
         * @instance
         */
        FlowListRequest.prototype.startTimeGte = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowListRequest startTimeLt.
         * @member {number|Long} startTimeLt
         * @memberof goldmane.FlowListRequest
         * @instance
         */
        FlowListRequest.prototype.startTimeLt = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowListRequest page.
         * @member {number|Long} page
         * @memberof goldmane.FlowListRequest
         * @instance
         */
        FlowListRequest.prototype.page = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowListRequest pageSize.
         * @member {number|Long} pageSize
         * @memberof goldmane.FlowListRequest
         * @instance
         */
        FlowListRequest.prototype.pageSize = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowListRequest aggregationInterval.
         * @member {number|Long} aggregationInterval
         * @memberof goldmane.FlowListRequest
         * @instance
         */
        FlowListRequest.prototype.aggregationInterval = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new FlowListRequest instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {goldmane.FlowListRequest.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowListRequest} FlowListRequest instance
         * @type {{
         *   (properties: goldmane.FlowListRequest.$Shape): goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape;
         *   (properties?: goldmane.FlowListRequest.$Properties): goldmane.FlowListRequest;
         * }}
         */
        FlowListRequest.create = function(properties) {
            return new FlowListRequest(properties);
        };

        /**
         * Encodes the specified FlowListRequest message. Does not implicitly {@link goldmane.FlowListRequest.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {goldmane.FlowListRequest.$Properties} message FlowListRequest message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowListRequest.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte") && (typeof message.startTimeGte === "object" ? message.startTimeGte.low || message.startTimeGte.high : message.startTimeGte !== 0))
                writer.uint32(/* id 1, wireType 0 =*/8).int64(message.startTimeGte);
            if (message.startTimeLt != null && $Object.hasOwnProperty.call(message, "startTimeLt") && (typeof message.startTimeLt === "object" ? message.startTimeLt.low || message.startTimeLt.high : message.startTimeLt !== 0))
                writer.uint32(/* id 2, wireType 0 =*/16).int64(message.startTimeLt);
            if (message.page != null && $Object.hasOwnProperty.call(message, "page") && (typeof message.page === "object" ? message.page.low || message.page.high : message.page !== 0))
                writer.uint32(/* id 3, wireType 0 =*/24).int64(message.page);
            if (message.pageSize != null && $Object.hasOwnProperty.call(message, "pageSize") && (typeof message.pageSize === "object" ? message.pageSize.low || message.pageSize.high : message.pageSize !== 0))
                writer.uint32(/* id 4, wireType 0 =*/32).int64(message.pageSize);
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval") && (typeof message.aggregationInterval === "object" ? message.aggregationInterval.low || message.aggregationInterval.high : message.aggregationInterval !== 0))
                writer.uint32(/* id 7, wireType 0 =*/56).int64(message.aggregationInterval);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowListRequest message, length delimited. Does not implicitly {@link goldmane.FlowListRequest.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {goldmane.FlowListRequest.$Properties} message FlowListRequest message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowListRequest.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowListRequest message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape} FlowListRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowListRequest.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowListRequest();
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
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.startTimeGte = value;
                        else
                            delete message.startTimeGte;
                        continue;
                    }
                case 2: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.startTimeLt = value;
                        else
                            delete message.startTimeLt;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.page = value;
                        else
                            delete message.page;
                        continue;
                    }
                case 4: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.pageSize = value;
                        else
                            delete message.pageSize;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.aggregationInterval = value;
                        else
                            delete message.aggregationInterval;
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
         * Decodes a FlowListRequest message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape} FlowListRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowListRequest.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowListRequest message.
         * @function verify
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowListRequest.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte"))
                if (!$util.isInteger(message.startTimeGte) && !(message.startTimeGte && $util.isInteger(message.startTimeGte.low) && $util.isInteger(message.startTimeGte.high)))
                    return "startTimeGte: integer|Long expected";
            if (message.startTimeLt != null && $Object.hasOwnProperty.call(message, "startTimeLt"))
                if (!$util.isInteger(message.startTimeLt) && !(message.startTimeLt && $util.isInteger(message.startTimeLt.low) && $util.isInteger(message.startTimeLt.high)))
                    return "startTimeLt: integer|Long expected";
            if (message.page != null && $Object.hasOwnProperty.call(message, "page"))
                if (!$util.isInteger(message.page) && !(message.page && $util.isInteger(message.page.low) && $util.isInteger(message.page.high)))
                    return "page: integer|Long expected";
            if (message.pageSize != null && $Object.hasOwnProperty.call(message, "pageSize"))
                if (!$util.isInteger(message.pageSize) && !(message.pageSize && $util.isInteger(message.pageSize.low) && $util.isInteger(message.pageSize.high)))
                    return "pageSize: integer|Long expected";
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval"))
                if (!$util.isInteger(message.aggregationInterval) && !(message.aggregationInterval && $util.isInteger(message.aggregationInterval.low) && $util.isInteger(message.aggregationInterval.high)))
                    return "aggregationInterval: integer|Long expected";
            return null;
        };

        /**
         * Creates a FlowListRequest message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowListRequest} FlowListRequest
         */
        FlowListRequest.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowListRequest)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowListRequest: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowListRequest();
            if (object.startTimeGte != null)
                if (typeof object.startTimeGte === "object" ? object.startTimeGte.low || object.startTimeGte.high : $Number(object.startTimeGte) !== 0)
                    if ($util.Long)
                        message.startTimeGte = $util.Long.fromValue(object.startTimeGte, false);
                    else if (typeof object.startTimeGte === "string")
                        message.startTimeGte = $parseInt(object.startTimeGte, 10);
                    else if (typeof object.startTimeGte === "number")
                        message.startTimeGte = object.startTimeGte;
                    else if (typeof object.startTimeGte === "object")
                        message.startTimeGte = new $util.LongBits(object.startTimeGte.low >>> 0, object.startTimeGte.high >>> 0).toNumber();
            if (object.startTimeLt != null)
                if (typeof object.startTimeLt === "object" ? object.startTimeLt.low || object.startTimeLt.high : $Number(object.startTimeLt) !== 0)
                    if ($util.Long)
                        message.startTimeLt = $util.Long.fromValue(object.startTimeLt, false);
                    else if (typeof object.startTimeLt === "string")
                        message.startTimeLt = $parseInt(object.startTimeLt, 10);
                    else if (typeof object.startTimeLt === "number")
                        message.startTimeLt = object.startTimeLt;
                    else if (typeof object.startTimeLt === "object")
                        message.startTimeLt = new $util.LongBits(object.startTimeLt.low >>> 0, object.startTimeLt.high >>> 0).toNumber();
            if (object.page != null)
                if (typeof object.page === "object" ? object.page.low || object.page.high : $Number(object.page) !== 0)
                    if ($util.Long)
                        message.page = $util.Long.fromValue(object.page, false);
                    else if (typeof object.page === "string")
                        message.page = $parseInt(object.page, 10);
                    else if (typeof object.page === "number")
                        message.page = object.page;
                    else if (typeof object.page === "object")
                        message.page = new $util.LongBits(object.page.low >>> 0, object.page.high >>> 0).toNumber();
            if (object.pageSize != null)
                if (typeof object.pageSize === "object" ? object.pageSize.low || object.pageSize.high : $Number(object.pageSize) !== 0)
                    if ($util.Long)
                        message.pageSize = $util.Long.fromValue(object.pageSize, false);
                    else if (typeof object.pageSize === "string")
                        message.pageSize = $parseInt(object.pageSize, 10);
                    else if (typeof object.pageSize === "number")
                        message.pageSize = object.pageSize;
                    else if (typeof object.pageSize === "object")
                        message.pageSize = new $util.LongBits(object.pageSize.low >>> 0, object.pageSize.high >>> 0).toNumber();
            if (object.aggregationInterval != null)
                if (typeof object.aggregationInterval === "object" ? object.aggregationInterval.low || object.aggregationInterval.high : $Number(object.aggregationInterval) !== 0)
                    if ($util.Long)
                        message.aggregationInterval = $util.Long.fromValue(object.aggregationInterval, false);
                    else if (typeof object.aggregationInterval === "string")
                        message.aggregationInterval = $parseInt(object.aggregationInterval, 10);
                    else if (typeof object.aggregationInterval === "number")
                        message.aggregationInterval = object.aggregationInterval;
                    else if (typeof object.aggregationInterval === "object")
                        message.aggregationInterval = new $util.LongBits(object.aggregationInterval.low >>> 0, object.aggregationInterval.high >>> 0).toNumber();
            return message;
        };

        /**
         * Creates a plain object from a FlowListRequest message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {goldmane.FlowListRequest} message FlowListRequest
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowListRequest.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.startTimeGte = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.startTimeGte = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.startTimeLt = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.startTimeLt = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.page = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.page = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.pageSize = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.pageSize = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.aggregationInterval = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.aggregationInterval = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
            }
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.startTimeGte = typeof message.startTimeGte === "number" ? $BigInt(message.startTimeGte) : $util.Long.fromBits(message.startTimeGte.low >>> 0, message.startTimeGte.high >>> 0, false).toBigInt();
                else if (typeof message.startTimeGte === "number")
                    object.startTimeGte = options.longs === $String ? $String(message.startTimeGte) : message.startTimeGte;
                else
                    object.startTimeGte = options.longs === $String ? $util.Long.prototype.toString.call(message.startTimeGte) : options.longs === $Number ? new $util.LongBits(message.startTimeGte.low >>> 0, message.startTimeGte.high >>> 0).toNumber() : message.startTimeGte;
            if (message.startTimeLt != null && $Object.hasOwnProperty.call(message, "startTimeLt"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.startTimeLt = typeof message.startTimeLt === "number" ? $BigInt(message.startTimeLt) : $util.Long.fromBits(message.startTimeLt.low >>> 0, message.startTimeLt.high >>> 0, false).toBigInt();
                else if (typeof message.startTimeLt === "number")
                    object.startTimeLt = options.longs === $String ? $String(message.startTimeLt) : message.startTimeLt;
                else
                    object.startTimeLt = options.longs === $String ? $util.Long.prototype.toString.call(message.startTimeLt) : options.longs === $Number ? new $util.LongBits(message.startTimeLt.low >>> 0, message.startTimeLt.high >>> 0).toNumber() : message.startTimeLt;
            if (message.page != null && $Object.hasOwnProperty.call(message, "page"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.page = typeof message.page === "number" ? $BigInt(message.page) : $util.Long.fromBits(message.page.low >>> 0, message.page.high >>> 0, false).toBigInt();
                else if (typeof message.page === "number")
                    object.page = options.longs === $String ? $String(message.page) : message.page;
                else
                    object.page = options.longs === $String ? $util.Long.prototype.toString.call(message.page) : options.longs === $Number ? new $util.LongBits(message.page.low >>> 0, message.page.high >>> 0).toNumber() : message.page;
            if (message.pageSize != null && $Object.hasOwnProperty.call(message, "pageSize"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.pageSize = typeof message.pageSize === "number" ? $BigInt(message.pageSize) : $util.Long.fromBits(message.pageSize.low >>> 0, message.pageSize.high >>> 0, false).toBigInt();
                else if (typeof message.pageSize === "number")
                    object.pageSize = options.longs === $String ? $String(message.pageSize) : message.pageSize;
                else
                    object.pageSize = options.longs === $String ? $util.Long.prototype.toString.call(message.pageSize) : options.longs === $Number ? new $util.LongBits(message.pageSize.low >>> 0, message.pageSize.high >>> 0).toNumber() : message.pageSize;
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.aggregationInterval = typeof message.aggregationInterval === "number" ? $BigInt(message.aggregationInterval) : $util.Long.fromBits(message.aggregationInterval.low >>> 0, message.aggregationInterval.high >>> 0, false).toBigInt();
                else if (typeof message.aggregationInterval === "number")
                    object.aggregationInterval = options.longs === $String ? $String(message.aggregationInterval) : message.aggregationInterval;
                else
                    object.aggregationInterval = options.longs === $String ? $util.Long.prototype.toString.call(message.aggregationInterval) : options.longs === $Number ? new $util.LongBits(message.aggregationInterval.low >>> 0, message.aggregationInterval.high >>> 0).toNumber() : message.aggregationInterval;
            return object;
        };

        /**
         * Converts this FlowListRequest to JSON.
         * @function toJSON
         * @memberof goldmane.FlowListRequest
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowListRequest.prototype.toJSON = function() {
            return FlowListRequest.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowListRequest
         * @function getTypeUrl
         * @memberof goldmane.FlowListRequest
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowListRequest.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowListRequest";
        };

        return FlowListRequest;
    })();

    goldmane.FlowListResult = (function() {

        /**
         * Properties of a FlowListResult.
         * @typedef {Object} goldmane.FlowListResult.$Properties
         * @property {goldmane.ListMetadata.$Properties|null} [meta] FlowListResult meta
         * @property {Array.<goldmane.FlowResult.$Properties>|null} [flows] FlowListResult flows
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowListResult.
         * @memberof goldmane
         * @interface IFlowListResult
         * @augments goldmane.FlowListResult.$Properties
         * @deprecated Use goldmane.FlowListResult.$Properties instead.
         */

        /**
         * Shape of a FlowListResult.
         * @typedef {goldmane.FlowListResult.$Properties} goldmane.FlowListResult.$Shape
         */

        /**
         * Constructs a new FlowListResult.
         * @memberof goldmane
         * @classdesc Represents a FlowListResult.
         * @constructor
         * @param {goldmane.FlowListResult.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowListResult = function (properties) {
            this.flows = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowListResult meta.
         * @member {goldmane.ListMetadata.$Properties|null|undefined} meta
         * @memberof goldmane.FlowListResult
         * @instance
         */
        FlowListResult.prototype.meta = null;

        /**
         * FlowListResult flows.
         * @member {Array.<goldmane.FlowResult.$Properties>} flows
         * @memberof goldmane.FlowListResult
         * @instance
         */
        FlowListResult.prototype.flows = $util.emptyArray;

        /**
         * Creates a new FlowListResult instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowListResult
         * @static
         * @param {goldmane.FlowListResult.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowListResult} FlowListResult instance
         * @type {{
         *   (properties: goldmane.FlowListResult.$Shape): goldmane.FlowListResult & goldmane.FlowListResult.$Shape;
         *   (properties?: goldmane.FlowListResult.$Properties): goldmane.FlowListResult;
         * }}
         */
        FlowListResult.create = function(properties) {
            return new FlowListResult(properties);
        };

        /**
         * Encodes the specified FlowListResult message. Does not implicitly {@link goldmane.FlowListResult.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowListResult
         * @static
         * @param {goldmane.FlowListResult.$Properties} message FlowListResult message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowListResult.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.meta != null && $Object.hasOwnProperty.call(message, "meta"))
                $root.goldmane.ListMetadata.encode(message.meta, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
            if (message.flows != null && message.flows.length)
                for (let i = 0; i < message.flows.length; ++i)
                    $root.goldmane.FlowResult.encode(message.flows[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowListResult message, length delimited. Does not implicitly {@link goldmane.FlowListResult.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowListResult
         * @static
         * @param {goldmane.FlowListResult.$Properties} message FlowListResult message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowListResult.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowListResult message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowListResult
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowListResult & goldmane.FlowListResult.$Shape} FlowListResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowListResult.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowListResult();
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
                        message.meta = $root.goldmane.ListMetadata.decode(reader, reader.size(), $undefined, _depth + 1, message.meta);
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if (!(message.flows && message.flows.length))
                            message.flows = [];
                        message.flows.push($root.goldmane.FlowResult.decode(reader, reader.size(), $undefined, _depth + 1));
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
         * Decodes a FlowListResult message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowListResult
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowListResult & goldmane.FlowListResult.$Shape} FlowListResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowListResult.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowListResult message.
         * @function verify
         * @memberof goldmane.FlowListResult
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowListResult.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.meta != null && $Object.hasOwnProperty.call(message, "meta")) {
                let error = $root.goldmane.ListMetadata.verify(message.meta, _depth + 1);
                if (error)
                    return "meta." + error;
            }
            if (message.flows != null && $Object.hasOwnProperty.call(message, "flows")) {
                if (!$Array.isArray(message.flows))
                    return "flows: array expected";
                for (let i = 0; i < message.flows.length; ++i) {
                    let error = $root.goldmane.FlowResult.verify(message.flows[i], _depth + 1);
                    if (error)
                        return "flows." + error;
                }
            }
            return null;
        };

        /**
         * Creates a FlowListResult message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowListResult
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowListResult} FlowListResult
         */
        FlowListResult.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowListResult)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowListResult: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowListResult();
            if (object.meta != null) {
                if (!$util.isObject(object.meta))
                    throw $TypeError(".goldmane.FlowListResult.meta: object expected");
                message.meta = $root.goldmane.ListMetadata.fromObject(object.meta, _depth + 1);
            }
            if (object.flows) {
                if (!$Array.isArray(object.flows))
                    throw $TypeError(".goldmane.FlowListResult.flows: array expected");
                message.flows = $Array(object.flows.length);
                for (let i = 0; i < object.flows.length; ++i) {
                    if (!$util.isObject(object.flows[i]))
                        throw $TypeError(".goldmane.FlowListResult.flows: object expected");
                    message.flows[i] = $root.goldmane.FlowResult.fromObject(object.flows[i], _depth + 1);
                }
            }
            return message;
        };

        /**
         * Creates a plain object from a FlowListResult message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowListResult
         * @static
         * @param {goldmane.FlowListResult} message FlowListResult
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowListResult.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.arrays || options.defaults)
                object.flows = [];
            if (options.defaults)
                object.meta = null;
            if (message.meta != null && $Object.hasOwnProperty.call(message, "meta"))
                object.meta = $root.goldmane.ListMetadata.toObject(message.meta, options, _depth + 1);
            if (message.flows && message.flows.length) {
                object.flows = $Array(message.flows.length);
                for (let j = 0; j < message.flows.length; ++j)
                    object.flows[j] = $root.goldmane.FlowResult.toObject(message.flows[j], options, _depth + 1);
            }
            return object;
        };

        /**
         * Converts this FlowListResult to JSON.
         * @function toJSON
         * @memberof goldmane.FlowListResult
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowListResult.prototype.toJSON = function() {
            return FlowListResult.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowListResult
         * @function getTypeUrl
         * @memberof goldmane.FlowListResult
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowListResult.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowListResult";
        };

        return FlowListResult;
    })();

    goldmane.ListMetadata = (function() {

        /**
         * Properties of a ListMetadata.
         * @typedef {Object} goldmane.ListMetadata.$Properties
         * @property {number|Long|null} [totalPages] ListMetadata totalPages
         * @property {number|Long|null} [totalResults] ListMetadata totalResults
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a ListMetadata.
         * @memberof goldmane
         * @interface IListMetadata
         * @augments goldmane.ListMetadata.$Properties
         * @deprecated Use goldmane.ListMetadata.$Properties instead.
         */

        /**
         * Shape of a ListMetadata.
         * @typedef {goldmane.ListMetadata.$Properties} goldmane.ListMetadata.$Shape
         */

        /**
         * Constructs a new ListMetadata.
         * @memberof goldmane
         * @classdesc Represents a ListMetadata.
         * @constructor
         * @param {goldmane.ListMetadata.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const ListMetadata = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * ListMetadata totalPages.
         * @member {number|Long} totalPages
         * @memberof goldmane.ListMetadata
         * @instance
         */
        ListMetadata.prototype.totalPages = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * ListMetadata totalResults.
         * @member {number|Long} totalResults
         * @memberof goldmane.ListMetadata
         * @instance
         */
        ListMetadata.prototype.totalResults = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new ListMetadata instance using the specified properties.
         * @function create
         * @memberof goldmane.ListMetadata
         * @static
         * @param {goldmane.ListMetadata.$Properties=} [properties] Properties to set
         * @returns {goldmane.ListMetadata} ListMetadata instance
         * @type {{
         *   (properties: goldmane.ListMetadata.$Shape): goldmane.ListMetadata & goldmane.ListMetadata.$Shape;
         *   (properties?: goldmane.ListMetadata.$Properties): goldmane.ListMetadata;
         * }}
         */
        ListMetadata.create = function(properties) {
            return new ListMetadata(properties);
        };

        /**
         * Encodes the specified ListMetadata message. Does not implicitly {@link goldmane.ListMetadata.verify|verify} messages.
         * @function encode
         * @memberof goldmane.ListMetadata
         * @static
         * @param {goldmane.ListMetadata.$Properties} message ListMetadata message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ListMetadata.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.totalPages != null && $Object.hasOwnProperty.call(message, "totalPages") && (typeof message.totalPages === "object" ? message.totalPages.low || message.totalPages.high : message.totalPages !== 0))
                writer.uint32(/* id 1, wireType 0 =*/8).int64(message.totalPages);
            if (message.totalResults != null && $Object.hasOwnProperty.call(message, "totalResults") && (typeof message.totalResults === "object" ? message.totalResults.low || message.totalResults.high : message.totalResults !== 0))
                writer.uint32(/* id 2, wireType 0 =*/16).int64(message.totalResults);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified ListMetadata message, length delimited. Does not implicitly {@link goldmane.ListMetadata.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.ListMetadata
         * @static
         * @param {goldmane.ListMetadata.$Properties} message ListMetadata message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ListMetadata.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a ListMetadata message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.ListMetadata
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.ListMetadata & goldmane.ListMetadata.$Shape} ListMetadata
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ListMetadata.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.ListMetadata();
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
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.totalPages = value;
                        else
                            delete message.totalPages;
                        continue;
                    }
                case 2: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.totalResults = value;
                        else
                            delete message.totalResults;
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
         * Decodes a ListMetadata message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.ListMetadata
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.ListMetadata & goldmane.ListMetadata.$Shape} ListMetadata
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ListMetadata.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a ListMetadata message.
         * @function verify
         * @memberof goldmane.ListMetadata
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        ListMetadata.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.totalPages != null && $Object.hasOwnProperty.call(message, "totalPages"))
                if (!$util.isInteger(message.totalPages) && !(message.totalPages && $util.isInteger(message.totalPages.low) && $util.isInteger(message.totalPages.high)))
                    return "totalPages: integer|Long expected";
            if (message.totalResults != null && $Object.hasOwnProperty.call(message, "totalResults"))
                if (!$util.isInteger(message.totalResults) && !(message.totalResults && $util.isInteger(message.totalResults.low) && $util.isInteger(message.totalResults.high)))
                    return "totalResults: integer|Long expected";
            return null;
        };

        /**
         * Creates a ListMetadata message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.ListMetadata
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.ListMetadata} ListMetadata
         */
        ListMetadata.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.ListMetadata)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.ListMetadata: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.ListMetadata();
            if (object.totalPages != null)
                if (typeof object.totalPages === "object" ? object.totalPages.low || object.totalPages.high : $Number(object.totalPages) !== 0)
                    if ($util.Long)
                        message.totalPages = $util.Long.fromValue(object.totalPages, false);
                    else if (typeof object.totalPages === "string")
                        message.totalPages = $parseInt(object.totalPages, 10);
                    else if (typeof object.totalPages === "number")
                        message.totalPages = object.totalPages;
                    else if (typeof object.totalPages === "object")
                        message.totalPages = new $util.LongBits(object.totalPages.low >>> 0, object.totalPages.high >>> 0).toNumber();
            if (object.totalResults != null)
                if (typeof object.totalResults === "object" ? object.totalResults.low || object.totalResults.high : $Number(object.totalResults) !== 0)
                    if ($util.Long)
                        message.totalResults = $util.Long.fromValue(object.totalResults, false);
                    else if (typeof object.totalResults === "string")
                        message.totalResults = $parseInt(object.totalResults, 10);
                    else if (typeof object.totalResults === "number")
                        message.totalResults = object.totalResults;
                    else if (typeof object.totalResults === "object")
                        message.totalResults = new $util.LongBits(object.totalResults.low >>> 0, object.totalResults.high >>> 0).toNumber();
            return message;
        };

        /**
         * Creates a plain object from a ListMetadata message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.ListMetadata
         * @static
         * @param {goldmane.ListMetadata} message ListMetadata
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        ListMetadata.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.totalPages = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.totalPages = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.totalResults = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.totalResults = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
            }
            if (message.totalPages != null && $Object.hasOwnProperty.call(message, "totalPages"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.totalPages = typeof message.totalPages === "number" ? $BigInt(message.totalPages) : $util.Long.fromBits(message.totalPages.low >>> 0, message.totalPages.high >>> 0, false).toBigInt();
                else if (typeof message.totalPages === "number")
                    object.totalPages = options.longs === $String ? $String(message.totalPages) : message.totalPages;
                else
                    object.totalPages = options.longs === $String ? $util.Long.prototype.toString.call(message.totalPages) : options.longs === $Number ? new $util.LongBits(message.totalPages.low >>> 0, message.totalPages.high >>> 0).toNumber() : message.totalPages;
            if (message.totalResults != null && $Object.hasOwnProperty.call(message, "totalResults"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.totalResults = typeof message.totalResults === "number" ? $BigInt(message.totalResults) : $util.Long.fromBits(message.totalResults.low >>> 0, message.totalResults.high >>> 0, false).toBigInt();
                else if (typeof message.totalResults === "number")
                    object.totalResults = options.longs === $String ? $String(message.totalResults) : message.totalResults;
                else
                    object.totalResults = options.longs === $String ? $util.Long.prototype.toString.call(message.totalResults) : options.longs === $Number ? new $util.LongBits(message.totalResults.low >>> 0, message.totalResults.high >>> 0).toNumber() : message.totalResults;
            return object;
        };

        /**
         * Converts this ListMetadata to JSON.
         * @function toJSON
         * @memberof goldmane.ListMetadata
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        ListMetadata.prototype.toJSON = function() {
            return ListMetadata.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for ListMetadata
         * @function getTypeUrl
         * @memberof goldmane.ListMetadata
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        ListMetadata.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.ListMetadata";
        };

        return ListMetadata;
    })();

    goldmane.FlowStreamRequest = (function() {

        /**
         * Properties of a FlowStreamRequest.
         * @typedef {Object} goldmane.FlowStreamRequest.$Properties
         * @property {number|Long|null} [startTimeGte] FlowStreamRequest startTimeGte
         * @property {number|Long|null} [aggregationInterval] FlowStreamRequest aggregationInterval
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowStreamRequest.
         * @memberof goldmane
         * @interface IFlowStreamRequest
         * @augments goldmane.FlowStreamRequest.$Properties
         * @deprecated Use goldmane.FlowStreamRequest.$Properties instead.
         */

        /**
         * Shape of a FlowStreamRequest.
         * @typedef {goldmane.FlowStreamRequest.$Properties} goldmane.FlowStreamRequest.$Shape
         */

        /**
         * Constructs a new FlowStreamRequest.
         * @memberof goldmane
         * @classdesc Represents a FlowStreamRequest.
         * @constructor
         * @param {goldmane.FlowStreamRequest.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowStreamRequest = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowStreamRequest startTimeGte.
         * @member {number|Long} startTimeGte
         * @memberof goldmane.FlowStreamRequest
         * @instance
         */
        FlowStreamRequest.prototype.startTimeGte = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowStreamRequest aggregationInterval.
         * @member {number|Long} aggregationInterval
         * @memberof goldmane.FlowStreamRequest
         * @instance
         */
        FlowStreamRequest.prototype.aggregationInterval = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new FlowStreamRequest instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {goldmane.FlowStreamRequest.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowStreamRequest} FlowStreamRequest instance
         * @type {{
         *   (properties: goldmane.FlowStreamRequest.$Shape): goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape;
         *   (properties?: goldmane.FlowStreamRequest.$Properties): goldmane.FlowStreamRequest;
         * }}
         */
        FlowStreamRequest.create = function(properties) {
            return new FlowStreamRequest(properties);
        };

        /**
         * Encodes the specified FlowStreamRequest message. Does not implicitly {@link goldmane.FlowStreamRequest.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {goldmane.FlowStreamRequest.$Properties} message FlowStreamRequest message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowStreamRequest.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte") && (typeof message.startTimeGte === "object" ? message.startTimeGte.low || message.startTimeGte.high : message.startTimeGte !== 0))
                writer.uint32(/* id 1, wireType 0 =*/8).int64(message.startTimeGte);
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval") && (typeof message.aggregationInterval === "object" ? message.aggregationInterval.low || message.aggregationInterval.high : message.aggregationInterval !== 0))
                writer.uint32(/* id 3, wireType 0 =*/24).int64(message.aggregationInterval);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowStreamRequest message, length delimited. Does not implicitly {@link goldmane.FlowStreamRequest.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {goldmane.FlowStreamRequest.$Properties} message FlowStreamRequest message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowStreamRequest.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowStreamRequest message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape} FlowStreamRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowStreamRequest.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowStreamRequest();
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
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.startTimeGte = value;
                        else
                            delete message.startTimeGte;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.aggregationInterval = value;
                        else
                            delete message.aggregationInterval;
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
         * Decodes a FlowStreamRequest message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape} FlowStreamRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowStreamRequest.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowStreamRequest message.
         * @function verify
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowStreamRequest.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte"))
                if (!$util.isInteger(message.startTimeGte) && !(message.startTimeGte && $util.isInteger(message.startTimeGte.low) && $util.isInteger(message.startTimeGte.high)))
                    return "startTimeGte: integer|Long expected";
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval"))
                if (!$util.isInteger(message.aggregationInterval) && !(message.aggregationInterval && $util.isInteger(message.aggregationInterval.low) && $util.isInteger(message.aggregationInterval.high)))
                    return "aggregationInterval: integer|Long expected";
            return null;
        };

        /**
         * Creates a FlowStreamRequest message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowStreamRequest} FlowStreamRequest
         */
        FlowStreamRequest.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowStreamRequest)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowStreamRequest: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowStreamRequest();
            if (object.startTimeGte != null)
                if (typeof object.startTimeGte === "object" ? object.startTimeGte.low || object.startTimeGte.high : $Number(object.startTimeGte) !== 0)
                    if ($util.Long)
                        message.startTimeGte = $util.Long.fromValue(object.startTimeGte, false);
                    else if (typeof object.startTimeGte === "string")
                        message.startTimeGte = $parseInt(object.startTimeGte, 10);
                    else if (typeof object.startTimeGte === "number")
                        message.startTimeGte = object.startTimeGte;
                    else if (typeof object.startTimeGte === "object")
                        message.startTimeGte = new $util.LongBits(object.startTimeGte.low >>> 0, object.startTimeGte.high >>> 0).toNumber();
            if (object.aggregationInterval != null)
                if (typeof object.aggregationInterval === "object" ? object.aggregationInterval.low || object.aggregationInterval.high : $Number(object.aggregationInterval) !== 0)
                    if ($util.Long)
                        message.aggregationInterval = $util.Long.fromValue(object.aggregationInterval, false);
                    else if (typeof object.aggregationInterval === "string")
                        message.aggregationInterval = $parseInt(object.aggregationInterval, 10);
                    else if (typeof object.aggregationInterval === "number")
                        message.aggregationInterval = object.aggregationInterval;
                    else if (typeof object.aggregationInterval === "object")
                        message.aggregationInterval = new $util.LongBits(object.aggregationInterval.low >>> 0, object.aggregationInterval.high >>> 0).toNumber();
            return message;
        };

        /**
         * Creates a plain object from a FlowStreamRequest message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {goldmane.FlowStreamRequest} message FlowStreamRequest
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowStreamRequest.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.startTimeGte = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.startTimeGte = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.aggregationInterval = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.aggregationInterval = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
            }
            if (message.startTimeGte != null && $Object.hasOwnProperty.call(message, "startTimeGte"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.startTimeGte = typeof message.startTimeGte === "number" ? $BigInt(message.startTimeGte) : $util.Long.fromBits(message.startTimeGte.low >>> 0, message.startTimeGte.high >>> 0, false).toBigInt();
                else if (typeof message.startTimeGte === "number")
                    object.startTimeGte = options.longs === $String ? $String(message.startTimeGte) : message.startTimeGte;
                else
                    object.startTimeGte = options.longs === $String ? $util.Long.prototype.toString.call(message.startTimeGte) : options.longs === $Number ? new $util.LongBits(message.startTimeGte.low >>> 0, message.startTimeGte.high >>> 0).toNumber() : message.startTimeGte;
            if (message.aggregationInterval != null && $Object.hasOwnProperty.call(message, "aggregationInterval"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.aggregationInterval = typeof message.aggregationInterval === "number" ? $BigInt(message.aggregationInterval) : $util.Long.fromBits(message.aggregationInterval.low >>> 0, message.aggregationInterval.high >>> 0, false).toBigInt();
                else if (typeof message.aggregationInterval === "number")
                    object.aggregationInterval = options.longs === $String ? $String(message.aggregationInterval) : message.aggregationInterval;
                else
                    object.aggregationInterval = options.longs === $String ? $util.Long.prototype.toString.call(message.aggregationInterval) : options.longs === $Number ? new $util.LongBits(message.aggregationInterval.low >>> 0, message.aggregationInterval.high >>> 0).toNumber() : message.aggregationInterval;
            return object;
        };

        /**
         * Converts this FlowStreamRequest to JSON.
         * @function toJSON
         * @memberof goldmane.FlowStreamRequest
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowStreamRequest.prototype.toJSON = function() {
            return FlowStreamRequest.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowStreamRequest
         * @function getTypeUrl
         * @memberof goldmane.FlowStreamRequest
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowStreamRequest.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowStreamRequest";
        };

        return FlowStreamRequest;
    })();

    goldmane.FlowResult = (function() {

        /**
         * Properties of a FlowResult.
         * @typedef {Object} goldmane.FlowResult.$Properties
         * @property {number|Long|null} [id] FlowResult id
         * @property {goldmane.Flow.$Properties|null} [flow] FlowResult flow
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowResult.
         * @memberof goldmane
         * @interface IFlowResult
         * @augments goldmane.FlowResult.$Properties
         * @deprecated Use goldmane.FlowResult.$Properties instead.
         */

        /**
         * Shape of a FlowResult.
         * @typedef {goldmane.FlowResult.$Properties} goldmane.FlowResult.$Shape
         */

        /**
         * Constructs a new FlowResult.
         * @memberof goldmane
         * @classdesc `id` is Goldmane's per-process handle of a flow key: not stable across its restarts.
         * @constructor
         * @param {goldmane.FlowResult.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowResult = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowResult id.
         * @member {number|Long} id
         * @memberof goldmane.FlowResult
         * @instance
         */
        FlowResult.prototype.id = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowResult flow.
         * @member {goldmane.Flow.$Properties|null|undefined} flow
         * @memberof goldmane.FlowResult
         * @instance
         */
        FlowResult.prototype.flow = null;

        /**
         * Creates a new FlowResult instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowResult
         * @static
         * @param {goldmane.FlowResult.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowResult} FlowResult instance
         * @type {{
         *   (properties: goldmane.FlowResult.$Shape): goldmane.FlowResult & goldmane.FlowResult.$Shape;
         *   (properties?: goldmane.FlowResult.$Properties): goldmane.FlowResult;
         * }}
         */
        FlowResult.create = function(properties) {
            return new FlowResult(properties);
        };

        /**
         * Encodes the specified FlowResult message. Does not implicitly {@link goldmane.FlowResult.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowResult
         * @static
         * @param {goldmane.FlowResult.$Properties} message FlowResult message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowResult.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.id != null && $Object.hasOwnProperty.call(message, "id") && (typeof message.id === "object" ? message.id.low || message.id.high : message.id !== 0))
                writer.uint32(/* id 1, wireType 0 =*/8).int64(message.id);
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow"))
                $root.goldmane.Flow.encode(message.flow, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowResult message, length delimited. Does not implicitly {@link goldmane.FlowResult.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowResult
         * @static
         * @param {goldmane.FlowResult.$Properties} message FlowResult message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowResult.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowResult message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowResult
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowResult & goldmane.FlowResult.$Shape} FlowResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowResult.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowResult();
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
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.id = value;
                        else
                            delete message.id;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        message.flow = $root.goldmane.Flow.decode(reader, reader.size(), $undefined, _depth + 1, message.flow);
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
         * Decodes a FlowResult message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowResult
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowResult & goldmane.FlowResult.$Shape} FlowResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowResult.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowResult message.
         * @function verify
         * @memberof goldmane.FlowResult
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowResult.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                if (!$util.isInteger(message.id) && !(message.id && $util.isInteger(message.id.low) && $util.isInteger(message.id.high)))
                    return "id: integer|Long expected";
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow")) {
                let error = $root.goldmane.Flow.verify(message.flow, _depth + 1);
                if (error)
                    return "flow." + error;
            }
            return null;
        };

        /**
         * Creates a FlowResult message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowResult
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowResult} FlowResult
         */
        FlowResult.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowResult)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowResult: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowResult();
            if (object.id != null)
                if (typeof object.id === "object" ? object.id.low || object.id.high : $Number(object.id) !== 0)
                    if ($util.Long)
                        message.id = $util.Long.fromValue(object.id, false);
                    else if (typeof object.id === "string")
                        message.id = $parseInt(object.id, 10);
                    else if (typeof object.id === "number")
                        message.id = object.id;
                    else if (typeof object.id === "object")
                        message.id = new $util.LongBits(object.id.low >>> 0, object.id.high >>> 0).toNumber();
            if (object.flow != null) {
                if (!$util.isObject(object.flow))
                    throw $TypeError(".goldmane.FlowResult.flow: object expected");
                message.flow = $root.goldmane.Flow.fromObject(object.flow, _depth + 1);
            }
            return message;
        };

        /**
         * Creates a plain object from a FlowResult message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowResult
         * @static
         * @param {goldmane.FlowResult} message FlowResult
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowResult.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.id = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.id = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                object.flow = null;
            }
            if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.id = typeof message.id === "number" ? $BigInt(message.id) : $util.Long.fromBits(message.id.low >>> 0, message.id.high >>> 0, false).toBigInt();
                else if (typeof message.id === "number")
                    object.id = options.longs === $String ? $String(message.id) : message.id;
                else
                    object.id = options.longs === $String ? $util.Long.prototype.toString.call(message.id) : options.longs === $Number ? new $util.LongBits(message.id.low >>> 0, message.id.high >>> 0).toNumber() : message.id;
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow"))
                object.flow = $root.goldmane.Flow.toObject(message.flow, options, _depth + 1);
            return object;
        };

        /**
         * Converts this FlowResult to JSON.
         * @function toJSON
         * @memberof goldmane.FlowResult
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowResult.prototype.toJSON = function() {
            return FlowResult.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowResult
         * @function getTypeUrl
         * @memberof goldmane.FlowResult
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowResult.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowResult";
        };

        return FlowResult;
    })();

    goldmane.FlowReceipt = (function() {

        /**
         * Properties of a FlowReceipt.
         * @typedef {Object} goldmane.FlowReceipt.$Properties
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowReceipt.
         * @memberof goldmane
         * @interface IFlowReceipt
         * @augments goldmane.FlowReceipt.$Properties
         * @deprecated Use goldmane.FlowReceipt.$Properties instead.
         */

        /**
         * Shape of a FlowReceipt.
         * @typedef {goldmane.FlowReceipt.$Properties} goldmane.FlowReceipt.$Shape
         */

        /**
         * Constructs a new FlowReceipt.
         * @memberof goldmane
         * @classdesc Represents a FlowReceipt.
         * @constructor
         * @param {goldmane.FlowReceipt.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowReceipt = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * Creates a new FlowReceipt instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {goldmane.FlowReceipt.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowReceipt} FlowReceipt instance
         * @type {{
         *   (properties: goldmane.FlowReceipt.$Shape): goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape;
         *   (properties?: goldmane.FlowReceipt.$Properties): goldmane.FlowReceipt;
         * }}
         */
        FlowReceipt.create = function(properties) {
            return new FlowReceipt(properties);
        };

        /**
         * Encodes the specified FlowReceipt message. Does not implicitly {@link goldmane.FlowReceipt.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {goldmane.FlowReceipt.$Properties} message FlowReceipt message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowReceipt.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowReceipt message, length delimited. Does not implicitly {@link goldmane.FlowReceipt.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {goldmane.FlowReceipt.$Properties} message FlowReceipt message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowReceipt.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowReceipt message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape} FlowReceipt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowReceipt.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowReceipt();
            while (reader.pos < end) {
                let start = reader.pos;
                let tag = reader.tag();
                if (tag === _end) {
                    _end = $undefined;
                    break;
                }
                reader.skipType(tag & 7, _depth, tag);
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
         * Decodes a FlowReceipt message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape} FlowReceipt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowReceipt.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowReceipt message.
         * @function verify
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowReceipt.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            return null;
        };

        /**
         * Creates a FlowReceipt message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowReceipt} FlowReceipt
         */
        FlowReceipt.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowReceipt)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowReceipt: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            return new $root.goldmane.FlowReceipt();
        };

        /**
         * Creates a plain object from a FlowReceipt message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {goldmane.FlowReceipt} message FlowReceipt
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowReceipt.toObject = function () {
            return {};
        };

        /**
         * Converts this FlowReceipt to JSON.
         * @function toJSON
         * @memberof goldmane.FlowReceipt
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowReceipt.prototype.toJSON = function() {
            return FlowReceipt.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowReceipt
         * @function getTypeUrl
         * @memberof goldmane.FlowReceipt
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowReceipt.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowReceipt";
        };

        return FlowReceipt;
    })();

    goldmane.FlowUpdate = (function() {

        /**
         * Properties of a FlowUpdate.
         * @typedef {Object} goldmane.FlowUpdate.$Properties
         * @property {goldmane.Flow.$Properties|null} [flow] FlowUpdate flow
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowUpdate.
         * @memberof goldmane
         * @interface IFlowUpdate
         * @augments goldmane.FlowUpdate.$Properties
         * @deprecated Use goldmane.FlowUpdate.$Properties instead.
         */

        /**
         * Shape of a FlowUpdate.
         * @typedef {goldmane.FlowUpdate.$Properties} goldmane.FlowUpdate.$Shape
         */

        /**
         * Constructs a new FlowUpdate.
         * @memberof goldmane
         * @classdesc Represents a FlowUpdate.
         * @constructor
         * @param {goldmane.FlowUpdate.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowUpdate = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowUpdate flow.
         * @member {goldmane.Flow.$Properties|null|undefined} flow
         * @memberof goldmane.FlowUpdate
         * @instance
         */
        FlowUpdate.prototype.flow = null;

        /**
         * Creates a new FlowUpdate instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {goldmane.FlowUpdate.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowUpdate} FlowUpdate instance
         * @type {{
         *   (properties: goldmane.FlowUpdate.$Shape): goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape;
         *   (properties?: goldmane.FlowUpdate.$Properties): goldmane.FlowUpdate;
         * }}
         */
        FlowUpdate.create = function(properties) {
            return new FlowUpdate(properties);
        };

        /**
         * Encodes the specified FlowUpdate message. Does not implicitly {@link goldmane.FlowUpdate.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {goldmane.FlowUpdate.$Properties} message FlowUpdate message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowUpdate.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow"))
                $root.goldmane.Flow.encode(message.flow, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowUpdate message, length delimited. Does not implicitly {@link goldmane.FlowUpdate.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {goldmane.FlowUpdate.$Properties} message FlowUpdate message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowUpdate.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowUpdate message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape} FlowUpdate
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowUpdate.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowUpdate();
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
                        message.flow = $root.goldmane.Flow.decode(reader, reader.size(), $undefined, _depth + 1, message.flow);
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
         * Decodes a FlowUpdate message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape} FlowUpdate
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowUpdate.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowUpdate message.
         * @function verify
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowUpdate.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow")) {
                let error = $root.goldmane.Flow.verify(message.flow, _depth + 1);
                if (error)
                    return "flow." + error;
            }
            return null;
        };

        /**
         * Creates a FlowUpdate message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowUpdate} FlowUpdate
         */
        FlowUpdate.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowUpdate)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowUpdate: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowUpdate();
            if (object.flow != null) {
                if (!$util.isObject(object.flow))
                    throw $TypeError(".goldmane.FlowUpdate.flow: object expected");
                message.flow = $root.goldmane.Flow.fromObject(object.flow, _depth + 1);
            }
            return message;
        };

        /**
         * Creates a plain object from a FlowUpdate message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {goldmane.FlowUpdate} message FlowUpdate
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowUpdate.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults)
                object.flow = null;
            if (message.flow != null && $Object.hasOwnProperty.call(message, "flow"))
                object.flow = $root.goldmane.Flow.toObject(message.flow, options, _depth + 1);
            return object;
        };

        /**
         * Converts this FlowUpdate to JSON.
         * @function toJSON
         * @memberof goldmane.FlowUpdate
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowUpdate.prototype.toJSON = function() {
            return FlowUpdate.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowUpdate
         * @function getTypeUrl
         * @memberof goldmane.FlowUpdate
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowUpdate.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowUpdate";
        };

        return FlowUpdate;
    })();

    /**
     * Action enum.
     * @name goldmane.Action
     * @enum {number}
     * @property {number} ActionUnspecified=0 ActionUnspecified value
     * @property {number} Allow=1 Allow value
     * @property {number} Deny=2 Deny value
     * @property {number} Pass=3 Pass value
     */
    goldmane.Action = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "ActionUnspecified"] = 0;
        values[valuesById[1] = "Allow"] = 1;
        values[valuesById[2] = "Deny"] = 2;
        values[valuesById[3] = "Pass"] = 3;
        return values;
    })();

    /**
     * PolicyKind enum.
     * @name goldmane.PolicyKind
     * @enum {number}
     * @property {number} KindUnspecified=0 KindUnspecified value
     * @property {number} CalicoNetworkPolicy=1 CalicoNetworkPolicy value
     * @property {number} GlobalNetworkPolicy=2 GlobalNetworkPolicy value
     * @property {number} StagedNetworkPolicy=3 StagedNetworkPolicy value
     * @property {number} StagedGlobalNetworkPolicy=4 StagedGlobalNetworkPolicy value
     * @property {number} StagedKubernetesNetworkPolicy=5 StagedKubernetesNetworkPolicy value
     * @property {number} NetworkPolicy=6 NetworkPolicy value
     * @property {number} ClusterNetworkPolicyAdminTier=7 ClusterNetworkPolicyAdminTier value
     * @property {number} ClusterNetworkPolicyBaselineTier=8 ClusterNetworkPolicyBaselineTier value
     * @property {number} Profile=9 Profile value
     * @property {number} EndOfTier=10 EndOfTier value
     */
    goldmane.PolicyKind = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "KindUnspecified"] = 0;
        values[valuesById[1] = "CalicoNetworkPolicy"] = 1;
        values[valuesById[2] = "GlobalNetworkPolicy"] = 2;
        values[valuesById[3] = "StagedNetworkPolicy"] = 3;
        values[valuesById[4] = "StagedGlobalNetworkPolicy"] = 4;
        values[valuesById[5] = "StagedKubernetesNetworkPolicy"] = 5;
        values[valuesById[6] = "NetworkPolicy"] = 6;
        values[valuesById[7] = "ClusterNetworkPolicyAdminTier"] = 7;
        values[valuesById[8] = "ClusterNetworkPolicyBaselineTier"] = 8;
        values[valuesById[9] = "Profile"] = 9;
        values[valuesById[10] = "EndOfTier"] = 10;
        return values;
    })();

    /**
     * EndpointType enum.
     * @name goldmane.EndpointType
     * @enum {number}
     * @property {number} EndpointTypeUnspecified=0 EndpointTypeUnspecified value
     * @property {number} WorkloadEndpoint=1 WorkloadEndpoint value
     * @property {number} HostEndpoint=2 HostEndpoint value
     * @property {number} NetworkSet=3 NetworkSet value
     * @property {number} Network=4 Network value
     */
    goldmane.EndpointType = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "EndpointTypeUnspecified"] = 0;
        values[valuesById[1] = "WorkloadEndpoint"] = 1;
        values[valuesById[2] = "HostEndpoint"] = 2;
        values[valuesById[3] = "NetworkSet"] = 3;
        values[valuesById[4] = "Network"] = 4;
        return values;
    })();

    /**
     * Reporter enum.
     * @name goldmane.Reporter
     * @enum {number}
     * @property {number} ReporterUnspecified=0 ReporterUnspecified value
     * @property {number} Src=1 Src value
     * @property {number} Dst=2 Dst value
     */
    goldmane.Reporter = (function() {
        const valuesById = $Object.create(null), values = $Object.create(valuesById);
        values[valuesById[0] = "ReporterUnspecified"] = 0;
        values[valuesById[1] = "Src"] = 1;
        values[valuesById[2] = "Dst"] = 2;
        return values;
    })();

    goldmane.FlowKey = (function() {

        /**
         * Properties of a FlowKey.
         * @typedef {Object} goldmane.FlowKey.$Properties
         * @property {string|null} [sourceName] FlowKey sourceName
         * @property {string|null} [sourceNamespace] FlowKey sourceNamespace
         * @property {goldmane.EndpointType|null} [sourceType] FlowKey sourceType
         * @property {string|null} [destName] FlowKey destName
         * @property {string|null} [destNamespace] FlowKey destNamespace
         * @property {goldmane.EndpointType|null} [destType] FlowKey destType
         * @property {number|Long|null} [destPort] FlowKey destPort
         * @property {string|null} [destServiceName] FlowKey destServiceName
         * @property {string|null} [destServiceNamespace] FlowKey destServiceNamespace
         * @property {string|null} [destServicePortName] FlowKey destServicePortName
         * @property {number|Long|null} [destServicePort] FlowKey destServicePort
         * @property {string|null} [proto] FlowKey proto
         * @property {goldmane.Reporter|null} [reporter] FlowKey reporter
         * @property {goldmane.Action|null} [action] FlowKey action
         * @property {goldmane.PolicyTrace.$Properties|null} [policies] FlowKey policies
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a FlowKey.
         * @memberof goldmane
         * @interface IFlowKey
         * @augments goldmane.FlowKey.$Properties
         * @deprecated Use goldmane.FlowKey.$Properties instead.
         */

        /**
         * Shape of a FlowKey.
         * @typedef {goldmane.FlowKey.$Properties} goldmane.FlowKey.$Shape
         */

        /**
         * Constructs a new FlowKey.
         * @memberof goldmane
         * @classdesc Represents a FlowKey.
         * @constructor
         * @param {goldmane.FlowKey.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const FlowKey = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * FlowKey sourceName.
         * @member {string} sourceName
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.sourceName = "";

        /**
         * FlowKey sourceNamespace.
         * @member {string} sourceNamespace
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.sourceNamespace = "";

        /**
         * FlowKey sourceType.
         * @member {goldmane.EndpointType} sourceType
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.sourceType = 0;

        /**
         * FlowKey destName.
         * @member {string} destName
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destName = "";

        /**
         * FlowKey destNamespace.
         * @member {string} destNamespace
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destNamespace = "";

        /**
         * FlowKey destType.
         * @member {goldmane.EndpointType} destType
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destType = 0;

        /**
         * FlowKey destPort.
         * @member {number|Long} destPort
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destPort = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowKey destServiceName.
         * @member {string} destServiceName
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destServiceName = "";

        /**
         * FlowKey destServiceNamespace.
         * @member {string} destServiceNamespace
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destServiceNamespace = "";

        /**
         * FlowKey destServicePortName.
         * @member {string} destServicePortName
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destServicePortName = "";

        /**
         * FlowKey destServicePort.
         * @member {number|Long} destServicePort
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.destServicePort = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * FlowKey proto.
         * @member {string} proto
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.proto = "";

        /**
         * FlowKey reporter.
         * @member {goldmane.Reporter} reporter
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.reporter = 0;

        /**
         * FlowKey action.
         * @member {goldmane.Action} action
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.action = 0;

        /**
         * FlowKey policies.
         * @member {goldmane.PolicyTrace.$Properties|null|undefined} policies
         * @memberof goldmane.FlowKey
         * @instance
         */
        FlowKey.prototype.policies = null;

        /**
         * Creates a new FlowKey instance using the specified properties.
         * @function create
         * @memberof goldmane.FlowKey
         * @static
         * @param {goldmane.FlowKey.$Properties=} [properties] Properties to set
         * @returns {goldmane.FlowKey} FlowKey instance
         * @type {{
         *   (properties: goldmane.FlowKey.$Shape): goldmane.FlowKey & goldmane.FlowKey.$Shape;
         *   (properties?: goldmane.FlowKey.$Properties): goldmane.FlowKey;
         * }}
         */
        FlowKey.create = function(properties) {
            return new FlowKey(properties);
        };

        /**
         * Encodes the specified FlowKey message. Does not implicitly {@link goldmane.FlowKey.verify|verify} messages.
         * @function encode
         * @memberof goldmane.FlowKey
         * @static
         * @param {goldmane.FlowKey.$Properties} message FlowKey message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowKey.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName") && message.sourceName !== "")
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.sourceName);
            if (message.sourceNamespace != null && $Object.hasOwnProperty.call(message, "sourceNamespace") && message.sourceNamespace !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.sourceNamespace);
            if (message.sourceType != null && $Object.hasOwnProperty.call(message, "sourceType") && message.sourceType !== 0)
                writer.uint32(/* id 3, wireType 0 =*/24).int32(message.sourceType);
            if (message.destName != null && $Object.hasOwnProperty.call(message, "destName") && message.destName !== "")
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.destName);
            if (message.destNamespace != null && $Object.hasOwnProperty.call(message, "destNamespace") && message.destNamespace !== "")
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.destNamespace);
            if (message.destType != null && $Object.hasOwnProperty.call(message, "destType") && message.destType !== 0)
                writer.uint32(/* id 6, wireType 0 =*/48).int32(message.destType);
            if (message.destPort != null && $Object.hasOwnProperty.call(message, "destPort") && (typeof message.destPort === "object" ? message.destPort.low || message.destPort.high : message.destPort !== 0))
                writer.uint32(/* id 7, wireType 0 =*/56).int64(message.destPort);
            if (message.destServiceName != null && $Object.hasOwnProperty.call(message, "destServiceName") && message.destServiceName !== "")
                writer.uint32(/* id 8, wireType 2 =*/66).string(message.destServiceName);
            if (message.destServiceNamespace != null && $Object.hasOwnProperty.call(message, "destServiceNamespace") && message.destServiceNamespace !== "")
                writer.uint32(/* id 9, wireType 2 =*/74).string(message.destServiceNamespace);
            if (message.destServicePortName != null && $Object.hasOwnProperty.call(message, "destServicePortName") && message.destServicePortName !== "")
                writer.uint32(/* id 10, wireType 2 =*/82).string(message.destServicePortName);
            if (message.destServicePort != null && $Object.hasOwnProperty.call(message, "destServicePort") && (typeof message.destServicePort === "object" ? message.destServicePort.low || message.destServicePort.high : message.destServicePort !== 0))
                writer.uint32(/* id 11, wireType 0 =*/88).int64(message.destServicePort);
            if (message.proto != null && $Object.hasOwnProperty.call(message, "proto") && message.proto !== "")
                writer.uint32(/* id 12, wireType 2 =*/98).string(message.proto);
            if (message.reporter != null && $Object.hasOwnProperty.call(message, "reporter") && message.reporter !== 0)
                writer.uint32(/* id 13, wireType 0 =*/104).int32(message.reporter);
            if (message.action != null && $Object.hasOwnProperty.call(message, "action") && message.action !== 0)
                writer.uint32(/* id 14, wireType 0 =*/112).int32(message.action);
            if (message.policies != null && $Object.hasOwnProperty.call(message, "policies"))
                $root.goldmane.PolicyTrace.encode(message.policies, writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified FlowKey message, length delimited. Does not implicitly {@link goldmane.FlowKey.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.FlowKey
         * @static
         * @param {goldmane.FlowKey.$Properties} message FlowKey message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        FlowKey.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a FlowKey message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.FlowKey
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.FlowKey & goldmane.FlowKey.$Shape} FlowKey
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowKey.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.FlowKey();
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
                            message.sourceNamespace = value;
                        else
                            delete message.sourceNamespace;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.sourceType = value;
                        else
                            delete message.sourceType;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.destName = value;
                        else
                            delete message.destName;
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.destNamespace = value;
                        else
                            delete message.destNamespace;
                        continue;
                    }
                case 6: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.destType = value;
                        else
                            delete message.destType;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.destPort = value;
                        else
                            delete message.destPort;
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.destServiceName = value;
                        else
                            delete message.destServiceName;
                        continue;
                    }
                case 9: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.destServiceNamespace = value;
                        else
                            delete message.destServiceNamespace;
                        continue;
                    }
                case 10: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.destServicePortName = value;
                        else
                            delete message.destServicePortName;
                        continue;
                    }
                case 11: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.destServicePort = value;
                        else
                            delete message.destServicePort;
                        continue;
                    }
                case 12: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.proto = value;
                        else
                            delete message.proto;
                        continue;
                    }
                case 13: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.reporter = value;
                        else
                            delete message.reporter;
                        continue;
                    }
                case 14: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.action = value;
                        else
                            delete message.action;
                        continue;
                    }
                case 15: {
                        if (wireType !== 2)
                            break;
                        message.policies = $root.goldmane.PolicyTrace.decode(reader, reader.size(), $undefined, _depth + 1, message.policies);
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
         * Decodes a FlowKey message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.FlowKey
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.FlowKey & goldmane.FlowKey.$Shape} FlowKey
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        FlowKey.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a FlowKey message.
         * @function verify
         * @memberof goldmane.FlowKey
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        FlowKey.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName"))
                if (!$util.isString(message.sourceName))
                    return "sourceName: string expected";
            if (message.sourceNamespace != null && $Object.hasOwnProperty.call(message, "sourceNamespace"))
                if (!$util.isString(message.sourceNamespace))
                    return "sourceNamespace: string expected";
            if (message.sourceType != null && $Object.hasOwnProperty.call(message, "sourceType"))
                if (typeof message.sourceType !== "number" || (message.sourceType | 0) !== message.sourceType)
                    return "sourceType: enum value expected";
            if (message.destName != null && $Object.hasOwnProperty.call(message, "destName"))
                if (!$util.isString(message.destName))
                    return "destName: string expected";
            if (message.destNamespace != null && $Object.hasOwnProperty.call(message, "destNamespace"))
                if (!$util.isString(message.destNamespace))
                    return "destNamespace: string expected";
            if (message.destType != null && $Object.hasOwnProperty.call(message, "destType"))
                if (typeof message.destType !== "number" || (message.destType | 0) !== message.destType)
                    return "destType: enum value expected";
            if (message.destPort != null && $Object.hasOwnProperty.call(message, "destPort"))
                if (!$util.isInteger(message.destPort) && !(message.destPort && $util.isInteger(message.destPort.low) && $util.isInteger(message.destPort.high)))
                    return "destPort: integer|Long expected";
            if (message.destServiceName != null && $Object.hasOwnProperty.call(message, "destServiceName"))
                if (!$util.isString(message.destServiceName))
                    return "destServiceName: string expected";
            if (message.destServiceNamespace != null && $Object.hasOwnProperty.call(message, "destServiceNamespace"))
                if (!$util.isString(message.destServiceNamespace))
                    return "destServiceNamespace: string expected";
            if (message.destServicePortName != null && $Object.hasOwnProperty.call(message, "destServicePortName"))
                if (!$util.isString(message.destServicePortName))
                    return "destServicePortName: string expected";
            if (message.destServicePort != null && $Object.hasOwnProperty.call(message, "destServicePort"))
                if (!$util.isInteger(message.destServicePort) && !(message.destServicePort && $util.isInteger(message.destServicePort.low) && $util.isInteger(message.destServicePort.high)))
                    return "destServicePort: integer|Long expected";
            if (message.proto != null && $Object.hasOwnProperty.call(message, "proto"))
                if (!$util.isString(message.proto))
                    return "proto: string expected";
            if (message.reporter != null && $Object.hasOwnProperty.call(message, "reporter"))
                if (typeof message.reporter !== "number" || (message.reporter | 0) !== message.reporter)
                    return "reporter: enum value expected";
            if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                if (typeof message.action !== "number" || (message.action | 0) !== message.action)
                    return "action: enum value expected";
            if (message.policies != null && $Object.hasOwnProperty.call(message, "policies")) {
                let error = $root.goldmane.PolicyTrace.verify(message.policies, _depth + 1);
                if (error)
                    return "policies." + error;
            }
            return null;
        };

        /**
         * Creates a FlowKey message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.FlowKey
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.FlowKey} FlowKey
         */
        FlowKey.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.FlowKey)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.FlowKey: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.FlowKey();
            if (object.sourceName != null)
                if (typeof object.sourceName !== "string" || object.sourceName.length)
                    message.sourceName = $String(object.sourceName);
            if (object.sourceNamespace != null)
                if (typeof object.sourceNamespace !== "string" || object.sourceNamespace.length)
                    message.sourceNamespace = $String(object.sourceNamespace);
            if (object.sourceType !== 0 && (typeof object.sourceType !== "string" || $root.goldmane.EndpointType[object.sourceType] !== 0))
                switch (object.sourceType) {
                case "EndpointTypeUnspecified":
                case 0:
                    message.sourceType = 0;
                    break;
                case "WorkloadEndpoint":
                case 1:
                    message.sourceType = 1;
                    break;
                case "HostEndpoint":
                case 2:
                    message.sourceType = 2;
                    break;
                case "NetworkSet":
                case 3:
                    message.sourceType = 3;
                    break;
                case "Network":
                case 4:
                    message.sourceType = 4;
                    break;
                default:
                    if (typeof object.sourceType === "number" && (object.sourceType | 0) === object.sourceType)
                        message.sourceType = object.sourceType;
                }
            if (object.destName != null)
                if (typeof object.destName !== "string" || object.destName.length)
                    message.destName = $String(object.destName);
            if (object.destNamespace != null)
                if (typeof object.destNamespace !== "string" || object.destNamespace.length)
                    message.destNamespace = $String(object.destNamespace);
            if (object.destType !== 0 && (typeof object.destType !== "string" || $root.goldmane.EndpointType[object.destType] !== 0))
                switch (object.destType) {
                case "EndpointTypeUnspecified":
                case 0:
                    message.destType = 0;
                    break;
                case "WorkloadEndpoint":
                case 1:
                    message.destType = 1;
                    break;
                case "HostEndpoint":
                case 2:
                    message.destType = 2;
                    break;
                case "NetworkSet":
                case 3:
                    message.destType = 3;
                    break;
                case "Network":
                case 4:
                    message.destType = 4;
                    break;
                default:
                    if (typeof object.destType === "number" && (object.destType | 0) === object.destType)
                        message.destType = object.destType;
                }
            if (object.destPort != null)
                if (typeof object.destPort === "object" ? object.destPort.low || object.destPort.high : $Number(object.destPort) !== 0)
                    if ($util.Long)
                        message.destPort = $util.Long.fromValue(object.destPort, false);
                    else if (typeof object.destPort === "string")
                        message.destPort = $parseInt(object.destPort, 10);
                    else if (typeof object.destPort === "number")
                        message.destPort = object.destPort;
                    else if (typeof object.destPort === "object")
                        message.destPort = new $util.LongBits(object.destPort.low >>> 0, object.destPort.high >>> 0).toNumber();
            if (object.destServiceName != null)
                if (typeof object.destServiceName !== "string" || object.destServiceName.length)
                    message.destServiceName = $String(object.destServiceName);
            if (object.destServiceNamespace != null)
                if (typeof object.destServiceNamespace !== "string" || object.destServiceNamespace.length)
                    message.destServiceNamespace = $String(object.destServiceNamespace);
            if (object.destServicePortName != null)
                if (typeof object.destServicePortName !== "string" || object.destServicePortName.length)
                    message.destServicePortName = $String(object.destServicePortName);
            if (object.destServicePort != null)
                if (typeof object.destServicePort === "object" ? object.destServicePort.low || object.destServicePort.high : $Number(object.destServicePort) !== 0)
                    if ($util.Long)
                        message.destServicePort = $util.Long.fromValue(object.destServicePort, false);
                    else if (typeof object.destServicePort === "string")
                        message.destServicePort = $parseInt(object.destServicePort, 10);
                    else if (typeof object.destServicePort === "number")
                        message.destServicePort = object.destServicePort;
                    else if (typeof object.destServicePort === "object")
                        message.destServicePort = new $util.LongBits(object.destServicePort.low >>> 0, object.destServicePort.high >>> 0).toNumber();
            if (object.proto != null)
                if (typeof object.proto !== "string" || object.proto.length)
                    message.proto = $String(object.proto);
            if (object.reporter !== 0 && (typeof object.reporter !== "string" || $root.goldmane.Reporter[object.reporter] !== 0))
                switch (object.reporter) {
                case "ReporterUnspecified":
                case 0:
                    message.reporter = 0;
                    break;
                case "Src":
                case 1:
                    message.reporter = 1;
                    break;
                case "Dst":
                case 2:
                    message.reporter = 2;
                    break;
                default:
                    if (typeof object.reporter === "number" && (object.reporter | 0) === object.reporter)
                        message.reporter = object.reporter;
                }
            if (object.action !== 0 && (typeof object.action !== "string" || $root.goldmane.Action[object.action] !== 0))
                switch (object.action) {
                case "ActionUnspecified":
                case 0:
                    message.action = 0;
                    break;
                case "Allow":
                case 1:
                    message.action = 1;
                    break;
                case "Deny":
                case 2:
                    message.action = 2;
                    break;
                case "Pass":
                case 3:
                    message.action = 3;
                    break;
                default:
                    if (typeof object.action === "number" && (object.action | 0) === object.action)
                        message.action = object.action;
                }
            if (object.policies != null) {
                if (!$util.isObject(object.policies))
                    throw $TypeError(".goldmane.FlowKey.policies: object expected");
                message.policies = $root.goldmane.PolicyTrace.fromObject(object.policies, _depth + 1);
            }
            return message;
        };

        /**
         * Creates a plain object from a FlowKey message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.FlowKey
         * @static
         * @param {goldmane.FlowKey} message FlowKey
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        FlowKey.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.sourceName = "";
                object.sourceNamespace = "";
                object.sourceType = options.enums === $String ? "EndpointTypeUnspecified" : 0;
                object.destName = "";
                object.destNamespace = "";
                object.destType = options.enums === $String ? "EndpointTypeUnspecified" : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.destPort = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.destPort = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                object.destServiceName = "";
                object.destServiceNamespace = "";
                object.destServicePortName = "";
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.destServicePort = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.destServicePort = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                object.proto = "";
                object.reporter = options.enums === $String ? "ReporterUnspecified" : 0;
                object.action = options.enums === $String ? "ActionUnspecified" : 0;
                object.policies = null;
            }
            if (message.sourceName != null && $Object.hasOwnProperty.call(message, "sourceName"))
                object.sourceName = message.sourceName;
            if (message.sourceNamespace != null && $Object.hasOwnProperty.call(message, "sourceNamespace"))
                object.sourceNamespace = message.sourceNamespace;
            if (message.sourceType != null && $Object.hasOwnProperty.call(message, "sourceType"))
                object.sourceType = options.enums === $String ? $root.goldmane.EndpointType[message.sourceType] === $undefined ? message.sourceType : $root.goldmane.EndpointType[message.sourceType] : message.sourceType;
            if (message.destName != null && $Object.hasOwnProperty.call(message, "destName"))
                object.destName = message.destName;
            if (message.destNamespace != null && $Object.hasOwnProperty.call(message, "destNamespace"))
                object.destNamespace = message.destNamespace;
            if (message.destType != null && $Object.hasOwnProperty.call(message, "destType"))
                object.destType = options.enums === $String ? $root.goldmane.EndpointType[message.destType] === $undefined ? message.destType : $root.goldmane.EndpointType[message.destType] : message.destType;
            if (message.destPort != null && $Object.hasOwnProperty.call(message, "destPort"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.destPort = typeof message.destPort === "number" ? $BigInt(message.destPort) : $util.Long.fromBits(message.destPort.low >>> 0, message.destPort.high >>> 0, false).toBigInt();
                else if (typeof message.destPort === "number")
                    object.destPort = options.longs === $String ? $String(message.destPort) : message.destPort;
                else
                    object.destPort = options.longs === $String ? $util.Long.prototype.toString.call(message.destPort) : options.longs === $Number ? new $util.LongBits(message.destPort.low >>> 0, message.destPort.high >>> 0).toNumber() : message.destPort;
            if (message.destServiceName != null && $Object.hasOwnProperty.call(message, "destServiceName"))
                object.destServiceName = message.destServiceName;
            if (message.destServiceNamespace != null && $Object.hasOwnProperty.call(message, "destServiceNamespace"))
                object.destServiceNamespace = message.destServiceNamespace;
            if (message.destServicePortName != null && $Object.hasOwnProperty.call(message, "destServicePortName"))
                object.destServicePortName = message.destServicePortName;
            if (message.destServicePort != null && $Object.hasOwnProperty.call(message, "destServicePort"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.destServicePort = typeof message.destServicePort === "number" ? $BigInt(message.destServicePort) : $util.Long.fromBits(message.destServicePort.low >>> 0, message.destServicePort.high >>> 0, false).toBigInt();
                else if (typeof message.destServicePort === "number")
                    object.destServicePort = options.longs === $String ? $String(message.destServicePort) : message.destServicePort;
                else
                    object.destServicePort = options.longs === $String ? $util.Long.prototype.toString.call(message.destServicePort) : options.longs === $Number ? new $util.LongBits(message.destServicePort.low >>> 0, message.destServicePort.high >>> 0).toNumber() : message.destServicePort;
            if (message.proto != null && $Object.hasOwnProperty.call(message, "proto"))
                object.proto = message.proto;
            if (message.reporter != null && $Object.hasOwnProperty.call(message, "reporter"))
                object.reporter = options.enums === $String ? $root.goldmane.Reporter[message.reporter] === $undefined ? message.reporter : $root.goldmane.Reporter[message.reporter] : message.reporter;
            if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                object.action = options.enums === $String ? $root.goldmane.Action[message.action] === $undefined ? message.action : $root.goldmane.Action[message.action] : message.action;
            if (message.policies != null && $Object.hasOwnProperty.call(message, "policies"))
                object.policies = $root.goldmane.PolicyTrace.toObject(message.policies, options, _depth + 1);
            return object;
        };

        /**
         * Converts this FlowKey to JSON.
         * @function toJSON
         * @memberof goldmane.FlowKey
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        FlowKey.prototype.toJSON = function() {
            return FlowKey.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for FlowKey
         * @function getTypeUrl
         * @memberof goldmane.FlowKey
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        FlowKey.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.FlowKey";
        };

        return FlowKey;
    })();

    goldmane.Flow = (function() {

        /**
         * Properties of a Flow.
         * @typedef {Object} goldmane.Flow.$Properties
         * @property {goldmane.FlowKey.$Properties|null} [Key] Flow Key
         * @property {number|Long|null} [startTime] Flow startTime
         * @property {number|Long|null} [endTime] Flow endTime
         * @property {Array.<string>|null} [sourceLabels] Flow sourceLabels
         * @property {Array.<string>|null} [destLabels] Flow destLabels
         * @property {number|Long|null} [packetsIn] Flow packetsIn
         * @property {number|Long|null} [packetsOut] Flow packetsOut
         * @property {number|Long|null} [bytesIn] Flow bytesIn
         * @property {number|Long|null} [bytesOut] Flow bytesOut
         * @property {number|Long|null} [numConnectionsStarted] Flow numConnectionsStarted
         * @property {number|Long|null} [numConnectionsCompleted] Flow numConnectionsCompleted
         * @property {number|Long|null} [numConnectionsLive] Flow numConnectionsLive
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a Flow.
         * @memberof goldmane
         * @interface IFlow
         * @augments goldmane.Flow.$Properties
         * @deprecated Use goldmane.Flow.$Properties instead.
         */

        /**
         * Shape of a Flow.
         * @typedef {goldmane.Flow.$Properties} goldmane.Flow.$Shape
         */

        /**
         * Constructs a new Flow.
         * @memberof goldmane
         * @classdesc The key field is named `Key` in Calico's definition; its JSON/loader name keeps the capital.
         * @constructor
         * @param {goldmane.Flow.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const Flow = function (properties) {
            this.sourceLabels = [];
            this.destLabels = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * Flow Key.
         * @member {goldmane.FlowKey.$Properties|null|undefined} Key
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.Key = null;

        /**
         * Flow startTime.
         * @member {number|Long} startTime
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.startTime = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow endTime.
         * @member {number|Long} endTime
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.endTime = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow sourceLabels.
         * @member {Array.<string>} sourceLabels
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.sourceLabels = $util.emptyArray;

        /**
         * Flow destLabels.
         * @member {Array.<string>} destLabels
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.destLabels = $util.emptyArray;

        /**
         * Flow packetsIn.
         * @member {number|Long} packetsIn
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.packetsIn = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow packetsOut.
         * @member {number|Long} packetsOut
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.packetsOut = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow bytesIn.
         * @member {number|Long} bytesIn
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.bytesIn = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow bytesOut.
         * @member {number|Long} bytesOut
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.bytesOut = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow numConnectionsStarted.
         * @member {number|Long} numConnectionsStarted
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.numConnectionsStarted = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow numConnectionsCompleted.
         * @member {number|Long} numConnectionsCompleted
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.numConnectionsCompleted = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Flow numConnectionsLive.
         * @member {number|Long} numConnectionsLive
         * @memberof goldmane.Flow
         * @instance
         */
        Flow.prototype.numConnectionsLive = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Creates a new Flow instance using the specified properties.
         * @function create
         * @memberof goldmane.Flow
         * @static
         * @param {goldmane.Flow.$Properties=} [properties] Properties to set
         * @returns {goldmane.Flow} Flow instance
         * @type {{
         *   (properties: goldmane.Flow.$Shape): goldmane.Flow & goldmane.Flow.$Shape;
         *   (properties?: goldmane.Flow.$Properties): goldmane.Flow;
         * }}
         */
        Flow.create = function(properties) {
            return new Flow(properties);
        };

        /**
         * Encodes the specified Flow message. Does not implicitly {@link goldmane.Flow.verify|verify} messages.
         * @function encode
         * @memberof goldmane.Flow
         * @static
         * @param {goldmane.Flow.$Properties} message Flow message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Flow.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.Key != null && $Object.hasOwnProperty.call(message, "Key"))
                $root.goldmane.FlowKey.encode(message.Key, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
            if (message.startTime != null && $Object.hasOwnProperty.call(message, "startTime") && (typeof message.startTime === "object" ? message.startTime.low || message.startTime.high : message.startTime !== 0))
                writer.uint32(/* id 2, wireType 0 =*/16).int64(message.startTime);
            if (message.endTime != null && $Object.hasOwnProperty.call(message, "endTime") && (typeof message.endTime === "object" ? message.endTime.low || message.endTime.high : message.endTime !== 0))
                writer.uint32(/* id 3, wireType 0 =*/24).int64(message.endTime);
            if (message.sourceLabels != null && message.sourceLabels.length)
                for (let i = 0; i < message.sourceLabels.length; ++i)
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.sourceLabels[i]);
            if (message.destLabels != null && message.destLabels.length)
                for (let i = 0; i < message.destLabels.length; ++i)
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.destLabels[i]);
            if (message.packetsIn != null && $Object.hasOwnProperty.call(message, "packetsIn") && (typeof message.packetsIn === "object" ? message.packetsIn.low || message.packetsIn.high : message.packetsIn !== 0))
                writer.uint32(/* id 6, wireType 0 =*/48).int64(message.packetsIn);
            if (message.packetsOut != null && $Object.hasOwnProperty.call(message, "packetsOut") && (typeof message.packetsOut === "object" ? message.packetsOut.low || message.packetsOut.high : message.packetsOut !== 0))
                writer.uint32(/* id 7, wireType 0 =*/56).int64(message.packetsOut);
            if (message.bytesIn != null && $Object.hasOwnProperty.call(message, "bytesIn") && (typeof message.bytesIn === "object" ? message.bytesIn.low || message.bytesIn.high : message.bytesIn !== 0))
                writer.uint32(/* id 8, wireType 0 =*/64).int64(message.bytesIn);
            if (message.bytesOut != null && $Object.hasOwnProperty.call(message, "bytesOut") && (typeof message.bytesOut === "object" ? message.bytesOut.low || message.bytesOut.high : message.bytesOut !== 0))
                writer.uint32(/* id 9, wireType 0 =*/72).int64(message.bytesOut);
            if (message.numConnectionsStarted != null && $Object.hasOwnProperty.call(message, "numConnectionsStarted") && (typeof message.numConnectionsStarted === "object" ? message.numConnectionsStarted.low || message.numConnectionsStarted.high : message.numConnectionsStarted !== 0))
                writer.uint32(/* id 10, wireType 0 =*/80).int64(message.numConnectionsStarted);
            if (message.numConnectionsCompleted != null && $Object.hasOwnProperty.call(message, "numConnectionsCompleted") && (typeof message.numConnectionsCompleted === "object" ? message.numConnectionsCompleted.low || message.numConnectionsCompleted.high : message.numConnectionsCompleted !== 0))
                writer.uint32(/* id 11, wireType 0 =*/88).int64(message.numConnectionsCompleted);
            if (message.numConnectionsLive != null && $Object.hasOwnProperty.call(message, "numConnectionsLive") && (typeof message.numConnectionsLive === "object" ? message.numConnectionsLive.low || message.numConnectionsLive.high : message.numConnectionsLive !== 0))
                writer.uint32(/* id 12, wireType 0 =*/96).int64(message.numConnectionsLive);
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified Flow message, length delimited. Does not implicitly {@link goldmane.Flow.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.Flow
         * @static
         * @param {goldmane.Flow.$Properties} message Flow message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Flow.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a Flow message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.Flow
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.Flow & goldmane.Flow.$Shape} Flow
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Flow.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.Flow();
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
                        message.Key = $root.goldmane.FlowKey.decode(reader, reader.size(), $undefined, _depth + 1, message.Key);
                        continue;
                    }
                case 2: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.startTime = value;
                        else
                            delete message.startTime;
                        continue;
                    }
                case 3: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.endTime = value;
                        else
                            delete message.endTime;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        if (!(message.sourceLabels && message.sourceLabels.length))
                            message.sourceLabels = [];
                        message.sourceLabels.push(reader.stringVerify());
                        continue;
                    }
                case 5: {
                        if (wireType !== 2)
                            break;
                        if (!(message.destLabels && message.destLabels.length))
                            message.destLabels = [];
                        message.destLabels.push(reader.stringVerify());
                        continue;
                    }
                case 6: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.packetsIn = value;
                        else
                            delete message.packetsIn;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.packetsOut = value;
                        else
                            delete message.packetsOut;
                        continue;
                    }
                case 8: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.bytesIn = value;
                        else
                            delete message.bytesIn;
                        continue;
                    }
                case 9: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.bytesOut = value;
                        else
                            delete message.bytesOut;
                        continue;
                    }
                case 10: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.numConnectionsStarted = value;
                        else
                            delete message.numConnectionsStarted;
                        continue;
                    }
                case 11: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.numConnectionsCompleted = value;
                        else
                            delete message.numConnectionsCompleted;
                        continue;
                    }
                case 12: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.numConnectionsLive = value;
                        else
                            delete message.numConnectionsLive;
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
         * Decodes a Flow message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.Flow
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.Flow & goldmane.Flow.$Shape} Flow
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Flow.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a Flow message.
         * @function verify
         * @memberof goldmane.Flow
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        Flow.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.Key != null && $Object.hasOwnProperty.call(message, "Key")) {
                let error = $root.goldmane.FlowKey.verify(message.Key, _depth + 1);
                if (error)
                    return "Key." + error;
            }
            if (message.startTime != null && $Object.hasOwnProperty.call(message, "startTime"))
                if (!$util.isInteger(message.startTime) && !(message.startTime && $util.isInteger(message.startTime.low) && $util.isInteger(message.startTime.high)))
                    return "startTime: integer|Long expected";
            if (message.endTime != null && $Object.hasOwnProperty.call(message, "endTime"))
                if (!$util.isInteger(message.endTime) && !(message.endTime && $util.isInteger(message.endTime.low) && $util.isInteger(message.endTime.high)))
                    return "endTime: integer|Long expected";
            if (message.sourceLabels != null && $Object.hasOwnProperty.call(message, "sourceLabels")) {
                if (!$Array.isArray(message.sourceLabels))
                    return "sourceLabels: array expected";
                for (let i = 0; i < message.sourceLabels.length; ++i)
                    if (!$util.isString(message.sourceLabels[i]))
                        return "sourceLabels: string[] expected";
            }
            if (message.destLabels != null && $Object.hasOwnProperty.call(message, "destLabels")) {
                if (!$Array.isArray(message.destLabels))
                    return "destLabels: array expected";
                for (let i = 0; i < message.destLabels.length; ++i)
                    if (!$util.isString(message.destLabels[i]))
                        return "destLabels: string[] expected";
            }
            if (message.packetsIn != null && $Object.hasOwnProperty.call(message, "packetsIn"))
                if (!$util.isInteger(message.packetsIn) && !(message.packetsIn && $util.isInteger(message.packetsIn.low) && $util.isInteger(message.packetsIn.high)))
                    return "packetsIn: integer|Long expected";
            if (message.packetsOut != null && $Object.hasOwnProperty.call(message, "packetsOut"))
                if (!$util.isInteger(message.packetsOut) && !(message.packetsOut && $util.isInteger(message.packetsOut.low) && $util.isInteger(message.packetsOut.high)))
                    return "packetsOut: integer|Long expected";
            if (message.bytesIn != null && $Object.hasOwnProperty.call(message, "bytesIn"))
                if (!$util.isInteger(message.bytesIn) && !(message.bytesIn && $util.isInteger(message.bytesIn.low) && $util.isInteger(message.bytesIn.high)))
                    return "bytesIn: integer|Long expected";
            if (message.bytesOut != null && $Object.hasOwnProperty.call(message, "bytesOut"))
                if (!$util.isInteger(message.bytesOut) && !(message.bytesOut && $util.isInteger(message.bytesOut.low) && $util.isInteger(message.bytesOut.high)))
                    return "bytesOut: integer|Long expected";
            if (message.numConnectionsStarted != null && $Object.hasOwnProperty.call(message, "numConnectionsStarted"))
                if (!$util.isInteger(message.numConnectionsStarted) && !(message.numConnectionsStarted && $util.isInteger(message.numConnectionsStarted.low) && $util.isInteger(message.numConnectionsStarted.high)))
                    return "numConnectionsStarted: integer|Long expected";
            if (message.numConnectionsCompleted != null && $Object.hasOwnProperty.call(message, "numConnectionsCompleted"))
                if (!$util.isInteger(message.numConnectionsCompleted) && !(message.numConnectionsCompleted && $util.isInteger(message.numConnectionsCompleted.low) && $util.isInteger(message.numConnectionsCompleted.high)))
                    return "numConnectionsCompleted: integer|Long expected";
            if (message.numConnectionsLive != null && $Object.hasOwnProperty.call(message, "numConnectionsLive"))
                if (!$util.isInteger(message.numConnectionsLive) && !(message.numConnectionsLive && $util.isInteger(message.numConnectionsLive.low) && $util.isInteger(message.numConnectionsLive.high)))
                    return "numConnectionsLive: integer|Long expected";
            return null;
        };

        /**
         * Creates a Flow message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.Flow
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.Flow} Flow
         */
        Flow.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.Flow)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.Flow: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.Flow();
            if (object.Key != null) {
                if (!$util.isObject(object.Key))
                    throw $TypeError(".goldmane.Flow.Key: object expected");
                message.Key = $root.goldmane.FlowKey.fromObject(object.Key, _depth + 1);
            }
            if (object.startTime != null)
                if (typeof object.startTime === "object" ? object.startTime.low || object.startTime.high : $Number(object.startTime) !== 0)
                    if ($util.Long)
                        message.startTime = $util.Long.fromValue(object.startTime, false);
                    else if (typeof object.startTime === "string")
                        message.startTime = $parseInt(object.startTime, 10);
                    else if (typeof object.startTime === "number")
                        message.startTime = object.startTime;
                    else if (typeof object.startTime === "object")
                        message.startTime = new $util.LongBits(object.startTime.low >>> 0, object.startTime.high >>> 0).toNumber();
            if (object.endTime != null)
                if (typeof object.endTime === "object" ? object.endTime.low || object.endTime.high : $Number(object.endTime) !== 0)
                    if ($util.Long)
                        message.endTime = $util.Long.fromValue(object.endTime, false);
                    else if (typeof object.endTime === "string")
                        message.endTime = $parseInt(object.endTime, 10);
                    else if (typeof object.endTime === "number")
                        message.endTime = object.endTime;
                    else if (typeof object.endTime === "object")
                        message.endTime = new $util.LongBits(object.endTime.low >>> 0, object.endTime.high >>> 0).toNumber();
            if (object.sourceLabels) {
                if (!$Array.isArray(object.sourceLabels))
                    throw $TypeError(".goldmane.Flow.sourceLabels: array expected");
                message.sourceLabels = $Array(object.sourceLabels.length);
                for (let i = 0; i < object.sourceLabels.length; ++i)
                    message.sourceLabels[i] = $String(object.sourceLabels[i]);
            }
            if (object.destLabels) {
                if (!$Array.isArray(object.destLabels))
                    throw $TypeError(".goldmane.Flow.destLabels: array expected");
                message.destLabels = $Array(object.destLabels.length);
                for (let i = 0; i < object.destLabels.length; ++i)
                    message.destLabels[i] = $String(object.destLabels[i]);
            }
            if (object.packetsIn != null)
                if (typeof object.packetsIn === "object" ? object.packetsIn.low || object.packetsIn.high : $Number(object.packetsIn) !== 0)
                    if ($util.Long)
                        message.packetsIn = $util.Long.fromValue(object.packetsIn, false);
                    else if (typeof object.packetsIn === "string")
                        message.packetsIn = $parseInt(object.packetsIn, 10);
                    else if (typeof object.packetsIn === "number")
                        message.packetsIn = object.packetsIn;
                    else if (typeof object.packetsIn === "object")
                        message.packetsIn = new $util.LongBits(object.packetsIn.low >>> 0, object.packetsIn.high >>> 0).toNumber();
            if (object.packetsOut != null)
                if (typeof object.packetsOut === "object" ? object.packetsOut.low || object.packetsOut.high : $Number(object.packetsOut) !== 0)
                    if ($util.Long)
                        message.packetsOut = $util.Long.fromValue(object.packetsOut, false);
                    else if (typeof object.packetsOut === "string")
                        message.packetsOut = $parseInt(object.packetsOut, 10);
                    else if (typeof object.packetsOut === "number")
                        message.packetsOut = object.packetsOut;
                    else if (typeof object.packetsOut === "object")
                        message.packetsOut = new $util.LongBits(object.packetsOut.low >>> 0, object.packetsOut.high >>> 0).toNumber();
            if (object.bytesIn != null)
                if (typeof object.bytesIn === "object" ? object.bytesIn.low || object.bytesIn.high : $Number(object.bytesIn) !== 0)
                    if ($util.Long)
                        message.bytesIn = $util.Long.fromValue(object.bytesIn, false);
                    else if (typeof object.bytesIn === "string")
                        message.bytesIn = $parseInt(object.bytesIn, 10);
                    else if (typeof object.bytesIn === "number")
                        message.bytesIn = object.bytesIn;
                    else if (typeof object.bytesIn === "object")
                        message.bytesIn = new $util.LongBits(object.bytesIn.low >>> 0, object.bytesIn.high >>> 0).toNumber();
            if (object.bytesOut != null)
                if (typeof object.bytesOut === "object" ? object.bytesOut.low || object.bytesOut.high : $Number(object.bytesOut) !== 0)
                    if ($util.Long)
                        message.bytesOut = $util.Long.fromValue(object.bytesOut, false);
                    else if (typeof object.bytesOut === "string")
                        message.bytesOut = $parseInt(object.bytesOut, 10);
                    else if (typeof object.bytesOut === "number")
                        message.bytesOut = object.bytesOut;
                    else if (typeof object.bytesOut === "object")
                        message.bytesOut = new $util.LongBits(object.bytesOut.low >>> 0, object.bytesOut.high >>> 0).toNumber();
            if (object.numConnectionsStarted != null)
                if (typeof object.numConnectionsStarted === "object" ? object.numConnectionsStarted.low || object.numConnectionsStarted.high : $Number(object.numConnectionsStarted) !== 0)
                    if ($util.Long)
                        message.numConnectionsStarted = $util.Long.fromValue(object.numConnectionsStarted, false);
                    else if (typeof object.numConnectionsStarted === "string")
                        message.numConnectionsStarted = $parseInt(object.numConnectionsStarted, 10);
                    else if (typeof object.numConnectionsStarted === "number")
                        message.numConnectionsStarted = object.numConnectionsStarted;
                    else if (typeof object.numConnectionsStarted === "object")
                        message.numConnectionsStarted = new $util.LongBits(object.numConnectionsStarted.low >>> 0, object.numConnectionsStarted.high >>> 0).toNumber();
            if (object.numConnectionsCompleted != null)
                if (typeof object.numConnectionsCompleted === "object" ? object.numConnectionsCompleted.low || object.numConnectionsCompleted.high : $Number(object.numConnectionsCompleted) !== 0)
                    if ($util.Long)
                        message.numConnectionsCompleted = $util.Long.fromValue(object.numConnectionsCompleted, false);
                    else if (typeof object.numConnectionsCompleted === "string")
                        message.numConnectionsCompleted = $parseInt(object.numConnectionsCompleted, 10);
                    else if (typeof object.numConnectionsCompleted === "number")
                        message.numConnectionsCompleted = object.numConnectionsCompleted;
                    else if (typeof object.numConnectionsCompleted === "object")
                        message.numConnectionsCompleted = new $util.LongBits(object.numConnectionsCompleted.low >>> 0, object.numConnectionsCompleted.high >>> 0).toNumber();
            if (object.numConnectionsLive != null)
                if (typeof object.numConnectionsLive === "object" ? object.numConnectionsLive.low || object.numConnectionsLive.high : $Number(object.numConnectionsLive) !== 0)
                    if ($util.Long)
                        message.numConnectionsLive = $util.Long.fromValue(object.numConnectionsLive, false);
                    else if (typeof object.numConnectionsLive === "string")
                        message.numConnectionsLive = $parseInt(object.numConnectionsLive, 10);
                    else if (typeof object.numConnectionsLive === "number")
                        message.numConnectionsLive = object.numConnectionsLive;
                    else if (typeof object.numConnectionsLive === "object")
                        message.numConnectionsLive = new $util.LongBits(object.numConnectionsLive.low >>> 0, object.numConnectionsLive.high >>> 0).toNumber();
            return message;
        };

        /**
         * Creates a plain object from a Flow message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.Flow
         * @static
         * @param {goldmane.Flow} message Flow
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        Flow.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.arrays || options.defaults) {
                object.sourceLabels = [];
                object.destLabels = [];
            }
            if (options.defaults) {
                object.Key = null;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.startTime = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.startTime = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.endTime = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.endTime = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.packetsIn = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.packetsIn = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.packetsOut = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.packetsOut = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.bytesIn = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.bytesIn = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.bytesOut = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.bytesOut = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.numConnectionsStarted = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.numConnectionsStarted = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.numConnectionsCompleted = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.numConnectionsCompleted = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.numConnectionsLive = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.numConnectionsLive = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
            }
            if (message.Key != null && $Object.hasOwnProperty.call(message, "Key"))
                object.Key = $root.goldmane.FlowKey.toObject(message.Key, options, _depth + 1);
            if (message.startTime != null && $Object.hasOwnProperty.call(message, "startTime"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.startTime = typeof message.startTime === "number" ? $BigInt(message.startTime) : $util.Long.fromBits(message.startTime.low >>> 0, message.startTime.high >>> 0, false).toBigInt();
                else if (typeof message.startTime === "number")
                    object.startTime = options.longs === $String ? $String(message.startTime) : message.startTime;
                else
                    object.startTime = options.longs === $String ? $util.Long.prototype.toString.call(message.startTime) : options.longs === $Number ? new $util.LongBits(message.startTime.low >>> 0, message.startTime.high >>> 0).toNumber() : message.startTime;
            if (message.endTime != null && $Object.hasOwnProperty.call(message, "endTime"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.endTime = typeof message.endTime === "number" ? $BigInt(message.endTime) : $util.Long.fromBits(message.endTime.low >>> 0, message.endTime.high >>> 0, false).toBigInt();
                else if (typeof message.endTime === "number")
                    object.endTime = options.longs === $String ? $String(message.endTime) : message.endTime;
                else
                    object.endTime = options.longs === $String ? $util.Long.prototype.toString.call(message.endTime) : options.longs === $Number ? new $util.LongBits(message.endTime.low >>> 0, message.endTime.high >>> 0).toNumber() : message.endTime;
            if (message.sourceLabels && message.sourceLabels.length) {
                object.sourceLabels = $Array(message.sourceLabels.length);
                for (let j = 0; j < message.sourceLabels.length; ++j)
                    object.sourceLabels[j] = message.sourceLabels[j];
            }
            if (message.destLabels && message.destLabels.length) {
                object.destLabels = $Array(message.destLabels.length);
                for (let j = 0; j < message.destLabels.length; ++j)
                    object.destLabels[j] = message.destLabels[j];
            }
            if (message.packetsIn != null && $Object.hasOwnProperty.call(message, "packetsIn"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.packetsIn = typeof message.packetsIn === "number" ? $BigInt(message.packetsIn) : $util.Long.fromBits(message.packetsIn.low >>> 0, message.packetsIn.high >>> 0, false).toBigInt();
                else if (typeof message.packetsIn === "number")
                    object.packetsIn = options.longs === $String ? $String(message.packetsIn) : message.packetsIn;
                else
                    object.packetsIn = options.longs === $String ? $util.Long.prototype.toString.call(message.packetsIn) : options.longs === $Number ? new $util.LongBits(message.packetsIn.low >>> 0, message.packetsIn.high >>> 0).toNumber() : message.packetsIn;
            if (message.packetsOut != null && $Object.hasOwnProperty.call(message, "packetsOut"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.packetsOut = typeof message.packetsOut === "number" ? $BigInt(message.packetsOut) : $util.Long.fromBits(message.packetsOut.low >>> 0, message.packetsOut.high >>> 0, false).toBigInt();
                else if (typeof message.packetsOut === "number")
                    object.packetsOut = options.longs === $String ? $String(message.packetsOut) : message.packetsOut;
                else
                    object.packetsOut = options.longs === $String ? $util.Long.prototype.toString.call(message.packetsOut) : options.longs === $Number ? new $util.LongBits(message.packetsOut.low >>> 0, message.packetsOut.high >>> 0).toNumber() : message.packetsOut;
            if (message.bytesIn != null && $Object.hasOwnProperty.call(message, "bytesIn"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.bytesIn = typeof message.bytesIn === "number" ? $BigInt(message.bytesIn) : $util.Long.fromBits(message.bytesIn.low >>> 0, message.bytesIn.high >>> 0, false).toBigInt();
                else if (typeof message.bytesIn === "number")
                    object.bytesIn = options.longs === $String ? $String(message.bytesIn) : message.bytesIn;
                else
                    object.bytesIn = options.longs === $String ? $util.Long.prototype.toString.call(message.bytesIn) : options.longs === $Number ? new $util.LongBits(message.bytesIn.low >>> 0, message.bytesIn.high >>> 0).toNumber() : message.bytesIn;
            if (message.bytesOut != null && $Object.hasOwnProperty.call(message, "bytesOut"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.bytesOut = typeof message.bytesOut === "number" ? $BigInt(message.bytesOut) : $util.Long.fromBits(message.bytesOut.low >>> 0, message.bytesOut.high >>> 0, false).toBigInt();
                else if (typeof message.bytesOut === "number")
                    object.bytesOut = options.longs === $String ? $String(message.bytesOut) : message.bytesOut;
                else
                    object.bytesOut = options.longs === $String ? $util.Long.prototype.toString.call(message.bytesOut) : options.longs === $Number ? new $util.LongBits(message.bytesOut.low >>> 0, message.bytesOut.high >>> 0).toNumber() : message.bytesOut;
            if (message.numConnectionsStarted != null && $Object.hasOwnProperty.call(message, "numConnectionsStarted"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.numConnectionsStarted = typeof message.numConnectionsStarted === "number" ? $BigInt(message.numConnectionsStarted) : $util.Long.fromBits(message.numConnectionsStarted.low >>> 0, message.numConnectionsStarted.high >>> 0, false).toBigInt();
                else if (typeof message.numConnectionsStarted === "number")
                    object.numConnectionsStarted = options.longs === $String ? $String(message.numConnectionsStarted) : message.numConnectionsStarted;
                else
                    object.numConnectionsStarted = options.longs === $String ? $util.Long.prototype.toString.call(message.numConnectionsStarted) : options.longs === $Number ? new $util.LongBits(message.numConnectionsStarted.low >>> 0, message.numConnectionsStarted.high >>> 0).toNumber() : message.numConnectionsStarted;
            if (message.numConnectionsCompleted != null && $Object.hasOwnProperty.call(message, "numConnectionsCompleted"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.numConnectionsCompleted = typeof message.numConnectionsCompleted === "number" ? $BigInt(message.numConnectionsCompleted) : $util.Long.fromBits(message.numConnectionsCompleted.low >>> 0, message.numConnectionsCompleted.high >>> 0, false).toBigInt();
                else if (typeof message.numConnectionsCompleted === "number")
                    object.numConnectionsCompleted = options.longs === $String ? $String(message.numConnectionsCompleted) : message.numConnectionsCompleted;
                else
                    object.numConnectionsCompleted = options.longs === $String ? $util.Long.prototype.toString.call(message.numConnectionsCompleted) : options.longs === $Number ? new $util.LongBits(message.numConnectionsCompleted.low >>> 0, message.numConnectionsCompleted.high >>> 0).toNumber() : message.numConnectionsCompleted;
            if (message.numConnectionsLive != null && $Object.hasOwnProperty.call(message, "numConnectionsLive"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.numConnectionsLive = typeof message.numConnectionsLive === "number" ? $BigInt(message.numConnectionsLive) : $util.Long.fromBits(message.numConnectionsLive.low >>> 0, message.numConnectionsLive.high >>> 0, false).toBigInt();
                else if (typeof message.numConnectionsLive === "number")
                    object.numConnectionsLive = options.longs === $String ? $String(message.numConnectionsLive) : message.numConnectionsLive;
                else
                    object.numConnectionsLive = options.longs === $String ? $util.Long.prototype.toString.call(message.numConnectionsLive) : options.longs === $Number ? new $util.LongBits(message.numConnectionsLive.low >>> 0, message.numConnectionsLive.high >>> 0).toNumber() : message.numConnectionsLive;
            return object;
        };

        /**
         * Converts this Flow to JSON.
         * @function toJSON
         * @memberof goldmane.Flow
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        Flow.prototype.toJSON = function() {
            return Flow.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for Flow
         * @function getTypeUrl
         * @memberof goldmane.Flow
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        Flow.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.Flow";
        };

        return Flow;
    })();

    goldmane.PolicyTrace = (function() {

        /**
         * Properties of a PolicyTrace.
         * @typedef {Object} goldmane.PolicyTrace.$Properties
         * @property {Array.<goldmane.PolicyHit.$Properties>|null} [enforcedPolicies] PolicyTrace enforcedPolicies
         * @property {Array.<goldmane.PolicyHit.$Properties>|null} [pendingPolicies] PolicyTrace pendingPolicies
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PolicyTrace.
         * @memberof goldmane
         * @interface IPolicyTrace
         * @augments goldmane.PolicyTrace.$Properties
         * @deprecated Use goldmane.PolicyTrace.$Properties instead.
         */

        /**
         * Shape of a PolicyTrace.
         * @typedef {goldmane.PolicyTrace.$Properties} goldmane.PolicyTrace.$Shape
         */

        /**
         * Constructs a new PolicyTrace.
         * @memberof goldmane
         * @classdesc Represents a PolicyTrace.
         * @constructor
         * @param {goldmane.PolicyTrace.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PolicyTrace = function (properties) {
            this.enforcedPolicies = [];
            this.pendingPolicies = [];
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * PolicyTrace enforcedPolicies.
         * @member {Array.<goldmane.PolicyHit.$Properties>} enforcedPolicies
         * @memberof goldmane.PolicyTrace
         * @instance
         */
        PolicyTrace.prototype.enforcedPolicies = $util.emptyArray;

        /**
         * PolicyTrace pendingPolicies.
         * @member {Array.<goldmane.PolicyHit.$Properties>} pendingPolicies
         * @memberof goldmane.PolicyTrace
         * @instance
         */
        PolicyTrace.prototype.pendingPolicies = $util.emptyArray;

        /**
         * Creates a new PolicyTrace instance using the specified properties.
         * @function create
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {goldmane.PolicyTrace.$Properties=} [properties] Properties to set
         * @returns {goldmane.PolicyTrace} PolicyTrace instance
         * @type {{
         *   (properties: goldmane.PolicyTrace.$Shape): goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape;
         *   (properties?: goldmane.PolicyTrace.$Properties): goldmane.PolicyTrace;
         * }}
         */
        PolicyTrace.create = function(properties) {
            return new PolicyTrace(properties);
        };

        /**
         * Encodes the specified PolicyTrace message. Does not implicitly {@link goldmane.PolicyTrace.verify|verify} messages.
         * @function encode
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {goldmane.PolicyTrace.$Properties} message PolicyTrace message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PolicyTrace.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.enforcedPolicies != null && message.enforcedPolicies.length)
                for (let i = 0; i < message.enforcedPolicies.length; ++i)
                    $root.goldmane.PolicyHit.encode(message.enforcedPolicies[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
            if (message.pendingPolicies != null && message.pendingPolicies.length)
                for (let i = 0; i < message.pendingPolicies.length; ++i)
                    $root.goldmane.PolicyHit.encode(message.pendingPolicies[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified PolicyTrace message, length delimited. Does not implicitly {@link goldmane.PolicyTrace.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {goldmane.PolicyTrace.$Properties} message PolicyTrace message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PolicyTrace.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a PolicyTrace message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape} PolicyTrace
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PolicyTrace.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.PolicyTrace();
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
                        if (!(message.enforcedPolicies && message.enforcedPolicies.length))
                            message.enforcedPolicies = [];
                        message.enforcedPolicies.push($root.goldmane.PolicyHit.decode(reader, reader.size(), $undefined, _depth + 1));
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if (!(message.pendingPolicies && message.pendingPolicies.length))
                            message.pendingPolicies = [];
                        message.pendingPolicies.push($root.goldmane.PolicyHit.decode(reader, reader.size(), $undefined, _depth + 1));
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
         * Decodes a PolicyTrace message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape} PolicyTrace
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PolicyTrace.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a PolicyTrace message.
         * @function verify
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        PolicyTrace.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.enforcedPolicies != null && $Object.hasOwnProperty.call(message, "enforcedPolicies")) {
                if (!$Array.isArray(message.enforcedPolicies))
                    return "enforcedPolicies: array expected";
                for (let i = 0; i < message.enforcedPolicies.length; ++i) {
                    let error = $root.goldmane.PolicyHit.verify(message.enforcedPolicies[i], _depth + 1);
                    if (error)
                        return "enforcedPolicies." + error;
                }
            }
            if (message.pendingPolicies != null && $Object.hasOwnProperty.call(message, "pendingPolicies")) {
                if (!$Array.isArray(message.pendingPolicies))
                    return "pendingPolicies: array expected";
                for (let i = 0; i < message.pendingPolicies.length; ++i) {
                    let error = $root.goldmane.PolicyHit.verify(message.pendingPolicies[i], _depth + 1);
                    if (error)
                        return "pendingPolicies." + error;
                }
            }
            return null;
        };

        /**
         * Creates a PolicyTrace message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.PolicyTrace} PolicyTrace
         */
        PolicyTrace.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.PolicyTrace)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.PolicyTrace: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.PolicyTrace();
            if (object.enforcedPolicies) {
                if (!$Array.isArray(object.enforcedPolicies))
                    throw $TypeError(".goldmane.PolicyTrace.enforcedPolicies: array expected");
                message.enforcedPolicies = $Array(object.enforcedPolicies.length);
                for (let i = 0; i < object.enforcedPolicies.length; ++i) {
                    if (!$util.isObject(object.enforcedPolicies[i]))
                        throw $TypeError(".goldmane.PolicyTrace.enforcedPolicies: object expected");
                    message.enforcedPolicies[i] = $root.goldmane.PolicyHit.fromObject(object.enforcedPolicies[i], _depth + 1);
                }
            }
            if (object.pendingPolicies) {
                if (!$Array.isArray(object.pendingPolicies))
                    throw $TypeError(".goldmane.PolicyTrace.pendingPolicies: array expected");
                message.pendingPolicies = $Array(object.pendingPolicies.length);
                for (let i = 0; i < object.pendingPolicies.length; ++i) {
                    if (!$util.isObject(object.pendingPolicies[i]))
                        throw $TypeError(".goldmane.PolicyTrace.pendingPolicies: object expected");
                    message.pendingPolicies[i] = $root.goldmane.PolicyHit.fromObject(object.pendingPolicies[i], _depth + 1);
                }
            }
            return message;
        };

        /**
         * Creates a plain object from a PolicyTrace message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {goldmane.PolicyTrace} message PolicyTrace
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        PolicyTrace.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.arrays || options.defaults) {
                object.enforcedPolicies = [];
                object.pendingPolicies = [];
            }
            if (message.enforcedPolicies && message.enforcedPolicies.length) {
                object.enforcedPolicies = $Array(message.enforcedPolicies.length);
                for (let j = 0; j < message.enforcedPolicies.length; ++j)
                    object.enforcedPolicies[j] = $root.goldmane.PolicyHit.toObject(message.enforcedPolicies[j], options, _depth + 1);
            }
            if (message.pendingPolicies && message.pendingPolicies.length) {
                object.pendingPolicies = $Array(message.pendingPolicies.length);
                for (let j = 0; j < message.pendingPolicies.length; ++j)
                    object.pendingPolicies[j] = $root.goldmane.PolicyHit.toObject(message.pendingPolicies[j], options, _depth + 1);
            }
            return object;
        };

        /**
         * Converts this PolicyTrace to JSON.
         * @function toJSON
         * @memberof goldmane.PolicyTrace
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        PolicyTrace.prototype.toJSON = function() {
            return PolicyTrace.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for PolicyTrace
         * @function getTypeUrl
         * @memberof goldmane.PolicyTrace
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PolicyTrace.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.PolicyTrace";
        };

        return PolicyTrace;
    })();

    goldmane.PolicyHit = (function() {

        /**
         * Properties of a PolicyHit.
         * @typedef {Object} goldmane.PolicyHit.$Properties
         * @property {goldmane.PolicyKind|null} [kind] PolicyHit kind
         * @property {string|null} [namespace] PolicyHit namespace
         * @property {string|null} [name] PolicyHit name
         * @property {string|null} [tier] PolicyHit tier
         * @property {goldmane.Action|null} [action] PolicyHit action
         * @property {number|Long|null} [policyIndex] PolicyHit policyIndex
         * @property {number|Long|null} [ruleIndex] PolicyHit ruleIndex
         * @property {goldmane.PolicyHit.$Properties|null} [trigger] PolicyHit trigger
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */

        /**
         * Properties of a PolicyHit.
         * @memberof goldmane
         * @interface IPolicyHit
         * @augments goldmane.PolicyHit.$Properties
         * @deprecated Use goldmane.PolicyHit.$Properties instead.
         */

        /**
         * Shape of a PolicyHit.
         * @typedef {goldmane.PolicyHit.$Properties} goldmane.PolicyHit.$Shape
         */

        /**
         * Constructs a new PolicyHit.
         * @memberof goldmane
         * @classdesc Represents a PolicyHit.
         * @constructor
         * @param {goldmane.PolicyHit.$Properties=} [properties] Properties to set
         * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
         */
        const PolicyHit = function (properties) {
            if (properties)
                for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        };

        /**
         * PolicyHit kind.
         * @member {goldmane.PolicyKind} kind
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.kind = 0;

        /**
         * PolicyHit namespace.
         * @member {string} namespace
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.namespace = "";

        /**
         * PolicyHit name.
         * @member {string} name
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.name = "";

        /**
         * PolicyHit tier.
         * @member {string} tier
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.tier = "";

        /**
         * PolicyHit action.
         * @member {goldmane.Action} action
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.action = 0;

        /**
         * PolicyHit policyIndex.
         * @member {number|Long} policyIndex
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.policyIndex = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * PolicyHit ruleIndex.
         * @member {number|Long} ruleIndex
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.ruleIndex = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * PolicyHit trigger.
         * @member {goldmane.PolicyHit.$Properties|null|undefined} trigger
         * @memberof goldmane.PolicyHit
         * @instance
         */
        PolicyHit.prototype.trigger = null;

        /**
         * Creates a new PolicyHit instance using the specified properties.
         * @function create
         * @memberof goldmane.PolicyHit
         * @static
         * @param {goldmane.PolicyHit.$Properties=} [properties] Properties to set
         * @returns {goldmane.PolicyHit} PolicyHit instance
         * @type {{
         *   (properties: goldmane.PolicyHit.$Shape): goldmane.PolicyHit & goldmane.PolicyHit.$Shape;
         *   (properties?: goldmane.PolicyHit.$Properties): goldmane.PolicyHit;
         * }}
         */
        PolicyHit.create = function(properties) {
            return new PolicyHit(properties);
        };

        /**
         * Encodes the specified PolicyHit message. Does not implicitly {@link goldmane.PolicyHit.verify|verify} messages.
         * @function encode
         * @memberof goldmane.PolicyHit
         * @static
         * @param {goldmane.PolicyHit.$Properties} message PolicyHit message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PolicyHit.encode = function (message, writer, _depth) {
            if (!writer)
                writer = $Writer.create();
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
            if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.namespace);
            if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
            if (message.tier != null && $Object.hasOwnProperty.call(message, "tier") && message.tier !== "")
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.tier);
            if (message.action != null && $Object.hasOwnProperty.call(message, "action") && message.action !== 0)
                writer.uint32(/* id 5, wireType 0 =*/40).int32(message.action);
            if (message.policyIndex != null && $Object.hasOwnProperty.call(message, "policyIndex") && (typeof message.policyIndex === "object" ? message.policyIndex.low || message.policyIndex.high : message.policyIndex !== 0))
                writer.uint32(/* id 6, wireType 0 =*/48).int64(message.policyIndex);
            if (message.ruleIndex != null && $Object.hasOwnProperty.call(message, "ruleIndex") && (typeof message.ruleIndex === "object" ? message.ruleIndex.low || message.ruleIndex.high : message.ruleIndex !== 0))
                writer.uint32(/* id 7, wireType 0 =*/56).int64(message.ruleIndex);
            if (message.trigger != null && $Object.hasOwnProperty.call(message, "trigger"))
                $root.goldmane.PolicyHit.encode(message.trigger, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
            if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                for (let i = 0; i < message.$unknowns.length; ++i)
                    writer.raw(message.$unknowns[i]);
            return writer;
        };

        /**
         * Encodes the specified PolicyHit message, length delimited. Does not implicitly {@link goldmane.PolicyHit.verify|verify} messages.
         * @function encodeDelimited
         * @memberof goldmane.PolicyHit
         * @static
         * @param {goldmane.PolicyHit.$Properties} message PolicyHit message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PolicyHit.encodeDelimited = function(message, writer) {
            return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
        };

        /**
         * Decodes a PolicyHit message from the specified reader or buffer.
         * @function decode
         * @memberof goldmane.PolicyHit
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {goldmane.PolicyHit & goldmane.PolicyHit.$Shape} PolicyHit
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PolicyHit.decode = function (reader, length, _end, _depth, _target) {
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
            message = _target || new $root.goldmane.PolicyHit();
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
                            message.kind = value;
                        else
                            delete message.kind;
                        continue;
                    }
                case 2: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.namespace = value;
                        else
                            delete message.namespace;
                        continue;
                    }
                case 3: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.name = value;
                        else
                            delete message.name;
                        continue;
                    }
                case 4: {
                        if (wireType !== 2)
                            break;
                        if ((value = reader.stringVerify()).length)
                            message.tier = value;
                        else
                            delete message.tier;
                        continue;
                    }
                case 5: {
                        if (wireType !== 0)
                            break;
                        if (value = reader.int32())
                            message.action = value;
                        else
                            delete message.action;
                        continue;
                    }
                case 6: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.policyIndex = value;
                        else
                            delete message.policyIndex;
                        continue;
                    }
                case 7: {
                        if (wireType !== 0)
                            break;
                        if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                            message.ruleIndex = value;
                        else
                            delete message.ruleIndex;
                        continue;
                    }
                case 8: {
                        if (wireType !== 2)
                            break;
                        message.trigger = $root.goldmane.PolicyHit.decode(reader, reader.size(), $undefined, _depth + 1, message.trigger);
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
         * Decodes a PolicyHit message from the specified reader or buffer, length delimited.
         * @function decodeDelimited
         * @memberof goldmane.PolicyHit
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @returns {goldmane.PolicyHit & goldmane.PolicyHit.$Shape} PolicyHit
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PolicyHit.decodeDelimited = function(reader) {
            if (!(reader instanceof $Reader))
                reader = new $Reader(reader);
            return this.decode(reader, reader.size());
        };

        /**
         * Verifies a PolicyHit message.
         * @function verify
         * @memberof goldmane.PolicyHit
         * @static
         * @param {Object.<string,*>} message Plain object to verify
         * @returns {string|null} `null` if valid, otherwise the reason why it is not
         */
        PolicyHit.verify = function (message, _depth) {
            if (typeof message !== "object" || message === null)
                return "object expected";
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                return "max depth exceeded";
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                if (typeof message.kind !== "number" || (message.kind | 0) !== message.kind)
                    return "kind: enum value expected";
            if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace"))
                if (!$util.isString(message.namespace))
                    return "namespace: string expected";
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                if (!$util.isString(message.name))
                    return "name: string expected";
            if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                if (!$util.isString(message.tier))
                    return "tier: string expected";
            if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                if (typeof message.action !== "number" || (message.action | 0) !== message.action)
                    return "action: enum value expected";
            if (message.policyIndex != null && $Object.hasOwnProperty.call(message, "policyIndex"))
                if (!$util.isInteger(message.policyIndex) && !(message.policyIndex && $util.isInteger(message.policyIndex.low) && $util.isInteger(message.policyIndex.high)))
                    return "policyIndex: integer|Long expected";
            if (message.ruleIndex != null && $Object.hasOwnProperty.call(message, "ruleIndex"))
                if (!$util.isInteger(message.ruleIndex) && !(message.ruleIndex && $util.isInteger(message.ruleIndex.low) && $util.isInteger(message.ruleIndex.high)))
                    return "ruleIndex: integer|Long expected";
            if (message.trigger != null && $Object.hasOwnProperty.call(message, "trigger")) {
                let error = $root.goldmane.PolicyHit.verify(message.trigger, _depth + 1);
                if (error)
                    return "trigger." + error;
            }
            return null;
        };

        /**
         * Creates a PolicyHit message from a plain object. Also converts values to their respective internal types.
         * @function fromObject
         * @memberof goldmane.PolicyHit
         * @static
         * @param {Object.<string,*>} object Plain object
         * @returns {goldmane.PolicyHit} PolicyHit
         */
        PolicyHit.fromObject = function (object, _depth) {
            if (object instanceof $root.goldmane.PolicyHit)
                return object;
            if (!$util.isObject(object))
                throw $TypeError(".goldmane.PolicyHit: object expected");
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let message = new $root.goldmane.PolicyHit();
            if (object.kind !== 0 && (typeof object.kind !== "string" || $root.goldmane.PolicyKind[object.kind] !== 0))
                switch (object.kind) {
                case "KindUnspecified":
                case 0:
                    message.kind = 0;
                    break;
                case "CalicoNetworkPolicy":
                case 1:
                    message.kind = 1;
                    break;
                case "GlobalNetworkPolicy":
                case 2:
                    message.kind = 2;
                    break;
                case "StagedNetworkPolicy":
                case 3:
                    message.kind = 3;
                    break;
                case "StagedGlobalNetworkPolicy":
                case 4:
                    message.kind = 4;
                    break;
                case "StagedKubernetesNetworkPolicy":
                case 5:
                    message.kind = 5;
                    break;
                case "NetworkPolicy":
                case 6:
                    message.kind = 6;
                    break;
                case "ClusterNetworkPolicyAdminTier":
                case 7:
                    message.kind = 7;
                    break;
                case "ClusterNetworkPolicyBaselineTier":
                case 8:
                    message.kind = 8;
                    break;
                case "Profile":
                case 9:
                    message.kind = 9;
                    break;
                case "EndOfTier":
                case 10:
                    message.kind = 10;
                    break;
                default:
                    if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                        message.kind = object.kind;
                }
            if (object.namespace != null)
                if (typeof object.namespace !== "string" || object.namespace.length)
                    message.namespace = $String(object.namespace);
            if (object.name != null)
                if (typeof object.name !== "string" || object.name.length)
                    message.name = $String(object.name);
            if (object.tier != null)
                if (typeof object.tier !== "string" || object.tier.length)
                    message.tier = $String(object.tier);
            if (object.action !== 0 && (typeof object.action !== "string" || $root.goldmane.Action[object.action] !== 0))
                switch (object.action) {
                case "ActionUnspecified":
                case 0:
                    message.action = 0;
                    break;
                case "Allow":
                case 1:
                    message.action = 1;
                    break;
                case "Deny":
                case 2:
                    message.action = 2;
                    break;
                case "Pass":
                case 3:
                    message.action = 3;
                    break;
                default:
                    if (typeof object.action === "number" && (object.action | 0) === object.action)
                        message.action = object.action;
                }
            if (object.policyIndex != null)
                if (typeof object.policyIndex === "object" ? object.policyIndex.low || object.policyIndex.high : $Number(object.policyIndex) !== 0)
                    if ($util.Long)
                        message.policyIndex = $util.Long.fromValue(object.policyIndex, false);
                    else if (typeof object.policyIndex === "string")
                        message.policyIndex = $parseInt(object.policyIndex, 10);
                    else if (typeof object.policyIndex === "number")
                        message.policyIndex = object.policyIndex;
                    else if (typeof object.policyIndex === "object")
                        message.policyIndex = new $util.LongBits(object.policyIndex.low >>> 0, object.policyIndex.high >>> 0).toNumber();
            if (object.ruleIndex != null)
                if (typeof object.ruleIndex === "object" ? object.ruleIndex.low || object.ruleIndex.high : $Number(object.ruleIndex) !== 0)
                    if ($util.Long)
                        message.ruleIndex = $util.Long.fromValue(object.ruleIndex, false);
                    else if (typeof object.ruleIndex === "string")
                        message.ruleIndex = $parseInt(object.ruleIndex, 10);
                    else if (typeof object.ruleIndex === "number")
                        message.ruleIndex = object.ruleIndex;
                    else if (typeof object.ruleIndex === "object")
                        message.ruleIndex = new $util.LongBits(object.ruleIndex.low >>> 0, object.ruleIndex.high >>> 0).toNumber();
            if (object.trigger != null) {
                if (!$util.isObject(object.trigger))
                    throw $TypeError(".goldmane.PolicyHit.trigger: object expected");
                message.trigger = $root.goldmane.PolicyHit.fromObject(object.trigger, _depth + 1);
            }
            return message;
        };

        /**
         * Creates a plain object from a PolicyHit message. Also converts values to other types if specified.
         * @function toObject
         * @memberof goldmane.PolicyHit
         * @static
         * @param {goldmane.PolicyHit} message PolicyHit
         * @param {$protobuf.IConversionOptions} [options] Conversion options
         * @returns {Object.<string,*>} Plain object
         */
        PolicyHit.toObject = function (message, options, _depth) {
            if (!options)
                options = {};
            if (_depth === $undefined)
                _depth = 0;
            if (_depth > $util.recursionLimit)
                throw $Error("max depth exceeded");
            let object = {};
            if (options.defaults) {
                object.kind = options.enums === $String ? "KindUnspecified" : 0;
                object.namespace = "";
                object.name = "";
                object.tier = "";
                object.action = options.enums === $String ? "ActionUnspecified" : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.policyIndex = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.policyIndex = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                if ($util.Long) {
                    let long = new $util.Long(0, 0, false);
                    object.ruleIndex = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                } else
                    object.ruleIndex = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                object.trigger = null;
            }
            if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                object.kind = options.enums === $String ? $root.goldmane.PolicyKind[message.kind] === $undefined ? message.kind : $root.goldmane.PolicyKind[message.kind] : message.kind;
            if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace"))
                object.namespace = message.namespace;
            if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                object.name = message.name;
            if (message.tier != null && $Object.hasOwnProperty.call(message, "tier"))
                object.tier = message.tier;
            if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                object.action = options.enums === $String ? $root.goldmane.Action[message.action] === $undefined ? message.action : $root.goldmane.Action[message.action] : message.action;
            if (message.policyIndex != null && $Object.hasOwnProperty.call(message, "policyIndex"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.policyIndex = typeof message.policyIndex === "number" ? $BigInt(message.policyIndex) : $util.Long.fromBits(message.policyIndex.low >>> 0, message.policyIndex.high >>> 0, false).toBigInt();
                else if (typeof message.policyIndex === "number")
                    object.policyIndex = options.longs === $String ? $String(message.policyIndex) : message.policyIndex;
                else
                    object.policyIndex = options.longs === $String ? $util.Long.prototype.toString.call(message.policyIndex) : options.longs === $Number ? new $util.LongBits(message.policyIndex.low >>> 0, message.policyIndex.high >>> 0).toNumber() : message.policyIndex;
            if (message.ruleIndex != null && $Object.hasOwnProperty.call(message, "ruleIndex"))
                if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                    object.ruleIndex = typeof message.ruleIndex === "number" ? $BigInt(message.ruleIndex) : $util.Long.fromBits(message.ruleIndex.low >>> 0, message.ruleIndex.high >>> 0, false).toBigInt();
                else if (typeof message.ruleIndex === "number")
                    object.ruleIndex = options.longs === $String ? $String(message.ruleIndex) : message.ruleIndex;
                else
                    object.ruleIndex = options.longs === $String ? $util.Long.prototype.toString.call(message.ruleIndex) : options.longs === $Number ? new $util.LongBits(message.ruleIndex.low >>> 0, message.ruleIndex.high >>> 0).toNumber() : message.ruleIndex;
            if (message.trigger != null && $Object.hasOwnProperty.call(message, "trigger"))
                object.trigger = $root.goldmane.PolicyHit.toObject(message.trigger, options, _depth + 1);
            return object;
        };

        /**
         * Converts this PolicyHit to JSON.
         * @function toJSON
         * @memberof goldmane.PolicyHit
         * @instance
         * @returns {Object.<string,*>} JSON object
         */
        PolicyHit.prototype.toJSON = function() {
            return PolicyHit.toObject(this, $protobuf.util.toJSONOptions);
        };

        /**
         * Gets the type url for PolicyHit
         * @function getTypeUrl
         * @memberof goldmane.PolicyHit
         * @static
         * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns {string} The type url
         */
        PolicyHit.getTypeUrl = function(prefix) {
            if (prefix === $undefined)
                prefix = "type.googleapis.com";
            return prefix + "/goldmane.PolicyHit";
        };

        return PolicyHit;
    })();

    return goldmane;
})();

export {
  $root as default
};
