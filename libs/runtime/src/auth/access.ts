import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { PermissionDenied } from "@conveyor/errors";
import type { PermissionKind } from "./permission-catalog.ts";
import { PermissionSet, permissionFor } from "./permissions.ts";

/** What the authenticated caller of one RPC may do. */
export interface Access {
  /** The principal's name, e.g. "importer"; "anonymous" when authentication is disabled. */
  readonly principal: string;
  readonly permissions: PermissionSet;
  /** Charges `count` batch commands to the principal's command rate limit (throws RateLimited). */
  chargeCommands(count: number): void;
}

/**
 * Who is calling, as the audit trail records it. The auth interceptor sets it; servers without one
 * (tests that start bare routes) see "anonymous".
 */
export const principalKey = createContextKey<string>("anonymous", { description: "authenticated principal" });

/**
 * The caller's permissions and budgets. Servers without the auth interceptor (tests that start bare
 * routes) grant everything; the services always install it (AUTH_DISABLED=true makes it grant everything too).
 */
export const accessKey = createContextKey<Access>(
  { principal: "anonymous", permissions: PermissionSet.all(), chargeCommands: () => undefined },
  { description: "caller's permissions and rate budgets" },
);

/** The caller's access in a handler. */
export function accessOf(context: HandlerContext): Access {
  return context.values.get(accessKey);
}

/** Throws PermissionDenied unless the caller holds the permission for `name` of `kind`. */
export function requirePermission(context: HandlerContext, kind: PermissionKind, name: string): void {
  const access = accessOf(context);
  if (!access.permissions.allows(kind, name)) throw permissionDenied(access.principal, kind, name);
}

/** Throws PermissionDenied unless the caller holds some permission of `kind` (e.g. any "command:..."). */
export function requireAnyPermission(context: HandlerContext, kind: PermissionKind): void {
  const access = accessOf(context);
  if (!access.permissions.allowsAny(kind)) throw permissionDenied(access.principal, kind, "*");
}

/** The error for a refused permission; `at` locates the refused part of the request, e.g. "commands[3]". */
export function permissionDenied(
  principal: string,
  kind: PermissionKind,
  name: string,
  at?: string,
): PermissionDenied {
  const where = at ? `${at}: ` : "";
  if (name === "*")
    return new PermissionDenied(
      `${where}principal "${principal}" may not ${plural[kind]} (needs "${kind}:*" or a "${kind}:<name>" permission)`,
    );
  return new PermissionDenied(
    `${where}principal "${principal}" may not ${singular[kind]} ${name} (needs "${permissionFor(kind, name)}")`,
  );
}

const singular: Record<PermissionKind, string> = {
  command: "run command",
  bulk: "run bulk operation",
  export: "export",
};
const plural: Record<PermissionKind, string> = {
  command: "run commands",
  bulk: "run bulk operations",
  export: "export anything",
};
