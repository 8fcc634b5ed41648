import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";

/**
 * The Kafka topics of one deployment: one per aggregate type, the dead-letter topic, and the relay's
 * watermark topic (one partition; see consistency-token.ts).
 */
export interface Topics {
  users: string;
  orders: string;
  tasks: string;
  deadLetter: string;
  watermarks: string;
}

export function topicsFor(prefix: string): Topics {
  return {
    users: `${prefix}.users.v1`,
    orders: `${prefix}.orders.v1`,
    tasks: `${prefix}.tasks.v1`,
    deadLetter: `${prefix}.dead-letter.v1`,
    watermarks: `${prefix}.watermarks.v1`,
  };
}

export function eventTopics(topics: Topics): string[] {
  return [topics.users, topics.orders, topics.tasks];
}

export function topicForAggregate(topics: Topics, type: AggregateType): string {
  switch (type) {
    case AggregateType.USER:
      return topics.users;
    case AggregateType.ORDER:
      return topics.orders;
    case AggregateType.TASK:
      return topics.tasks;
    default:
      throw new Error(`no topic for aggregate type ${type}`);
  }
}

/** The aggregate type whose events `topic` carries, or undefined for a topic that carries none. */
export function aggregateOfTopic(topics: Topics, topic: string): AggregateType | undefined {
  if (topic === topics.users) return AggregateType.USER;
  if (topic === topics.orders) return AggregateType.ORDER;
  if (topic === topics.tasks) return AggregateType.TASK;
  return undefined;
}
