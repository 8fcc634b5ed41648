import { startTestKafka } from "../../harness/test-servers.ts";

export interface BenchKafka {
  brokers: string[];
  description: string;
  stop(): Promise<void>;
}

/** The brokers KAFKA_BROKERS names, else a broker of this run's own (single KRaft node). */
export async function benchKafka(env: Record<string, string | undefined> = process.env): Promise<BenchKafka> {
  if (env.KAFKA_BROKERS)
    return {
      brokers: env.KAFKA_BROKERS.split(","),
      description: "KAFKA_BROKERS",
      stop: () => Promise.resolve(),
    };
  const broker = await startTestKafka(0);
  return { brokers: broker.value, description: "a local single-node KRaft broker", stop: broker.stop };
}
