package dev.segflow.elasticsearch.root;

import org.elasticsearch.action.ActionType;

/** The action behind {@code GET /}. */
public final class NodeInfoAction {

    /**
     * Same name as Elasticsearch's own main action, so roles that grant {@code monitor} (or the
     * action by name) authorize {@code GET /} exactly as on a full distribution.
     */
    public static final String NAME = "cluster:monitor/main";

    public static final ActionType<NodeInfoResponse> TYPE = new ActionType<>(NAME);

    private NodeInfoAction() {}
}
