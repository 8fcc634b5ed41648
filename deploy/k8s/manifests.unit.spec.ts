import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";

// Each kind we ship, with the model that validates it against the Kubernetes OpenAPI schema.
const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}
type Labels = Record<string, string>;
interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: { grpc?: { port: number } };
  livenessProbe?: { grpc?: { port: number } };
  startupProbe?: { grpc?: { port: number } };
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}

const folder = new URL("./", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, folder), "utf8");
const kustomization = parseAllDocuments(read("kustomization.yaml"))[0]!.toJS() as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(file)).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.join("; ")}`);
    return document.toJS() as Manifest;
  }),
);
const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const deployments = ofKind("Deployment");
const podSpec = (deployment: Manifest) => (deployment.spec!.template as { spec: PodSpec }).spec;
const podLabels = (deployment: Manifest) =>
  (deployment.spec!.template as { metadata: { labels: Labels } }).metadata.labels;
const selects = (selector: Labels, labels: Labels) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe("Kubernetes manifests (deploy/k8s)", () => {
  it("lists every manifest file of the folder in kustomization.yaml", () => {
    const files = readdirSync(folder).filter(
      (file) => file.endsWith(".yaml") && file !== "kustomization.yaml",
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(manifests.map((manifest) => [`${manifest.kind} ${manifest.metadata?.name}`, manifest] as const))(
    "%s is a valid Kubernetes object",
    (_, manifest) => {
      expect(manifest.metadata.name).toMatch(/^[a-z0-9-]+$/);
      const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `no schema for ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(() => new Model!(manifest as never).validate()).not.toThrow();
    },
  );

  it.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))(
    "%s probes the gRPC health service on a port it declares, as a non-root user",
    (_, deployment) => {
      const pod = podSpec(deployment);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      for (const container of pod.containers) {
        const ports = (container.ports ?? []).map((port) => port.containerPort);
        for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe])
          expect(ports).toContain(probe?.grpc?.port);
      }
    },
  );

  it("takes configuration only from the ConfigMap and Secret it ships", () => {
    const configMaps = ofKind("ConfigMap").map((manifest) => manifest.metadata.name);
    const secrets = ofKind("Secret").map((manifest) => manifest.metadata.name);
    const containers = deployments.flatMap((d) => [
      ...podSpec(d).containers,
      ...(podSpec(d).initContainers ?? []),
    ]);
    for (const source of containers.flatMap((container) => container.envFrom ?? [])) {
      if (source.configMapRef) expect(configMaps).toContain(source.configMapRef.name);
      if (source.secretRef) expect(secrets).toContain(source.secretRef.name);
    }
  });

  it("routes each Service to the pods of one Deployment, on a named container port", () => {
    for (const service of ofKind("Service")) {
      const spec = service.spec as { selector: Labels; ports: { targetPort: string }[] };
      const targets = deployments.filter((deployment) => selects(spec.selector, podLabels(deployment)));
      expect(targets).toHaveLength(1);
      const portNames = podSpec(targets[0]!).containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of spec.ports) expect(portNames).toContain(port.targetPort);
    }
  });

  it("covers each Deployment with one PodDisruptionBudget", () => {
    for (const deployment of deployments) {
      const budgets = ofKind("PodDisruptionBudget").filter((budget) =>
        selects(
          (budget.spec as { selector: { matchLabels: Labels } }).selector.matchLabels,
          podLabels(deployment),
        ),
      );
      expect(budgets, deployment.metadata.name).toHaveLength(1);
    }
  });

  it("autoscales query-service, whose Deployment leaves the replica count to the autoscaler", () => {
    const [autoscaler] = ofKind("HorizontalPodAutoscaler");
    const target = autoscaler!.spec!.scaleTargetRef as { kind: string; name: string };
    expect(target).toMatchObject({ kind: "Deployment", name: "query-service" });
    const deployment = deployments.find((candidate) => candidate.metadata.name === target.name);
    expect(deployment!.spec!.replicas).toBeUndefined();
  });
});
