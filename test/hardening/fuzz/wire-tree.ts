import { bytesField, concatAll, tag, varint, WireType } from "./wire.ts";

/** One field as it sits on the wire; a length-delimited field that parses as a message has children. */
export interface WireNode {
  field: number;
  wireType: number;
  /** The value's bytes: the varint, the fixed bytes, or the length-delimited payload. */
  value: Uint8Array;
  children?: WireNode[];
}

/** Reads `bytes` as a message (recursively), or undefined when they are not one. */
export function parseMessage(bytes: Uint8Array, depth = 0): WireNode[] | undefined {
  const nodes: WireNode[] = [];
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    if (!key) return undefined;
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (field === 0) return undefined;
    at = key.next;
    let end: number;
    let start = at;
    switch (wireType) {
      case WireType.varint: {
        const value = readVarint(bytes, at);
        if (!value) return undefined;
        end = value.next;
        break;
      }
      case WireType.fixed64:
        end = at + 8;
        break;
      case WireType.fixed32:
        end = at + 4;
        break;
      case WireType.lengthDelimited: {
        const length = readVarint(bytes, at);
        if (!length) return undefined;
        start = length.next;
        end = start + Number(length.value);
        break;
      }
      default:
        return undefined;
    }
    if (end > bytes.length) return undefined;
    const value = bytes.subarray(start, end);
    const children =
      wireType === WireType.lengthDelimited && value.length > 0 && depth < 64
        ? parseMessage(value, depth + 1)
        : undefined;
    nodes.push(children ? { field, wireType, value, children } : { field, wireType, value });
    at = end;
  }
  return nodes;
}

/** Writes nodes back: children win over `value`, lengths are recomputed. */
export function writeMessage(nodes: readonly WireNode[]): Uint8Array {
  return concatAll(nodes.map(writeNode));
}

function writeNode(node: WireNode): Uint8Array {
  const value = node.children ? writeMessage(node.children) : node.value;
  if (node.wireType === WireType.lengthDelimited) return bytesField(node.field, value);
  return concatAll([tag(node.field, node.wireType), value]);
}

/** Every node with the list that holds it, depth first. */
export function allNodes(nodes: WireNode[]): Array<{ node: WireNode; siblings: WireNode[] }> {
  const found: Array<{ node: WireNode; siblings: WireNode[] }> = [];
  const walk = (list: WireNode[]) => {
    for (const node of list) {
      found.push({ node, siblings: list });
      if (node.children) walk(node.children);
    }
  };
  walk(nodes);
  return found;
}

/** Length-delimited leaves whose bytes are printable UTF-8: most likely string fields. */
export function isTextLeaf(node: WireNode): boolean {
  if (node.wireType !== WireType.lengthDelimited || node.children) return false;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(node.value);
    return [...text].every((char) => char >= " " || char === "\t" || char === "\n" || char === "\r");
  } catch {
    return false;
  }
}

function readVarint(bytes: Uint8Array, at: number): { value: bigint; next: number } | undefined {
  let value = 0n;
  for (let i = 0; i < 10; i += 1) {
    if (at + i >= bytes.length) return undefined;
    const byte = bytes[at + i]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

export { varint };
