import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace goldmane. */
export namespace goldmane {

    /**
     * Properties of a FlowListRequest.
     * @deprecated Use goldmane.FlowListRequest.$Properties instead.
     */
    interface IFlowListRequest extends goldmane.FlowListRequest.$Properties {
    }

    /** Times: 0 = now (Stream) or the oldest held (List); > 0 Unix seconds; < 0 seconds before now. */
    class FlowListRequest {

        /**
         * Constructs a new FlowListRequest.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowListRequest.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowListRequest startTimeGte. */
        startTimeGte: (number|Long);

        /** FlowListRequest startTimeLt. */
        startTimeLt: (number|Long);

        /** FlowListRequest page. */
        page: (number|Long);

        /** FlowListRequest pageSize. */
        pageSize: (number|Long);

        /** FlowListRequest aggregationInterval. */
        aggregationInterval: (number|Long);

        /**
         * Creates a new FlowListRequest instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowListRequest instance
         */
        static create(properties: goldmane.FlowListRequest.$Shape): goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape;
        static create(properties?: goldmane.FlowListRequest.$Properties): goldmane.FlowListRequest;

        /**
         * Encodes the specified FlowListRequest message. Does not implicitly {@link goldmane.FlowListRequest.verify|verify} messages.
         * @param message FlowListRequest message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowListRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowListRequest message, length delimited. Does not implicitly {@link goldmane.FlowListRequest.verify|verify} messages.
         * @param message FlowListRequest message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowListRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowListRequest message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape} FlowListRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape;

        /**
         * Decodes a FlowListRequest message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape} FlowListRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowListRequest & goldmane.FlowListRequest.$Shape;

        /**
         * Verifies a FlowListRequest message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowListRequest message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowListRequest
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowListRequest;

        /**
         * Creates a plain object from a FlowListRequest message. Also converts values to other types if specified.
         * @param message FlowListRequest
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowListRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowListRequest to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowListRequest
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowListRequest {

        /** Properties of a FlowListRequest. */
        interface $Properties {

            /** FlowListRequest startTimeGte */
            startTimeGte?: (number|Long|null);

            /** FlowListRequest startTimeLt */
            startTimeLt?: (number|Long|null);

            /** FlowListRequest page */
            page?: (number|Long|null);

            /** FlowListRequest pageSize */
            pageSize?: (number|Long|null);

            /** FlowListRequest aggregationInterval */
            aggregationInterval?: (number|Long|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowListRequest. */
        type $Shape = goldmane.FlowListRequest.$Properties;
    }

    /**
     * Properties of a FlowListResult.
     * @deprecated Use goldmane.FlowListResult.$Properties instead.
     */
    interface IFlowListResult extends goldmane.FlowListResult.$Properties {
    }

    /** Represents a FlowListResult. */
    class FlowListResult {

        /**
         * Constructs a new FlowListResult.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowListResult.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowListResult meta. */
        meta?: (goldmane.ListMetadata.$Properties|null);

        /** FlowListResult flows. */
        flows: goldmane.FlowResult.$Properties[];

        /**
         * Creates a new FlowListResult instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowListResult instance
         */
        static create(properties: goldmane.FlowListResult.$Shape): goldmane.FlowListResult & goldmane.FlowListResult.$Shape;
        static create(properties?: goldmane.FlowListResult.$Properties): goldmane.FlowListResult;

        /**
         * Encodes the specified FlowListResult message. Does not implicitly {@link goldmane.FlowListResult.verify|verify} messages.
         * @param message FlowListResult message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowListResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowListResult message, length delimited. Does not implicitly {@link goldmane.FlowListResult.verify|verify} messages.
         * @param message FlowListResult message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowListResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowListResult message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowListResult & goldmane.FlowListResult.$Shape} FlowListResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowListResult & goldmane.FlowListResult.$Shape;

        /**
         * Decodes a FlowListResult message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowListResult & goldmane.FlowListResult.$Shape} FlowListResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowListResult & goldmane.FlowListResult.$Shape;

        /**
         * Verifies a FlowListResult message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowListResult message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowListResult
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowListResult;

        /**
         * Creates a plain object from a FlowListResult message. Also converts values to other types if specified.
         * @param message FlowListResult
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowListResult, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowListResult to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowListResult
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowListResult {

        /** Properties of a FlowListResult. */
        interface $Properties {

