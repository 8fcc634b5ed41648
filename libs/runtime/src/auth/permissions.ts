import { permissionCatalog, type PermissionKind } from "./permission-catalog.ts";

const kinds = Object.keys(permissionCatalog) as PermissionKind[];

/**
 * A principal's granted permissions. Grammar: `*` (everything), `<kind>:*` (every name of a kind) or
 * `<kind>:<Name>`, where kind is `command` (a command type, e.g. `command:CreateTask`), `bulk` (a bulk
 * operation, e.g. `bulk:SuspendUsers`) or `export` (`export:orders`, `export:tasks`, `export:users`).
 */
export class PermissionSet {
  private constructor(private readonly granted: ReadonlySet<string>) {}

  /** Parses and checks every permission against the catalog; throws naming the first bad one. */
  static parse(permissions: readonly string[]): PermissionSet {
    permissions.forEach((permission, index) => {
      const problem = permissionProblem(permission);
      if (problem) throw new Error(`permissions[${index}] "${permission}": ${problem}`);
    });
    return new PermissionSet(new Set(permissions));
  }

  /** Everything allowed: what a server without authentication grants. */
  static all(): PermissionSet {
    return new PermissionSet(new Set(["*"]));
  }

  /** Whether any name of `kind` is allowed: the gate of a method before its request is read. */
  allowsAny(kind: PermissionKind): boolean {
    return this.granted.has("*") || [...this.granted].some((permission) => permission.startsWith(`${kind}:`));
  }

  allows(kind: PermissionKind, name: string): boolean {
    return this.granted.has("*") || this.granted.has(`${kind}:*`) || this.granted.has(`${kind}:${name}`);
  }
}

/** The permission string that grants `name` of `kind`, for error messages. */
export function permissionFor(kind: PermissionKind, name: string): string {
  return `${kind}:${name}`;
}

function permissionProblem(permission: string): string | undefined {
  if (permission === "*") return undefined;
  const separator = permission.indexOf(":");
  if (separator < 0)
    return `expected "*", "<kind>:*" or "<kind>:<Name>" with kind one of ${kinds.join(", ")}`;
  const kind = permission.slice(0, separator) as PermissionKind;
  const name = permission.slice(separator + 1);
  if (!kinds.includes(kind)) return `unknown kind "${kind}" (known: ${kinds.join(", ")})`;
  if (name === "*" || permissionCatalog[kind].includes(name)) return undefined;
  return `unknown ${kind} name "${name}" (known: ${permissionCatalog[kind].join(", ")})`;
}
