/**
 * Who is calling, as the audit trail records it: set by the auth interceptor of @conveyor/runtime
 * (servers without it, e.g. tests that start bare routes, see "anonymous").
 */
export { principalKey } from "@conveyor/runtime";
