import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus } from "@conveyor/proto/grpc/health/v1/health_pb";
import { createGrpcJsClient } from "@conveyor/runtime/testing";
import { startStack, type Stack } from "../../harness/stack.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { FuzzLane, FuzzTally, type FuzzInput } from "./fuzz-campaign.ts";
import { frameCase } from "./frame-cases.ts";
import { FuzzInputs } from "./fuzz-inputs.ts";
import { H2Connection, rawTcp } from "./h2-exchange.ts";
import { fuzzTargets, type KnownAggregates, type ServiceName } from "./fuzz-targets.ts";
import { hardeningSeed, Prng } from "./prng.ts";
import { RawGrpcClient } from "./raw-grpc-client.ts";
import { concat } from "./wire.ts";
import { WriteFingerprint } from "./write-fingerprint.ts";

// Bad input over real sockets against both services: mutated and random protobuf, wrong wire types,
// invalid UTF-8, hostile values and filters, nesting and repeated fields past every limit. Every input
// must get a gRPC status that is not a server failure, a refused command-service request must write
// nothing, and both services must stay SERVING.
const full = hardeningScale() === "full";
const randomInputs = Number(process.env.HARDENING_FUZZ_INPUTS ?? (full ? 50_000 : 1_200));
const frameInputs = Number(process.env.HARDENING_FUZZ_FRAMES ?? (full ? 5_000 : 200));
const tcpInputs = full ? 400 : 20;
const seed = hardeningSeed();
// Exports that wait for a consistency token the read model never reaches give up quickly.
process.env.EXPORT_CONSISTENCY_WAIT_MS ??= "200";

describe(`bad-input fuzzing (seed ${seed})`, () => {
  let stack: Stack;
  let writes: WriteFingerprint;

  beforeAll(async () => {
    stack = await startStack("fuzz");
    writes = await WriteFingerprint.install(stack.writeDatabaseUrl);
  });

  afterAll(async () => {
    await writes?.close();
    await stack?.stop();
  });

  it("answers every input with a gRPC status, never a server failure; refused requests write nothing", async () => {
    console.log(`[fuzz] seed ${seed} (HARDENING_SEED=${seed} repeats this run's inputs)`);
    const tally = new FuzzTally();
    const prng = new Prng(seed);
    const metadata = stack.metadata;
    let known: KnownAggregates = { users: [], orders: [], tasks: [] };
    const refreshKnown = async () => {
      const [users, orders, tasks] = await Promise.all([
        writes.ids("users", 50),
        writes.ids("orders", 50),
        writes.ids("tasks", 50),
      ]);
      known = { users, orders, tasks };
    };
    const lanes: Array<[ServiceName, number, WriteFingerprint | undefined, Prng]> = [
      ["command", stack.commandPort, writes, prng.fork()],
      ["query", stack.queryPort, undefined, prng.fork()],
    ];
    const prepared = lanes.map(([service, port, fingerprint, random]) => {
      const inputs = new FuzzInputs(
        random,
        fuzzTargets().filter((t) => t.service === service),
        () => known,
      );
      // Made before any lane runs: building million-element messages blocks this process (the services'
      // too) long enough to push a running call past its deadline.
      const limits = [...inputs.deepNesting(), ...inputs.hugeRepeated()];
      return { service, port, fingerprint, random, inputs, limits };
    });
    const started = performance.now();
    await Promise.all(
      prepared.map(async ({ service, port, fingerprint, random, inputs, limits }) => {
        const client = new RawGrpcClient(`127.0.0.1:${port}`);
        const lane = new FuzzLane(service, client, metadata, tally, fingerprint);
        const health = healthChecker(port);
        try {
          for (let i = 0; i < randomInputs / 2; i += 1) {
            if (service === "command" && i % 200 === 0) await refreshKnown();
            await lane.send(randomInput(inputs, random), `${service}#${i}`);
            if (i % 250 === 249) await health.expectServing(`after ${service} input #${i}`);
          }
          for (const [i, input] of limits.entries()) await lane.send(input, `${service}#limits-${i}`);
          await health.expectServing(`after the ${service} limit inputs`);
          const connection = new H2Connection(`http://127.0.0.1:${port}`);
          try {
            for (let i = 0; i < frameInputs / 2; i += 1)
              await lane.sendFrame(
                frameCase(random, inputs.targets, known, stack.headers),
                connection,
                `${service}#frame-${i}`,
              );
          } finally {
            connection.close();
          }
          tally.count("connection", connection.reconnects === 0 ? "kept" : "reconnected");
          if (connection.reconnects > 0)
            tally.findings.push(
              `${service}: the server closed ${connection.reconnects} HTTP/2 connection(s) during the frame inputs`,
            );
          for (let i = 0; i < tcpInputs / 2; i += 1)
            tally.count("raw-tcp", await rawTcp(port, tcpGarbage(random), 5_000));
          await health.expectServing(`after every ${service} input`);
        } finally {
          client.close();
          health.close();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`[fuzz] seconds per category: ${JSON.stringify(tally.secondsPerCategory())}`);
    console.log(`[fuzz] slowest inputs: ${JSON.stringify(tally.slowest)}`);

    const summary = tally.summary();
    reportFigures("fuzz", {
      seed,
      inputs: tally.inputs(),
      seconds: Math.round(seconds),
      ...Object.fromEntries([...tally.codes.keys()].map((category) => [category, tally.inputs(category)])),
      findings: tally.findings.length,
      knownIssues: tally.inputs("known issues"),
    });
    reportFigures("fuzz codes", summary);
    expect(tally.findings).toEqual([]);
  });
});

function randomInput(inputs: FuzzInputs, prng: Prng): FuzzInput {
  return prng.weighted<() => FuzzInput>([
    [40, () => inputs.mutated()],
    [8, () => inputs.randomBytes()],
    [10, () => inputs.wireTypes()],
    [10, () => inputs.invalidUtf8()],
    [15, () => inputs.hostileValues()],
    [10, () => inputs.hostileFilter()],
    [7, () => inputs.validRequest()],
  ])();
}

/** Bytes that are not a proper HTTP/2 or HTTP/1.1 conversation: random, or a preface followed by garbage frames. */
function tcpGarbage(prng: Prng): Uint8Array {
  const preface = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  const http1 = new TextEncoder().encode(
    "POST /conveyor.command.v1.CommandService/BatchExecute HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
  );
  const garbage = prng.bytes(prng.int(1, 512));
  return prng.pick([garbage, concat(preface, garbage), concat(http1, garbage)]);
}

function healthChecker(port: number) {
  const client = createGrpcJsClient(Health, `127.0.0.1:${port}`);
  return {
    async expectServing(when: string) {
      const response = await client.check({}, undefined, { deadline: Date.now() + 30_000 });
      expect(response.status, `health ${when}`).toBe(HealthCheckResponse_ServingStatus.SERVING);
    },
    close: () => client.close(),
  };
}
