import { defineConfig } from "vitest/config";

// Test tiers live in the file name: *.unit.spec.ts (no I/O), *.int.spec.ts (real PostgreSQL / Kafka),
// *.e2e.spec.ts (the whole stack over gRPC). `npm test` runs all three; `npm run test:<tier>` one.
// *.scale.spec.ts (a multi-process cluster, minutes of load and faults) runs only as `npm run test:scale`.
// *.hardening.spec.ts (faults, load, fuzzing) runs short in `npm test` and full in `npm run hardening`.
const exclude = ["**/node_modules/**", ".cache/**"];
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["**/*.unit.spec.ts"], exclude } },
      {
        test: {
          name: "int",
          include: ["**/*.int.spec.ts"],
          exclude,
          globalSetup: ["test/harness/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["**/*.e2e.spec.ts"],
          exclude,
          globalSetup: ["test/harness/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "hardening",
          include: ["**/*.hardening.spec.ts"],
          exclude,
          globalSetup: ["test/harness/global-setup.ts", "test/hardening/figures-summary.ts"],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "scale",
          include: ["**/*.scale.spec.ts"],
          exclude,
          testTimeout: 900_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
