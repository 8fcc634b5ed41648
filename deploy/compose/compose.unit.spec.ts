import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface ComposeService {
  image?: string;
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
}

const compose = parse(readFileSync(new URL("compose.yaml", import.meta.url), "utf8"), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = Object.entries(compose.services);

describe("compose file (deploy/compose)", () => {
  it.each(services.filter(([, service]) => service.restart !== "no"))(
    "%s, a long-running service, has a health check",
    (_, service) => {
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
    },
  );

  it.each(services.filter(([, service]) => service.depends_on))(
    "%s waits for healthy services and finished one-shot steps",
    (_, service) => {
      for (const [name, { condition }] of Object.entries(service.depends_on!)) {
        const dependency = compose.services[name];
        expect(dependency, name).toBeDefined();
        if (condition === "service_healthy") expect(dependency!.healthcheck, name).toBeDefined();
        else expect([condition, dependency!.restart]).toEqual(["service_completed_successfully", "no"]);
      }
    },
  );

  it.each([
    ["command-service", "COMMAND_SERVICE_PORT"],
    ["query-service", "QUERY_SERVICE_PORT"],
  ])("%s's gRPC health check probes the port it listens on", (name, portVariable) => {
    const service = compose.services[name]!;
    expect(service.healthcheck!.test).toEqual([
      "CMD",
      "node",
      "deploy/docker/grpc-health-check.mjs",
      String(service.environment![portVariable]),
    ]);
  });
});