            /** FlowListResult meta */
            meta?: (goldmane.ListMetadata.$Properties|null);

            /** FlowListResult flows */
            flows?: (goldmane.FlowResult.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowListResult. */
        type $Shape = goldmane.FlowListResult.$Properties;
    }

    /**
     * Properties of a ListMetadata.
     * @deprecated Use goldmane.ListMetadata.$Properties instead.
     */
    interface IListMetadata extends goldmane.ListMetadata.$Properties {
    }

    /** Represents a ListMetadata. */
    class ListMetadata {

        /**
         * Constructs a new ListMetadata.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.ListMetadata.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ListMetadata totalPages. */
        totalPages: (number|Long);

        /** ListMetadata totalResults. */
        totalResults: (number|Long);

        /**
         * Creates a new ListMetadata instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ListMetadata instance
         */
        static create(properties: goldmane.ListMetadata.$Shape): goldmane.ListMetadata & goldmane.ListMetadata.$Shape;
        static create(properties?: goldmane.ListMetadata.$Properties): goldmane.ListMetadata;

        /**
         * Encodes the specified ListMetadata message. Does not implicitly {@link goldmane.ListMetadata.verify|verify} messages.
         * @param message ListMetadata message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.ListMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified ListMetadata message, length delimited. Does not implicitly {@link goldmane.ListMetadata.verify|verify} messages.
         * @param message ListMetadata message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.ListMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ListMetadata message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.ListMetadata & goldmane.ListMetadata.$Shape} ListMetadata
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.ListMetadata & goldmane.ListMetadata.$Shape;

        /**
         * Decodes a ListMetadata message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.ListMetadata & goldmane.ListMetadata.$Shape} ListMetadata
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.ListMetadata & goldmane.ListMetadata.$Shape;

        /**
         * Verifies a ListMetadata message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a ListMetadata message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ListMetadata
         */
        static fromObject(object: { [k: string]: any }): goldmane.ListMetadata;

        /**
         * Creates a plain object from a ListMetadata message. Also converts values to other types if specified.
         * @param message ListMetadata
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.ListMetadata, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this ListMetadata to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for ListMetadata
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace ListMetadata {

        /** Properties of a ListMetadata. */
        interface $Properties {

            /** ListMetadata totalPages */
            totalPages?: (number|Long|null);

            /** ListMetadata totalResults */
            totalResults?: (number|Long|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a ListMetadata. */
        type $Shape = goldmane.ListMetadata.$Properties;
    }

    /**
     * Properties of a FlowStreamRequest.
     * @deprecated Use goldmane.FlowStreamRequest.$Properties instead.
     */
    interface IFlowStreamRequest extends goldmane.FlowStreamRequest.$Properties {
    }

    /** Represents a FlowStreamRequest. */
    class FlowStreamRequest {

        /**
         * Constructs a new FlowStreamRequest.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowStreamRequest.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowStreamRequest startTimeGte. */
        startTimeGte: (number|Long);

        /** FlowStreamRequest aggregationInterval. */
        aggregationInterval: (number|Long);

        /**
         * Creates a new FlowStreamRequest instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowStreamRequest instance
         */
        static create(properties: goldmane.FlowStreamRequest.$Shape): goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape;
        static create(properties?: goldmane.FlowStreamRequest.$Properties): goldmane.FlowStreamRequest;

        /**
         * Encodes the specified FlowStreamRequest message. Does not implicitly {@link goldmane.FlowStreamRequest.verify|verify} messages.
         * @param message FlowStreamRequest message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowStreamRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowStreamRequest message, length delimited. Does not implicitly {@link goldmane.FlowStreamRequest.verify|verify} messages.
         * @param message FlowStreamRequest message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowStreamRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowStreamRequest message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape} FlowStreamRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape;

        /**
         * Decodes a FlowStreamRequest message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape} FlowStreamRequest
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowStreamRequest & goldmane.FlowStreamRequest.$Shape;

        /**
         * Verifies a FlowStreamRequest message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowStreamRequest message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowStreamRequest
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowStreamRequest;

        /**
         * Creates a plain object from a FlowStreamRequest message. Also converts values to other types if specified.
         * @param message FlowStreamRequest
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowStreamRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowStreamRequest to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowStreamRequest
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowStreamRequest {

        /** Properties of a FlowStreamRequest. */
        interface $Properties {

