import type { Pool, PoolClient } from "pg";
import type { KafkaMessage, Producer } from "kafkajs";
import { aggregateOfTopic, type Topics } from "@conveyor/messaging";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { applyEvents } from "./apply-events.ts";
import { DatabaseUnreachable, isRetriableDatabaseError } from "./db-errors.ts";
import { sendDeadLetters, type DeadLetter } from "./dead-letters.ts";
import { decodeMessages } from "./decode-messages.ts";
import { claimPosition, savePosition } from "./partition-position.ts";
import { applyWatermarks } from "./watermark-store.ts";

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface BatchContext {
  pool: Pool;
  producer: Producer;
  topics: Topics;
  /** Attempts at one event, each in its own savepoint, before it goes to the dead-letter topic. */
  eventAttempts: number;
}

export type BatchOutcome =
  | { kind: "applied"; events: number; deadLettered: number }
  /** The batch starts past the read model's position (e.g. after a database swap): read from `offset`. */
  | { kind: "seek"; offset: bigint };

/**
 * Applies one partition's batch in one read-DB transaction that also advances the partition's position,
 * so a redelivered message changes nothing. Poison messages go to the dead-letter topic before the commit.
 * Availability errors (connection lost, deadlock) are thrown for the caller to pause and retry.
 */
export async function projectBatch(context: BatchContext, batch: PartitionBatch): Promise<BatchOutcome> {
  const db = await context.pool.connect().catch((error: unknown) => {
    throw new DatabaseUnreachable(`cannot connect to the read database: ${String(error)}`, { cause: error });
  });
  // pg emits "error" on a checked-out client whose connection drops (e.g. a database restart), besides
  // failing its queries, and the pool listens only on idle clients: unheard, it would crash the process.
  // The failed query already reports the problem; once released, the pool's own listener takes over.
  const ignoreDrop = () => undefined;
  db.on("error", ignoreDrop);
  try {
    await db.query("BEGIN");
    const outcome = await projectInTransaction(db, context, batch);
    await db.query(outcome.kind === "applied" ? "COMMIT" : "ROLLBACK");
    db.release();
    return outcome;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    db.release(error instanceof Error ? error : true);
    throw error;
  } finally {
    db.off("error", ignoreDrop);
  }
}

async function projectInTransaction(
  db: PoolClient,
  context: BatchContext,
  batch: PartitionBatch,
): Promise<BatchOutcome> {
  const position = await claimPosition(db, batch.topic, batch.partition);
  const fresh = batch.messages.filter((message) => position === null || BigInt(message.offset) >= position);
  if (fresh.length === 0) return { kind: "applied", events: 0, deadLettered: 0 };
  if (position !== null && BigInt(fresh[0]!.offset) > position) return { kind: "seek", offset: position };
  const rejected = await applyMessages(db, context, batch.topic, fresh);
  await savePosition(db, batch.topic, batch.partition, BigInt(fresh.at(-1)!.offset) + 1n);
  await sendDeadLetters(context.producer, context.topics.deadLetter, batch, rejected);
  return { kind: "applied", events: fresh.length - rejected.length, deadLettered: rejected.length };
}

function applyMessages(db: PoolClient, context: BatchContext, topic: string, messages: KafkaMessage[]) {
  if (topic === context.topics.watermarks) return applyWatermarks(db, messages);
  const aggregate = aggregateOfTopic(context.topics, topic);
  if (aggregate === undefined) throw new Error(`the projector does not read topic ${topic}`);
  return applyEventMessages(db, context, aggregate, messages);
}

async function applyEventMessages(
  db: PoolClient,
  context: BatchContext,
  aggregate: AggregateType,
  messages: KafkaMessage[],
): Promise<DeadLetter[]> {
  const { events, messageOf, undecodable } = decodeMessages(messages, aggregate);
  const letter = ({ event, reason }: { event: EventEnvelope; reason: string }) => ({
    message: messageOf.get(event)!,
    reason,
  });
  try {
    const rejected = await inSavepoint(db, () => applyEvents(db, aggregate, events));
    return [...undecodable, ...rejected.map(letter)];
  } catch (error) {
    if (isRetriableDatabaseError(error)) throw error;
    // Some event breaks the batch's statements: apply them one by one to find it and keep the rest.
    const rejected = [];
    for (const event of events) rejected.push(...(await applyAlone(db, context, aggregate, event)));
    return [...undecodable, ...rejected.map(letter)];
  }
}

async function applyAlone(
  db: PoolClient,
  context: BatchContext,
  aggregate: AggregateType,
  event: EventEnvelope,
) {
  let lastError: unknown;
  for (let attempt = 1; attempt <= context.eventAttempts; attempt++) {
    try {
      return await inSavepoint(db, () => applyEvents(db, aggregate, [event]));
    } catch (error) {
      if (isRetriableDatabaseError(error)) throw error;
      lastError = error;
    }
  }
  return [
    { event, reason: `the read database refused it ${context.eventAttempts} times: ${String(lastError)}` },
  ];
}

async function inSavepoint<T>(db: PoolClient, work: () => Promise<T>): Promise<T> {
  await db.query("SAVEPOINT apply");
  try {
    const result = await work();
    await db.query("RELEASE SAVEPOINT apply");
    return result;
  } catch (error) {
    await db.query("ROLLBACK TO SAVEPOINT apply");
    throw error;
  }
}
