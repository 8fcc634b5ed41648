export { verifyReadModel, type VerifyOptions, type VerifySummary } from "./verify-read-model.ts";
export type { RowDifference } from "./row-differences.ts";