            /** FlowStreamRequest startTimeGte */
            startTimeGte?: (number|Long|null);

            /** FlowStreamRequest aggregationInterval */
            aggregationInterval?: (number|Long|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowStreamRequest. */
        type $Shape = goldmane.FlowStreamRequest.$Properties;
    }

    /**
     * Properties of a FlowResult.
     * @deprecated Use goldmane.FlowResult.$Properties instead.
     */
    interface IFlowResult extends goldmane.FlowResult.$Properties {
    }

    /** `id` is Goldmane's per-process handle of a flow key: not stable across its restarts. */
    class FlowResult {

        /**
         * Constructs a new FlowResult.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowResult.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowResult id. */
        id: (number|Long);

        /** FlowResult flow. */
        flow?: (goldmane.Flow.$Properties|null);

        /**
         * Creates a new FlowResult instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowResult instance
         */
        static create(properties: goldmane.FlowResult.$Shape): goldmane.FlowResult & goldmane.FlowResult.$Shape;
        static create(properties?: goldmane.FlowResult.$Properties): goldmane.FlowResult;

        /**
         * Encodes the specified FlowResult message. Does not implicitly {@link goldmane.FlowResult.verify|verify} messages.
         * @param message FlowResult message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowResult message, length delimited. Does not implicitly {@link goldmane.FlowResult.verify|verify} messages.
         * @param message FlowResult message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowResult message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowResult & goldmane.FlowResult.$Shape} FlowResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowResult & goldmane.FlowResult.$Shape;

        /**
         * Decodes a FlowResult message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowResult & goldmane.FlowResult.$Shape} FlowResult
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowResult & goldmane.FlowResult.$Shape;

        /**
         * Verifies a FlowResult message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowResult message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowResult
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowResult;

        /**
         * Creates a plain object from a FlowResult message. Also converts values to other types if specified.
         * @param message FlowResult
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowResult, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowResult to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowResult
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowResult {

        /** Properties of a FlowResult. */
        interface $Properties {

            /** FlowResult id */
            id?: (number|Long|null);

            /** FlowResult flow */
            flow?: (goldmane.Flow.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowResult. */
        type $Shape = goldmane.FlowResult.$Properties;
    }

    /**
     * Properties of a FlowReceipt.
     * @deprecated Use goldmane.FlowReceipt.$Properties instead.
     */
    interface IFlowReceipt extends goldmane.FlowReceipt.$Properties {
    }

    /** Represents a FlowReceipt. */
    class FlowReceipt {

        /**
         * Constructs a new FlowReceipt.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowReceipt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /**
         * Creates a new FlowReceipt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowReceipt instance
         */
        static create(properties: goldmane.FlowReceipt.$Shape): goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape;
        static create(properties?: goldmane.FlowReceipt.$Properties): goldmane.FlowReceipt;

        /**
         * Encodes the specified FlowReceipt message. Does not implicitly {@link goldmane.FlowReceipt.verify|verify} messages.
         * @param message FlowReceipt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowReceipt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowReceipt message, length delimited. Does not implicitly {@link goldmane.FlowReceipt.verify|verify} messages.
         * @param message FlowReceipt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowReceipt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowReceipt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape} FlowReceipt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape;

        /**
         * Decodes a FlowReceipt message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape} FlowReceipt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowReceipt & goldmane.FlowReceipt.$Shape;

        /**
         * Verifies a FlowReceipt message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowReceipt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowReceipt
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowReceipt;

        /**
         * Creates a plain object from a FlowReceipt message. Also converts values to other types if specified.
         * @param message FlowReceipt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowReceipt, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowReceipt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowReceipt
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowReceipt {

        /** Properties of a FlowReceipt. */
        interface $Properties {

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowReceipt. */
        type $Shape = goldmane.FlowReceipt.$Properties;
    }

    /**
     * Properties of a FlowUpdate.
     * @deprecated Use goldmane.FlowUpdate.$Properties instead.
     */
    interface IFlowUpdate extends goldmane.FlowUpdate.$Properties {
    }

    /** Represents a FlowUpdate. */
    class FlowUpdate {

