/** The bulk update's limits; each is documented in bulk.proto and tested. */
export const bulkLimits = {
  /** The max-affected guard when the request leaves it at 0. */
  defaultMaxAffected: 100_000,
  /** The highest max-affected a request may ask for. */
  maxMaxAffected: 10_000_000,
  defaultSampleSize: 10,
  maxSampleSize: 100,
  maxRangeSize: 1_000_000,
  /** Key ranges at once: each holds one of the service's pooled write connections (10). */
  maxRangeConcurrency: 4,
  maxRequestIdLength: 200,
  /** Nodes in a filter tree (bounds the SQL text and its parameters). */
  maxFilterNodes: 1_000,
  maxFilterDepth: 32,
} as const;
