// A projector alone in its own process, for tests that kill it (SIGKILL) in the middle of its work.
import pg from "pg";
import { createKafka, topicsFor } from "@conveyor/messaging";
import { createLogger } from "@conveyor/runtime";
import { startProjector } from "../projector.ts";

const env = process.env;
const pool = new pg.Pool({ connectionString: env.READ_DATABASE_URL, max: 2 });
await startProjector({
  pool,
  kafka: createKafka("killable-projector", (env.KAFKA_BROKERS ?? "").split(",")),
  topics: topicsFor(env.KAFKA_TOPIC_PREFIX ?? ""),
  groupId: env.GROUP_ID ?? "",
  logger: createLogger("killable-projector", { LOG_LEVEL: "silent" }),
  // Small fetches: many small batches, so a kill lands between or inside them.
  maxBytesPerPartition: Number(env.MAX_BYTES_PER_PARTITION ?? 16_384),
  // The broker's minimum: the survivor gets the partitions soon after the kill.
  sessionTimeoutMs: 6000,
});
