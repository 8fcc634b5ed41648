import { loadServiceConfig } from "@conveyor/runtime";
import { startCommandService } from "./service.ts";

const service = await startCommandService(loadServiceConfig("command"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void service.stop().then(() => process.exit(0));
  });
}
