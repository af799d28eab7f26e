package dev.segflow.elasticsearch.root;

import org.elasticsearch.Build;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;

/**
 * Answers {@link NodeInfoRequest} from this node's applied cluster state and build; nothing is
 * asked of other nodes, so it runs on the calling thread.
 */
public class TransportNodeInfoAction extends TransportAction<NodeInfoRequest, NodeInfoResponse> {

    private final ClusterService clusterService;

    @Inject
    public TransportNodeInfoAction(TransportService transportService, ActionFilters actionFilters, ClusterService clusterService) {
        super(NodeInfoAction.NAME, actionFilters, transportService.getTaskManager(), EsExecutors.DIRECT_EXECUTOR_SERVICE);
        this.clusterService = clusterService;
    }

    @Override
    protected void doExecute(Task task, NodeInfoRequest request, ActionListener<NodeInfoResponse> listener) {
        ActionListener.completeWith(listener, () -> {
            ClusterState state = clusterService.state();
            Metadata metadata = state.metadata();
            // Until the first election commits the cluster UUID, report it as unknown ("_na_").
            String clusterUuid = metadata.clusterUUIDCommitted() ? metadata.clusterUUID() : Metadata.UNKNOWN_CLUSTER_UUID;
            return new NodeInfoResponse(
                clusterService.getNodeName(),
                state.getClusterName().value(),
                clusterUuid,
                IndexVersion.current().luceneVersion().toString(),
                Build.current()
            );
        });
    }
}
