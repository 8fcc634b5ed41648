// Preloaded into a service with NODE_OPTIONS=--import (which refuses --cpu-prof). Each SIGUSR2 toggles
// V8's sampling profiler: the first starts it, the second writes $CPU_PROFILE_DIR/<service>-<pid>.cpuprofile
// (open it in Chrome DevTools), so a profile covers exactly the window the benchmark marks.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const dir = process.env.CPU_PROFILE_DIR ?? ".";
const name = process.argv[1]?.split("/").at(-3) ?? "node";
const session = new Session();
session.connect();
session.post("Profiler.enable");
let profiling = false;
process.on("SIGUSR2", () => {
  if (!profiling) session.post("Profiler.start");
  else
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(`${dir}/${name}-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
  profiling = !profiling;
});
