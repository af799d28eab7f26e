package dev.segflow.elasticsearch.root;

import java.io.IOException;
import java.util.Objects;

import org.elasticsearch.Build;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * What {@code GET /} reports: the node, its cluster and the build it runs. Rendered with the
 * field names and order of Elasticsearch's main endpoint, which clients parse.
 */
public final class NodeInfoResponse extends ActionResponse implements ToXContentObject {

    static final String TAGLINE = "You Know, for Search";

    private final String nodeName;
    private final String clusterName;
    private final String clusterUuid;
    private final String luceneVersion;
    private final Build build;

    public NodeInfoResponse(String nodeName, String clusterName, String clusterUuid, String luceneVersion, Build build) {
        this.nodeName = Objects.requireNonNull(nodeName);
        this.clusterName = Objects.requireNonNull(clusterName);
        this.clusterUuid = Objects.requireNonNull(clusterUuid);
        this.luceneVersion = Objects.requireNonNull(luceneVersion);
        this.build = Objects.requireNonNull(build);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("name", nodeName);
        builder.field("cluster_name", clusterName);
        builder.field("cluster_uuid", clusterUuid);
        builder.startObject("version");
        builder.field("number", build.qualifiedVersion());
        builder.field("build_flavor", build.flavor());
        builder.field("build_type", build.type().displayName());
        builder.field("build_hash", build.hash());
        builder.field("build_date", build.date());
        builder.field("build_snapshot", build.isSnapshot());
        builder.field("lucene_version", luceneVersion);
        builder.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
        builder.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
        builder.endObject();
        builder.field("tagline", TAGLINE);
        return builder.endObject();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        TransportAction.localOnly();
    }
}
