// `npm run bench [name...]`: runs every benchmark section in this folder (or the named ones), one after another.
import { readdirSync } from "node:fs";

const here = new URL("./", import.meta.url);
const sections = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3));
const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : sections) {
  if (!sections.includes(name))
    throw new Error(`no benchmark section "${name}"; have: ${sections.join(", ")}`);
  const section = (await import(new URL(`${name}.ts`, here).href)) as { run(): Promise<void> };
  await section.run();
}
