import type { KafkaMessage } from "kafkajs";
import { decodeEnvelope } from "@conveyor/messaging";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { DeadLetter } from "./dead-letters.ts";

export interface DecodedMessages {
  events: EventEnvelope[];
  /** The message each event came from, to dead-letter it unchanged. */
  messageOf: Map<EventEnvelope, KafkaMessage>;
  undecodable: DeadLetter[];
}

/** Decodes a partition's messages; one that is not an event of the topic's aggregate type is poison. */
export function decodeMessages(messages: KafkaMessage[], expected: AggregateType): DecodedMessages {
  const decoded: DecodedMessages = { events: [], messageOf: new Map(), undecodable: [] };
  for (const message of messages) {
    const reason = check(message, expected);
    if (typeof reason === "string") {
      decoded.undecodable.push({ message, reason });
      continue;
    }
    decoded.events.push(reason);
    decoded.messageOf.set(reason, message);
  }
  return decoded;
}

function check(message: KafkaMessage, expected: AggregateType): EventEnvelope | string {
  if (!message.value) return "the message has no value";
  let event: EventEnvelope;
  try {
    event = decodeEnvelope(message.value);
  } catch (error) {
    return `the value is not a conveyor.events.v1.EventEnvelope: ${String(error)}`;
  }
  if (event.aggregateType !== expected)
    return `aggregate type ${event.aggregateType} does not belong on this topic (expected ${expected})`;
  if (!event.aggregateId) return "the event has no aggregate id";
  if (event.payload.case === undefined) return "the event has no payload";
  return event;
}
