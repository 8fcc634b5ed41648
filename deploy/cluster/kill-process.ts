import type { ManagedProcess } from "../local/managed-process.ts";

/** SIGKILLs a process (no clean shutdown, as in a crash) and resolves with how it ended once it is gone. */
export async function killProcess(server: ManagedProcess): Promise<string> {
  if (server.isRunning() && server.pid !== undefined) process.kill(server.pid, "SIGKILL");
  return server.exited;
}
