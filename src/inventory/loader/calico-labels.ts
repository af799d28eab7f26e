/** Label names Calico and Kubernetes set on endpoints, which the converters fold into selectors. */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
export const NAME_LABEL = 'projectcalico.org/name';
export const K8S_NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
