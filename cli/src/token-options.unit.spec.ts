import { describe, expect, it } from "vitest";
import { parseExportArgs } from "./export/export-options.ts";
import { parseImportArgs } from "./import/import-options.ts";

describe.each([
  [
    "import",
    (args: string[], env: Record<string, string>) => parseImportArgs(["commands.ndjson", ...args], env),
  ],
  [
    "export",
    (args: string[], env: Record<string, string>) =>
      parseExportArgs(["users", "--out", "u.csv", ...args], env),
  ],
])("conveyor %s", (_name, parse) => {
  it("takes the bearer token from --token, else CONVEYOR_TOKEN, else none", () => {
    expect(parse(["--token", "from-flag"], { CONVEYOR_TOKEN: "from-env" }).token).toBe("from-flag");
    expect(parse([], { CONVEYOR_TOKEN: "from-env" }).token).toBe("from-env");
    expect(parse([], {}).token).toBeUndefined();
  });
});
