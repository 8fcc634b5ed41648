import { describe, expect, it } from "vitest";
import { permissionDenied } from "./access.ts";
import { permissionCatalog } from "./permission-catalog.ts";
import { PermissionSet } from "./permissions.ts";

describe("PermissionSet", () => {
  it("grants a name, a whole kind, or everything", () => {
    const some = PermissionSet.parse(["command:CreateTask", "export:*"]);
    expect(some.allows("command", "CreateTask")).toBe(true);
    expect(some.allows("command", "CreateUser")).toBe(false);
    expect(some.allows("export", "users")).toBe(true);
    expect(some.allows("bulk", "SuspendUsers")).toBe(false);
    expect([some.allowsAny("command"), some.allowsAny("export"), some.allowsAny("bulk")]).toEqual([
      true,
      true,
      false,
    ]);
    const all = PermissionSet.parse(["*"]);
    expect(all.allows("bulk", "CancelOrders") && all.allowsAny("bulk")).toBe(true);
    expect(PermissionSet.parse([]).allowsAny("export")).toBe(false);
  });

  it("knows every command type and bulk operation of the contracts", () => {
    expect(permissionCatalog.command).toContain("SetTaskExecutionDate");
    expect(permissionCatalog.command).toHaveLength(13);
    expect(permissionCatalog.bulk).toEqual(["SetTaskExecutionDate", "SuspendUsers", "CancelOrders"]);
  });
});

describe("permissionDenied", () => {
  it("says what was refused and which permission would allow it", () => {
    expect(permissionDenied("reader", "command", "CreateTask", "commands[2]").message).toBe(
      'commands[2]: principal "reader" may not run command CreateTask (needs "command:CreateTask")',
    );
    expect(permissionDenied("writer", "export", "*").message).toBe(
      'principal "writer" may not export anything (needs "export:*" or a "export:<name>" permission)',
    );
  });
});
