export { topicsFor, eventTopics, topicForAggregate, type Topics } from "./topics.ts";
export { createKafka } from "./kafka-client.ts";
export { startOutboxRelay, relayOnce, type OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";
export { envelopeOf, encodeEnvelope, decodeEnvelope, type OutboxRecord } from "./envelope-codec.ts";
