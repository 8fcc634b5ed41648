import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { cachePath, repoRoot } from "./paths.ts";

const run = promisify(execFile);
const pom = join(repoRoot, "deploy/kafka/pom.xml");
/** Shared by every local broker (the runner's and the tests'). */
const libDir = cachePath("kafka", "lib");
/** Written last into libDir; holds the pom's hash, so a partial download or an edited pom means "resolve again". */
const marker = ".resolved-from";

/** The folder holding the Kafka broker's jars, resolved from Maven Central with deploy/kafka/pom.xml unless present. */
export async function kafkaJars(): Promise<string> {
  const wanted = createHash("sha256")
    .update(await readFile(pom))
    .digest("hex");
  const resolved = async () => (await readFile(join(libDir, marker), "utf8").catch(() => "")) === wanted;
  if (await resolved()) return libDir;
  const staging = `${libDir}.${process.pid}`;
  await mavenCopyDependencies(staging);
  await writeFile(join(staging, marker), wanted);
  if (await resolved()) {
    // Another run finished first and may be using its jars: keep them.
    await rm(staging, { recursive: true, force: true });
    return libDir;
  }
  await rm(libDir, { recursive: true, force: true });
  await rename(staging, libDir);
  return libDir;
}

async function mavenCopyDependencies(outputDirectory: string): Promise<void> {
  const args = [
    "-q",
    "-B",
    "-f",
    pom,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${outputDirectory}`,
  ];
  try {
    await run("mvn", [...args, "-DincludeScope=runtime"], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(outputDirectory, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not fetch the Kafka jars with Maven (needs mvn and Java 17+, or set KAFKA_BROKERS): ${detail}`,
    );
  }
}
