package dev.segflow.elasticsearch.root;

import static org.elasticsearch.rest.RestRequest.Method.GET;
import static org.elasticsearch.rest.RestRequest.Method.HEAD;

import java.util.List;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /} and {@code HEAD /}. The body is pretty-printed unless the caller passes
 * {@code ?pretty} itself (as Elasticsearch does for this endpoint); HEAD sends the status and
 * headers only, which the HTTP layer takes care of.
 */
public class RestRootHandler extends BaseRestHandler {

    @Override
    public String getName() {
        return "segflow_rest_root_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/"), new Route(HEAD, "/"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        boolean prettyByDefault = request.hasParam("pretty") == false;
        return channel -> client.execute(NodeInfoAction.TYPE, new NodeInfoRequest(), new RestBuilderListener<>(channel) {
            @Override
            public RestResponse buildResponse(NodeInfoResponse response, XContentBuilder builder) throws Exception {
                if (prettyByDefault) {
                    builder.prettyPrint().lfAtEnd();
                }
                response.toXContent(builder, request);
                return new RestResponse(RestStatus.OK, builder);
            }
        });
    }

    @Override
    public boolean canTripCircuitBreaker() {
        return false;
    }
}
