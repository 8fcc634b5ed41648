import { Kafka, logLevel } from "kafkajs";

/** A kafkajs client with quiet logging; kafkajs' own logs are noisy at INFO. */
export function createKafka(clientId: string, brokers: string[]): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.WARN, retry: { retries: 10 } });
}
