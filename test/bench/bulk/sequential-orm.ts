import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { setTaskExecutionDate } from "../../../command-service/src/task/domain/set-task-execution-date.ts";
import { taskEventPayload } from "../../../command-service/src/task/task-event-payloads.ts";
import { OutboxEntity, TaskEntity, type TaskRecord } from "./orm-entities.ts";
import { benchFilter } from "./seed-tasks.ts";

/**
 * The way the question in the seed article did it: load the tasks through the ORM repository, then
 * for each one check it in memory and save it (with its event) in its own transaction, one by one.
 * `limit` caps how many tasks are processed. Returns how many were updated.
 */
export async function sequentialOrmUpdate(
  db: DataSource,
  executionDate: Date,
  limit: number,
): Promise<number> {
  const tasks = await db.getRepository(TaskEntity).find({ where: benchFilter, take: limit });
  const command = setTaskExecutionDate(executionDate);
  let updated = 0;
  for (const record of tasks) {
    const execution = command.execute(toTask(record));
    if (!execution.changed) continue;
    const version = String(Number(record.version) + 1);
    await db.transaction(async (manager) => {
      await manager.save(TaskEntity, {
        ...record,
        executionDate: execution.state.executionDate,
        version,
        updatedAt: new Date(),
      });
      const { eventType, payload } = taskEventPayload(execution.event);
      await manager.insert(OutboxEntity, {
        eventId: randomUUID(),
        aggregateType: "TASK",
        aggregateId: record.id,
        aggregateVersion: version,
        eventType,
        payload,
        correlationId: "sequential",
        causationId: "sequential/1",
      });
    });
    updated += 1;
  }
  return updated;
}

function toTask(record: TaskRecord) {
  return { ...record, version: Number(record.version) };
}