        /**
         * Constructs a new FlowUpdate.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowUpdate.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowUpdate flow. */
        flow?: (goldmane.Flow.$Properties|null);

        /**
         * Creates a new FlowUpdate instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowUpdate instance
         */
        static create(properties: goldmane.FlowUpdate.$Shape): goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape;
        static create(properties?: goldmane.FlowUpdate.$Properties): goldmane.FlowUpdate;

        /**
         * Encodes the specified FlowUpdate message. Does not implicitly {@link goldmane.FlowUpdate.verify|verify} messages.
         * @param message FlowUpdate message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowUpdate message, length delimited. Does not implicitly {@link goldmane.FlowUpdate.verify|verify} messages.
         * @param message FlowUpdate message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowUpdate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowUpdate message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape} FlowUpdate
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape;

        /**
         * Decodes a FlowUpdate message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape} FlowUpdate
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowUpdate & goldmane.FlowUpdate.$Shape;

        /**
         * Verifies a FlowUpdate message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowUpdate message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowUpdate
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowUpdate;

        /**
         * Creates a plain object from a FlowUpdate message. Also converts values to other types if specified.
         * @param message FlowUpdate
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowUpdate, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowUpdate to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowUpdate
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowUpdate {

        /** Properties of a FlowUpdate. */
        interface $Properties {

            /** FlowUpdate flow */
            flow?: (goldmane.Flow.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowUpdate. */
        type $Shape = goldmane.FlowUpdate.$Properties;
    }

    /** Action enum. */
    enum Action {

        /** ActionUnspecified value */
        ActionUnspecified = 0,

        /** Allow value */
        Allow = 1,

        /** Deny value */
        Deny = 2,

        /** Pass value */
        Pass = 3
    }

    /** PolicyKind enum. */
    enum PolicyKind {

        /** KindUnspecified value */
        KindUnspecified = 0,

        /** CalicoNetworkPolicy value */
        CalicoNetworkPolicy = 1,

        /** GlobalNetworkPolicy value */
        GlobalNetworkPolicy = 2,

        /** StagedNetworkPolicy value */
        StagedNetworkPolicy = 3,

        /** StagedGlobalNetworkPolicy value */
        StagedGlobalNetworkPolicy = 4,

        /** StagedKubernetesNetworkPolicy value */
        StagedKubernetesNetworkPolicy = 5,

        /** NetworkPolicy value */
        NetworkPolicy = 6,

        /** ClusterNetworkPolicyAdminTier value */
        ClusterNetworkPolicyAdminTier = 7,

        /** ClusterNetworkPolicyBaselineTier value */
        ClusterNetworkPolicyBaselineTier = 8,

        /** Profile value */
        Profile = 9,

        /** EndOfTier value */
        EndOfTier = 10
    }

    /** EndpointType enum. */
    enum EndpointType {

        /** EndpointTypeUnspecified value */
        EndpointTypeUnspecified = 0,

        /** WorkloadEndpoint value */
        WorkloadEndpoint = 1,

        /** HostEndpoint value */
        HostEndpoint = 2,

        /** NetworkSet value */
        NetworkSet = 3,

        /** Network value */
        Network = 4
    }

    /** Reporter enum. */
    enum Reporter {

        /** ReporterUnspecified value */
        ReporterUnspecified = 0,

        /** Src value */
        Src = 1,

        /** Dst value */
        Dst = 2
    }

    /**
     * Properties of a FlowKey.
     * @deprecated Use goldmane.FlowKey.$Properties instead.
     */
    interface IFlowKey extends goldmane.FlowKey.$Properties {
    }

    /** Represents a FlowKey. */
    class FlowKey {

        /**
         * Constructs a new FlowKey.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.FlowKey.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FlowKey sourceName. */
        sourceName: string;

        /** FlowKey sourceNamespace. */
        sourceNamespace: string;

        /** FlowKey sourceType. */
        sourceType: goldmane.EndpointType;

        /** FlowKey destName. */
        destName: string;

        /** FlowKey destNamespace. */
        destNamespace: string;

        /** FlowKey destType. */
        destType: goldmane.EndpointType;

        /** FlowKey destPort. */
        destPort: (number|Long);

        /** FlowKey destServiceName. */
        destServiceName: string;

        /** FlowKey destServiceNamespace. */
        destServiceNamespace: string;

