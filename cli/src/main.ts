import { readdirSync } from "node:fs";

/** A subcommand lives in src/commands/<name>.ts and exports `run(args)` and a one-line `summary`. */
interface Subcommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = new URL("./commands/", import.meta.url);
const available = readdirSync(commandsDir)
  .filter((file) => file.endsWith(".ts") && !file.includes(".spec."))
  .map((file) => file.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  const listing = await Promise.all(
    available.map(async (command) => `  ${command.padEnd(20)} ${(await load(command)).summary}`),
  );
  console.error(`usage: conveyor <command> [options]\n\ncommands:\n${listing.join("\n")}`);
  process.exit(name ? 2 : 0);
}
process.exit(await (await load(name)).run(args));

async function load(command: string): Promise<Subcommand> {
  return (await import(new URL(`${command}.ts`, commandsDir).href)) as Subcommand;
}
