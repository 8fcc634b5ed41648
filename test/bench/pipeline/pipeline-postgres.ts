import { startEmbeddedPostgres } from "../../../deploy/local/embedded-postgres.ts";
import { cachePath } from "../../../deploy/local/paths.ts";
import { integer } from "@conveyor/runtime";
import { benchServer, type BenchPostgres } from "../batch/bench-postgres.ts";

/**
 * Settings for a million-event burst. synchronous_commit=off: a read model can be rebuilt from Kafka, and
 * the relay's deletes only repeat a publication after a crash. A 1 GB buffer cache, as any server with
 * this machine's 24 GB would give PostgreSQL: the default 128 MB holds less than a million read rows
 * and their five indexes. Checkpoints not in the middle of the burst. fsync and full page writes stay on.
 */
export const pipelineSettings = {
  synchronous_commit: "off",
  shared_buffers: "1GB",
  wal_buffers: "64MB",
  max_wal_size: "16GB",
  checkpoint_timeout: "30min",
};

/**
 * The server BENCH_DATABASE_ADMIN_URL names (its settings as they are), else an embedded one of the
 * pipeline benchmark's own (.cache/postgres-bench-pipeline, port BENCH_PIPELINE_POSTGRES_PORT or 54336,
 * so it runs beside the other benchmarks) with `pipelineSettings`.
 */
export async function pipelinePostgres(
  env: Record<string, string | undefined> = process.env,
): Promise<BenchPostgres> {
  if (env.BENCH_DATABASE_ADMIN_URL)
    return benchServer(env.BENCH_DATABASE_ADMIN_URL, "BENCH_DATABASE_ADMIN_URL", () => Promise.resolve());
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres-bench-pipeline"),
    port: integer(env, "BENCH_PIPELINE_POSTGRES_PORT", 54336),
    settings: pipelineSettings,
  });
  const settings = Object.entries(pipelineSettings).map(([name, value]) => `${name}=${value}`);
  return benchServer(adminUrl, `embedded PostgreSQL, ${settings.join(", ")}`, () => server.stop());
}
