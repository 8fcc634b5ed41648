import { createLogger } from "@conveyor/runtime";
import { rebuildReadModel, type RebuildProgress } from "@conveyor/query-service/rebuild";

export const summary =
  "replay every topic into a fresh read model (--into URL, --truncate), with a progress bar";

const usage = `usage: conveyor rebuild-read-model [--into DATABASE_URL] [--truncate]

Replays the event topics from their start into the read model of --into (default: READ_DATABASE_URL),
up to where the topics ended when the rebuild began. The database is migrated first; one that already
holds a read model is refused unless --truncate is given (stop query-service before truncating the one it
uses). Afterwards point READ_DATABASE_URL at the rebuilt database and restart query-service: it resumes
from the positions recorded there.
Environment: KAFKA_BROKERS, KAFKA_TOPIC_PREFIX (default "conveyor"), READ_DATABASE_URL.`;

/** Exit codes: 0 rebuilt, 2 bad usage or a target that already holds a read model. */
export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, process.env);
  if (typeof parsed === "string") {
    console.error(`${parsed}\n\n${usage}`);
    return 2;
  }
  const started = performance.now();
  try {
    const done = await rebuildReadModel({
      ...parsed,
      logger: createLogger("rebuild", { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }),
      onProgress: (progress) => drawProgress(progress, started),
    });
    process.stderr.write(
      `\nrebuilt: ${done.applied.toLocaleString("en-US")} messages replayed into ${redact(parsed.databaseUrl)}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof Error && /already holds a read model/.test(error.message))) throw error;
    console.error(error.message);
    return 2;
  }
}

function parseArgs(args: string[], env: NodeJS.ProcessEnv) {
  let databaseUrl = env.READ_DATABASE_URL;
  let truncate = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--truncate") truncate = true;
    else if (args[i] === "--into" && args[i + 1]) databaseUrl = args[++i];
    else return `unknown or incomplete option: ${args[i]}`;
  }
  if (!databaseUrl) return "no target database: pass --into or set READ_DATABASE_URL";
  if (!env.KAFKA_BROKERS) return "KAFKA_BROKERS is not set";
  const kafkaBrokers = env.KAFKA_BROKERS.split(",").map((broker) => broker.trim());
  return { databaseUrl, truncate, kafkaBrokers, topicPrefix: env.KAFKA_TOPIC_PREFIX ?? "conveyor" };
}

let lastLine = 0;
function drawProgress({ applied, total }: RebuildProgress, started: number): void {
  const tty = process.stderr.isTTY;
  if (!tty && performance.now() - lastLine < 2000 && applied < total) return;
  lastLine = performance.now();
  const share = total === 0 ? 1 : applied / total;
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? applied / seconds : 0;
  const eta = rate > 0 ? Math.ceil((total - applied) / rate) : 0;
  const bar = "#".repeat(Math.round(share * 30)).padEnd(30, ".");
  const line = `[${bar}] ${Math.floor(share * 100)}% ${applied.toLocaleString("en-US")}/${total.toLocaleString("en-US")} messages  ${Math.round(rate).toLocaleString("en-US")}/s  ETA ${eta}s`;
  process.stderr.write(tty ? `\r${line}` : `${line}\n`);
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
