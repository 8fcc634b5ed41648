import { createContextKey } from "@connectrpc/connect";

/**
 * Who is calling, as the audit trail records it. An authentication interceptor sets it in the
 * handler context's values; until one does, every caller is "anonymous".
 */
export const principalKey = createContextKey<string>("anonymous", { description: "authenticated principal" });
