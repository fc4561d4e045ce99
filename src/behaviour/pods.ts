/** A Deployment's pods as the mesh sees them: labels, replicas, sidecar, what listens where, which model. */
import type { Protocol } from './types.js';

type Any = Record<string, any>;

/** A Deployment's pods as the mesh sees them. */
export interface PodSet {
  namespace: string;
  deployment: string;
  labels: Record<string, string>;
  replicas: number;
  sidecar: boolean;
  /** containerPort → what listens there. */
  listeners: Map<number, Protocol | 'other'>;
  portNames: Map<string, number>;
  modelVersions: number[];
  image: string;
}

export function podSet(d: Any, configMaps: readonly Any[], autoscalers: readonly Any[], injectedNamespaces: readonly string[]): PodSet {
  const ns = d.metadata.namespace ?? 'default';
  const template = d.spec.template;
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  const inject = labels['sidecar.istio.io/inject'] ?? template.metadata?.annotations?.['sidecar.istio.io/inject'];
  const sidecar = inject === 'true' || (inject !== 'false' && injectedNamespaces.includes(ns));
  const containers: Any[] = template.spec.containers ?? [];
  const serving = containers.find((c) => (c.command ?? []).includes('tensorflow_model_server')) ?? containers[0];
  const args: string[] = serving?.args ?? [];
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const grpcPort = Number(flag('port') ?? 8500);
  const restPort = Number(flag('rest_api_port') ?? 0);
  const listeners = new Map<number, Protocol | 'other'>();
  const portNames = new Map<string, number>();
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      const isServing = c === serving;
      listeners.set(p.containerPort, isServing && p.containerPort === grpcPort ? 'grpc' : isServing && p.containerPort === restPort ? 'rest' : 'other');
      if (p.name) portNames.set(p.name, p.containerPort);
    }
  }
  return {
    namespace: ns,
    deployment: d.metadata.name,
    labels,
    replicas: replicasOf(d, autoscalers),
    sidecar,
    listeners,
    portNames,
    modelVersions: modelVersions(configMaps, ns, template.spec, args),
    image: serving?.image ?? '',
  };
}

/** The versions TF Serving loads: `specific { versions: N }` in the mounted models.config, else none known. */
function modelVersions(configMaps: readonly Any[], namespace: string, podSpec: Any, args: string[]): number[] {
  const maps = new Set((podSpec.volumes ?? []).filter((v: Any) => v.configMap).map((v: Any) => v.configMap.name));
  const config = configMaps.find((c) => c.metadata.namespace === namespace && maps.has(c.metadata.name) && c.data?.['models.config']);
  const text: string | undefined = config?.data['models.config'];
  if (text) return [...text.matchAll(/versions:\s*(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  const base = args.find((a) => a.startsWith('--model_base_path='));
  const tail = base?.split('/').pop();
  return tail && /^\d+$/.test(tail) ? [Number(tail)] : [];
}

/**
 * Pods a Deployment runs: its `spec.replicas`, else the minimum of the HorizontalPodAutoscaler that
 * scales it (the HPA raises the API server's default of 1 to its minReplicas), else 1.
 */
export function replicasOf(d: Any, objects: readonly unknown[]): number {
  if (d.spec.replicas !== undefined) return d.spec.replicas;
  const hpa = (objects as Any[]).find(
    (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.namespace === d.metadata.namespace && o.spec.scaleTargetRef?.kind === 'Deployment' && o.spec.scaleTargetRef.name === d.metadata.name,
  );
  return hpa?.spec.minReplicas ?? 1;
}
