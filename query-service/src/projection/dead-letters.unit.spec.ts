import type { KafkaMessage, Producer, ProducerRecord } from "kafkajs";
import { describe, expect, it } from "vitest";
import { sendDeadLetters } from "./dead-letters.ts";

const message = (offset: string): KafkaMessage =>
  ({ key: Buffer.from(`key-${offset}`), value: Buffer.from("bad"), offset, headers: {} }) as KafkaMessage;

/** A producer whose first `failures` sends throw, recording every send. */
function flakyProducer(failures: number) {
  const sends: ProducerRecord[] = [];
  const producer = {
    send: (record: ProducerRecord) => {
      sends.push(record);
      if (sends.length <= failures) return Promise.reject(new Error(`leader moved (send ${sends.length})`));
      return Promise.resolve([]);
    },
  } as unknown as Producer;
  return { producer, sends };
}

const source = { topic: "t.orders.v1", partition: 2 };
const letters = [message("7"), message("8")].map((m) => ({ message: m, reason: "poison" }));

describe("sendDeadLetters", () => {
  it("sends a failed send again whole, every letter in each attempt", async () => {
    const { producer, sends } = flakyProducer(2);
    await sendDeadLetters(producer, "t.dead-letter.v1", source, letters, { pauseMs: 1 });
    expect(sends).toHaveLength(3);
    for (const send of sends) {
      expect(send.topic).toBe("t.dead-letter.v1");
      expect(send.acks).toBe(-1);
      expect(send.messages.map((m) => [String(m.key), m.headers?.dlt_offset])).toEqual([
        ["key-7", "7"],
        ["key-8", "8"],
      ]);
    }
  });

  it("throws the last error once every attempt failed, so the batch is rolled back and retried", async () => {
    const { producer, sends } = flakyProducer(10);
    await expect(
      sendDeadLetters(producer, "t.dead-letter.v1", source, letters, { attempts: 3, pauseMs: 1 }),
    ).rejects.toThrow("leader moved (send 3)");
    expect(sends).toHaveLength(3);
  });

  it("sends nothing when there is nothing to dead-letter", async () => {
    const { producer, sends } = flakyProducer(0);
    await sendDeadLetters(producer, "t.dead-letter.v1", source, []);
    expect(sends).toEqual([]);
  });
});
