import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Bytes held in ArrayBuffers (export chunks, socket buffers) after a full garbage collection. */
export function liveBufferBytes(): number {
  gc();
  return process.memoryUsage().arrayBuffers;
}