        /** FlowKey destServicePortName. */
        destServicePortName: string;

        /** FlowKey destServicePort. */
        destServicePort: (number|Long);

        /** FlowKey proto. */
        proto: string;

        /** FlowKey reporter. */
        reporter: goldmane.Reporter;

        /** FlowKey action. */
        action: goldmane.Action;

        /** FlowKey policies. */
        policies?: (goldmane.PolicyTrace.$Properties|null);

        /**
         * Creates a new FlowKey instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FlowKey instance
         */
        static create(properties: goldmane.FlowKey.$Shape): goldmane.FlowKey & goldmane.FlowKey.$Shape;
        static create(properties?: goldmane.FlowKey.$Properties): goldmane.FlowKey;

        /**
         * Encodes the specified FlowKey message. Does not implicitly {@link goldmane.FlowKey.verify|verify} messages.
         * @param message FlowKey message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.FlowKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified FlowKey message, length delimited. Does not implicitly {@link goldmane.FlowKey.verify|verify} messages.
         * @param message FlowKey message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.FlowKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FlowKey message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.FlowKey & goldmane.FlowKey.$Shape} FlowKey
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.FlowKey & goldmane.FlowKey.$Shape;

        /**
         * Decodes a FlowKey message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.FlowKey & goldmane.FlowKey.$Shape} FlowKey
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.FlowKey & goldmane.FlowKey.$Shape;

        /**
         * Verifies a FlowKey message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a FlowKey message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FlowKey
         */
        static fromObject(object: { [k: string]: any }): goldmane.FlowKey;

        /**
         * Creates a plain object from a FlowKey message. Also converts values to other types if specified.
         * @param message FlowKey
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.FlowKey, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this FlowKey to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for FlowKey
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace FlowKey {

        /** Properties of a FlowKey. */
        interface $Properties {

            /** FlowKey sourceName */
            sourceName?: (string|null);

            /** FlowKey sourceNamespace */
            sourceNamespace?: (string|null);

            /** FlowKey sourceType */
            sourceType?: (goldmane.EndpointType|null);

            /** FlowKey destName */
            destName?: (string|null);

            /** FlowKey destNamespace */
            destNamespace?: (string|null);

            /** FlowKey destType */
            destType?: (goldmane.EndpointType|null);

            /** FlowKey destPort */
            destPort?: (number|Long|null);

            /** FlowKey destServiceName */
            destServiceName?: (string|null);

            /** FlowKey destServiceNamespace */
            destServiceNamespace?: (string|null);

            /** FlowKey destServicePortName */
            destServicePortName?: (string|null);

            /** FlowKey destServicePort */
            destServicePort?: (number|Long|null);

            /** FlowKey proto */
            proto?: (string|null);

            /** FlowKey reporter */
            reporter?: (goldmane.Reporter|null);

            /** FlowKey action */
            action?: (goldmane.Action|null);

            /** FlowKey policies */
            policies?: (goldmane.PolicyTrace.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FlowKey. */
        type $Shape = goldmane.FlowKey.$Properties;
    }

    /**
     * Properties of a Flow.
     * @deprecated Use goldmane.Flow.$Properties instead.
     */
    interface IFlow extends goldmane.Flow.$Properties {
    }

    /** The key field is named `Key` in Calico's definition; its JSON/loader name keeps the capital. */
    class Flow {

        /**
         * Constructs a new Flow.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.Flow.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Flow Key. */
        Key?: (goldmane.FlowKey.$Properties|null);

        /** Flow startTime. */
        startTime: (number|Long);

        /** Flow endTime. */
        endTime: (number|Long);

        /** Flow sourceLabels. */
        sourceLabels: string[];

        /** Flow destLabels. */
        destLabels: string[];

        /** Flow packetsIn. */
        packetsIn: (number|Long);

        /** Flow packetsOut. */
        packetsOut: (number|Long);

        /** Flow bytesIn. */
        bytesIn: (number|Long);

        /** Flow bytesOut. */
        bytesOut: (number|Long);

        /** Flow numConnectionsStarted. */
        numConnectionsStarted: (number|Long);

        /** Flow numConnectionsCompleted. */
        numConnectionsCompleted: (number|Long);

        /** Flow numConnectionsLive. */
        numConnectionsLive: (number|Long);

