// Container health check (`node grpc-health-check.mjs PORT`): exits 0 when the gRPC server on 127.0.0.1:PORT answers grpc.health.v1.Health/Check
// with SERVING for the whole server (""), else 1. Plain JavaScript on @grpc/grpc-js, so a probe costs no
// TypeScript compilation. The request is the empty message; SERVING is field 1 = 1, encoded as 08 01.
import * as grpc from "@grpc/grpc-js";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error(`usage: grpc-health-check.mjs PORT, got "${process.argv[2]}"`);
  process.exit(2);
}
const identity = (bytes) => bytes;
const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
client.makeUnaryRequest(
  "/grpc.health.v1.Health/Check",
  identity,
  identity,
  Buffer.alloc(0),
  { deadline: Date.now() + 3000 },
  (error, response) => {
    client.close();
    const serving = !error && Buffer.from([0x08, 0x01]).equals(response);
    if (!serving) console.error(error ? error.message : `not serving: ${response?.toString("hex")}`);
    process.exit(serving ? 0 : 1);
  },
);
