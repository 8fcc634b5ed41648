import type { OutboxRecord } from "./envelope-codec.ts";

/** The Kafka record value's media type: a protobuf-binary `conveyor.events.v1.EventEnvelope`. */
export const eventContentType = "application/protobuf";
/** `ce_dataschema`: the protobuf message the record value holds, as a protobuf type URL. */
export const eventDataSchema = "type.googleapis.com/conveyor.events.v1.EventEnvelope";
/** `ce_source` of every event the command service publishes. */
export const eventSource = "/conveyor/command-service";

// W3C trace context: version 00, 16-byte trace id, 8-byte parent id, flags.
const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * CloudEvents 1.0 Kafka binary-mode headers for one event, plus the W3C `traceparent` header when the
 * outbox row carries a valid one, so any Kafka consumer can identify and decode the record.
 */
export function cloudEventHeaders(record: OutboxRecord): Record<string, string> {
  const headers: Record<string, string> = {
    ce_specversion: "1.0",
    ce_id: record.eventId,
    ce_source: eventSource,
    ce_type: record.eventType,
    ce_time: record.occurredAt.toISOString(),
    ce_subject: record.aggregateId,
    ce_dataschema: eventDataSchema,
    "content-type": eventContentType,
  };
  if (traceparentPattern.test(record.traceContext)) headers.traceparent = record.traceContext;
  return headers;
}