        /**
         * Creates a new Flow instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Flow instance
         */
        static create(properties: goldmane.Flow.$Shape): goldmane.Flow & goldmane.Flow.$Shape;
        static create(properties?: goldmane.Flow.$Properties): goldmane.Flow;

        /**
         * Encodes the specified Flow message. Does not implicitly {@link goldmane.Flow.verify|verify} messages.
         * @param message Flow message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.Flow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified Flow message, length delimited. Does not implicitly {@link goldmane.Flow.verify|verify} messages.
         * @param message Flow message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.Flow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Flow message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.Flow & goldmane.Flow.$Shape} Flow
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.Flow & goldmane.Flow.$Shape;

        /**
         * Decodes a Flow message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.Flow & goldmane.Flow.$Shape} Flow
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.Flow & goldmane.Flow.$Shape;

        /**
         * Verifies a Flow message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a Flow message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Flow
         */
        static fromObject(object: { [k: string]: any }): goldmane.Flow;

        /**
         * Creates a plain object from a Flow message. Also converts values to other types if specified.
         * @param message Flow
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.Flow, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this Flow to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for Flow
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace Flow {

        /** Properties of a Flow. */
        interface $Properties {

            /** Flow Key */
            Key?: (goldmane.FlowKey.$Properties|null);

            /** Flow startTime */
            startTime?: (number|Long|null);

            /** Flow endTime */
            endTime?: (number|Long|null);

            /** Flow sourceLabels */
            sourceLabels?: (string[]|null);

            /** Flow destLabels */
            destLabels?: (string[]|null);

            /** Flow packetsIn */
            packetsIn?: (number|Long|null);

            /** Flow packetsOut */
            packetsOut?: (number|Long|null);

            /** Flow bytesIn */
            bytesIn?: (number|Long|null);

            /** Flow bytesOut */
            bytesOut?: (number|Long|null);

            /** Flow numConnectionsStarted */
            numConnectionsStarted?: (number|Long|null);

            /** Flow numConnectionsCompleted */
            numConnectionsCompleted?: (number|Long|null);

            /** Flow numConnectionsLive */
            numConnectionsLive?: (number|Long|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Flow. */
        type $Shape = goldmane.Flow.$Properties;
    }

    /**
     * Properties of a PolicyTrace.
     * @deprecated Use goldmane.PolicyTrace.$Properties instead.
     */
    interface IPolicyTrace extends goldmane.PolicyTrace.$Properties {
    }

    /** Represents a PolicyTrace. */
    class PolicyTrace {

        /**
         * Constructs a new PolicyTrace.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.PolicyTrace.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** PolicyTrace enforcedPolicies. */
        enforcedPolicies: goldmane.PolicyHit.$Properties[];

        /** PolicyTrace pendingPolicies. */
        pendingPolicies: goldmane.PolicyHit.$Properties[];

        /**
         * Creates a new PolicyTrace instance using the specified properties.
         * @param [properties] Properties to set
         * @returns PolicyTrace instance
         */
        static create(properties: goldmane.PolicyTrace.$Shape): goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape;
        static create(properties?: goldmane.PolicyTrace.$Properties): goldmane.PolicyTrace;

        /**
         * Encodes the specified PolicyTrace message. Does not implicitly {@link goldmane.PolicyTrace.verify|verify} messages.
         * @param message PolicyTrace message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.PolicyTrace.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified PolicyTrace message, length delimited. Does not implicitly {@link goldmane.PolicyTrace.verify|verify} messages.
         * @param message PolicyTrace message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.PolicyTrace.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a PolicyTrace message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape} PolicyTrace
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape;

        /**
         * Decodes a PolicyTrace message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape} PolicyTrace
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.PolicyTrace & goldmane.PolicyTrace.$Shape;

        /**
         * Verifies a PolicyTrace message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a PolicyTrace message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns PolicyTrace
         */
        static fromObject(object: { [k: string]: any }): goldmane.PolicyTrace;

        /**
         * Creates a plain object from a PolicyTrace message. Also converts values to other types if specified.
         * @param message PolicyTrace
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.PolicyTrace, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this PolicyTrace to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for PolicyTrace
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace PolicyTrace {

        /** Properties of a PolicyTrace. */
        interface $Properties {

