import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { cachePath } from "../../../deploy/local/paths.ts";

/** A fresh folder under .cache/hardening/faults/ for one server or log set of a fault test. */
export async function faultDir(label: string): Promise<string> {
  const dir = cachePath("hardening", "faults", `${label}-${process.pid}-${randomBytes(3).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
