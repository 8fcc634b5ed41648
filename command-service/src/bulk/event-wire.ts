import { create, toJson, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  OrderCancelledSchema,
  TaskExecutionDateSetSchema,
} from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { OrderEvent } from "../order/domain/order.ts";
import type { TaskEvent } from "../task/domain/task.ts";
import type { WireEvent } from "./bulk-operation.ts";

/** The wire form of the event SetTaskExecutionDate writes. */
export function taskExecutionDateSetWire(
  event: Extract<TaskEvent, { type: "TaskExecutionDateSet" }>,
): WireEvent {
  return wire(TaskExecutionDateSetSchema, { executionDate: timestampFromDate(event.executionDate) });
}

/** The wire form of the event CancelOrders writes. */
export function orderCancelledWire(event: Extract<OrderEvent, { type: "OrderCancelled" }>): WireEvent {
  return wire(OrderCancelledSchema, { reason: event.reason });
}

function wire<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): WireEvent {
  return { eventType: schema.typeName, payload: toJson(schema, create(schema, init)) as object };
}
