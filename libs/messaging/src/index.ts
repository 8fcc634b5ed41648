// Before kafkajs loads: it replaces a kafkajs module that kafkajs captures on loading.
import "./kafkajs-grouping.ts";
export { topicsFor, eventTopics, topicForAggregate, aggregateOfTopic, type Topics } from "./topics.ts";
export { createKafka } from "./kafka-client.ts";
export {
  startOutboxRelay,
  defaultMaxBatchBytes,
  type OutboxRelay,
  type OutboxRelayOptions,
} from "./outbox-relay.ts";
export { relayMessage, relayBatchBytesOf } from "./relay-messages.ts";
export type { RelayStatsSnapshot } from "./relay-stats.ts";
export { readOutboxBacklog, outboxChannel, type OutboxBacklog } from "./outbox-table.ts";
export { envelopeOf, encodeEnvelope, decodeEnvelope, type OutboxRecord } from "./envelope-codec.ts";
export { cloudEventHeaders, eventContentType, eventDataSchema, eventSource } from "./cloud-events.ts";
export {
  readConsistencyToken,
  encodeConsistencyToken,
  decodeConsistencyToken,
  consistencyHorizonSql,
} from "./consistency-token.ts";
export {
  encodeWatermark,
  decodeWatermark,
  type Watermark,
  type PartitionOffset,
} from "./watermark-message.ts";
export { ensureWatermarkTopic } from "./watermark-topic.ts";
export { createWakeSignal, delay, type WakeSignal } from "./wake-signal.ts";
