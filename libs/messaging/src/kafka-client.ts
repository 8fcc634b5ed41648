// Before kafkajs loads: it replaces a kafkajs module that kafkajs captures on loading.
import "./kafkajs-grouping.ts";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { speedUpKafkajsRecords } from "./kafkajs-records.ts";

/** A kafkajs client with quiet logging (kafkajs' own logs are noisy at INFO); `overrides` for tests and tuning. */
export function createKafka(
  clientId: string,
  brokers: string[],
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  speedUpKafkajsRecords();
  return new Kafka({ clientId, brokers, logLevel: logLevel.WARN, retry: { retries: 10 }, ...overrides });
}
