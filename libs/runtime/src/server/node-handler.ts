import type { connectNodeAdapter } from "@connectrpc/connect-node";

/** A request handler for both node:http and node:http2, as `connectNodeAdapter` makes. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;