            /** PolicyTrace enforcedPolicies */
            enforcedPolicies?: (goldmane.PolicyHit.$Properties[]|null);

            /** PolicyTrace pendingPolicies */
            pendingPolicies?: (goldmane.PolicyHit.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a PolicyTrace. */
        type $Shape = goldmane.PolicyTrace.$Properties;
    }

    /**
     * Properties of a PolicyHit.
     * @deprecated Use goldmane.PolicyHit.$Properties instead.
     */
    interface IPolicyHit extends goldmane.PolicyHit.$Properties {
    }

    /** Represents a PolicyHit. */
    class PolicyHit {

        /**
         * Constructs a new PolicyHit.
         * @param [properties] Properties to set
         */
        constructor(properties?: goldmane.PolicyHit.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** PolicyHit kind. */
        kind: goldmane.PolicyKind;

        /** PolicyHit namespace. */
        namespace: string;

        /** PolicyHit name. */
        name: string;

        /** PolicyHit tier. */
        tier: string;

        /** PolicyHit action. */
        action: goldmane.Action;

        /** PolicyHit policyIndex. */
        policyIndex: (number|Long);

        /** PolicyHit ruleIndex. */
        ruleIndex: (number|Long);

        /** PolicyHit trigger. */
        trigger?: (goldmane.PolicyHit.$Properties|null);

        /**
         * Creates a new PolicyHit instance using the specified properties.
         * @param [properties] Properties to set
         * @returns PolicyHit instance
         */
        static create(properties: goldmane.PolicyHit.$Shape): goldmane.PolicyHit & goldmane.PolicyHit.$Shape;
        static create(properties?: goldmane.PolicyHit.$Properties): goldmane.PolicyHit;

        /**
         * Encodes the specified PolicyHit message. Does not implicitly {@link goldmane.PolicyHit.verify|verify} messages.
         * @param message PolicyHit message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: goldmane.PolicyHit.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Encodes the specified PolicyHit message, length delimited. Does not implicitly {@link goldmane.PolicyHit.verify|verify} messages.
         * @param message PolicyHit message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encodeDelimited(message: goldmane.PolicyHit.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a PolicyHit message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {goldmane.PolicyHit & goldmane.PolicyHit.$Shape} PolicyHit
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): goldmane.PolicyHit & goldmane.PolicyHit.$Shape;

        /**
         * Decodes a PolicyHit message from the specified reader or buffer, length delimited.
         * @param reader Reader or buffer to decode from
         * @returns {goldmane.PolicyHit & goldmane.PolicyHit.$Shape} PolicyHit
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decodeDelimited(reader: ($protobuf.Reader|Uint8Array)): goldmane.PolicyHit & goldmane.PolicyHit.$Shape;

        /**
         * Verifies a PolicyHit message.
         * @param message Plain object to verify
         * @returns `null` if valid, otherwise the reason why it is not
         */
        static verify(message: { [k: string]: any }): (string|null);

        /**
         * Creates a PolicyHit message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns PolicyHit
         */
        static fromObject(object: { [k: string]: any }): goldmane.PolicyHit;

        /**
         * Creates a plain object from a PolicyHit message. Also converts values to other types if specified.
         * @param message PolicyHit
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: goldmane.PolicyHit, options?: $protobuf.IConversionOptions): { [k: string]: any };

        /**
         * Converts this PolicyHit to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: any };

        /**
         * Gets the type url for PolicyHit
         * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
         * @returns The type url
         */
        static getTypeUrl(prefix?: string): string;
    }

    namespace PolicyHit {

        /** Properties of a PolicyHit. */
        interface $Properties {

            /** PolicyHit kind */
            kind?: (goldmane.PolicyKind|null);

            /** PolicyHit namespace */
            namespace?: (string|null);

            /** PolicyHit name */
            name?: (string|null);

            /** PolicyHit tier */
            tier?: (string|null);

            /** PolicyHit action */
            action?: (goldmane.Action|null);

            /** PolicyHit policyIndex */
            policyIndex?: (number|Long|null);

            /** PolicyHit ruleIndex */
            ruleIndex?: (number|Long|null);

            /** PolicyHit trigger */
            trigger?: (goldmane.PolicyHit.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a PolicyHit. */
        type $Shape = goldmane.PolicyHit.$Properties;
    }
}
