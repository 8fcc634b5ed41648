import type { KafkaMessage } from "kafkajs";
import {
  isTracingRegistered,
  parseTraceparent,
  runInContext,
  SpanKind,
  startSpan,
  type Logger,
  type TraceContext,
} from "@conveyor/runtime";

/** A partition batch the projector committed, for its trace log lines and spans. */
export interface AppliedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** When the projector started on the batch. */
  startedAt: Date;
}

/**
 * For each trace among the batch's events (their `traceparent` headers, as the relay copied them
 * from the outbox), one "project" span under the writing request's span and one debug log line
 * carrying that trace id; events without a trace context share one new trace. Does nothing unless
 * debug lines are logged or an OpenTelemetry SDK is registered.
 */
export function traceAppliedBatch(logger: Logger, batch: AppliedBatch): void {
  // Grouping costs a header read per event: skip it when neither lines nor spans would be seen.
  if (!logger.isLevelEnabled("debug") && !isTracingRegistered()) return;
  for (const { parent, messages } of byTrace(batch.messages)) {
    const span = startSpan(
      `project ${batch.topic}`,
      SpanKind.CONSUMER,
      parent,
      {
        "messaging.system": "kafka",
        "messaging.operation": "process",
        "messaging.destination.name": batch.topic,
        "messaging.destination.partition.id": String(batch.partition),
        "messaging.batch.message_count": messages.length,
      },
      batch.startedAt,
    );
    runInContext({ trace: span.trace }, () =>
      logger.debug(
        {
          topic: batch.topic,
          partition: batch.partition,
          events: messages.length,
          firstOffset: messages[0]!.offset,
          lastOffset: messages.at(-1)!.offset,
        },
        "applied events",
      ),
    );
    span.end();
  }
}

function byTrace(
  messages: KafkaMessage[],
): Array<{ parent: TraceContext | undefined; messages: KafkaMessage[] }> {
  const groups = new Map<string, { parent: TraceContext | undefined; messages: KafkaMessage[] }>();
  for (const message of messages) {
    const header = headerText(message.headers?.traceparent);
    const group = groups.get(header) ?? { parent: parseTraceparent(header), messages: [] };
    group.messages.push(message);
    groups.set(header, group);
  }
  return [...groups.values()];
}

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? "" : first.toString();
}
