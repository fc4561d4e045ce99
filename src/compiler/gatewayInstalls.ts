/**
 * What an Istio ingress gateway install looks like from a Gateway and an AuthorizationPolicy: the
 * labels of its pods, the identity they run as, and the ports its Service exposes to clients. The
 * only place these facts live; the schema's `gateway.install` describes them for users.
 *
 * - helm: Istio's documented install, chart `istio/gateway` as release `istio-ingress` in namespace
 *   `istio-ingress`. The chart labels the pods `istio: <release name without "istio-">` and runs
 *   them as a service account named like the release; its Service exposes 15021 (status), 80, 443.
 * - istioctl: the legacy `istio-ingressgateway` of istioctl's profiles; its Service exposes 15021,
 *   80 and 443 (the demo profile adds 31400 and 15443, for tasks of Istio's documentation).
 */
export const GATEWAY_INSTALLS = {
  helm: { title: "Istio's Helm-installed gateway", selector: { istio: 'ingress' }, serviceAccount: 'istio-ingress/istio-ingress', clientPorts: [80, 443] },
  istioctl: {
    title: "istioctl's ingress gateway",
    selector: { istio: 'ingressgateway' },
    serviceAccount: 'istio-system/istio-ingressgateway-service-account',
    clientPorts: [80, 443],
  },
} as const satisfies Record<string, { title: string; selector: Record<string, string>; serviceAccount: string; clientPorts: readonly number[] }>;

export type GatewayInstall = keyof typeof GATEWAY_INSTALLS;
