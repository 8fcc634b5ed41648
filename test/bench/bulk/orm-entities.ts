import { EntitySchema } from "typeorm";

/** The tasks table as the ORM sees it (bench only: the service itself uses raw SQL). */
export interface TaskRecord {
  id: string;
  title: string;
  month: number;
  category: string;
  completed: boolean;
  executionDate: Date | null;
  version: string;
  updatedAt: Date;
}

export const TaskEntity = new EntitySchema<TaskRecord>({
  name: "Task",
  tableName: "tasks",
  columns: {
    id: { type: "uuid", primary: true },
    title: { type: "text" },
    month: { type: "smallint" },
    category: { type: "text" },
    completed: { type: "boolean" },
    executionDate: { name: "execution_date", type: "timestamptz", nullable: true },
    version: { type: "bigint" },
    updatedAt: { name: "updated_at", type: "timestamptz" },
  },
});

export interface OutboxRecord {
  id?: string;
  eventId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: string;
  eventType: string;
  payload: object;
  correlationId: string;
  causationId: string;
}

export const OutboxEntity = new EntitySchema<OutboxRecord>({
  name: "Outbox",
  tableName: "outbox",
  columns: {
    id: { type: "bigint", primary: true, generated: "increment" },
    eventId: { name: "event_id", type: "uuid" },
    aggregateType: { name: "aggregate_type", type: "text" },
    aggregateId: { name: "aggregate_id", type: "uuid" },
    aggregateVersion: { name: "aggregate_version", type: "bigint" },
    eventType: { name: "event_type", type: "text" },
    payload: { type: "jsonb" },
    correlationId: { name: "correlation_id", type: "text" },
    causationId: { name: "causation_id", type: "text" },
  },
});
