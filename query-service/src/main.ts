import { loadServiceConfig } from "@conveyor/runtime";
import { startQueryService } from "./service.ts";

const service = await startQueryService(loadServiceConfig("query"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void service.stop().then(() => process.exit(0));
  });
}
