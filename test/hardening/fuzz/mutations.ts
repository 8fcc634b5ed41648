import type { Prng } from "./prng.ts";
import { allNodes, isTextLeaf, parseMessage, writeMessage, type WireNode } from "./wire-tree.ts";
import { concat, invalidUtf8, nestedGroups, tag, varint, WireType } from "./wire.ts";

/** Strings a careless server would put into SQL, a LIKE pattern, a cursor or a log line as they are. */
export const hostileStrings: readonly string[] = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '"; DELETE FROM outbox; --',
  "%",
  "_",
  "%_%\\",
  "\\",
  "$1",
  "$$; SELECT pg_sleep(30); $$",
  "E'\\x00'",
  "a\u0000b",
  "\u0000",
  "NaN",
  "-Infinity",
  "1e309",
  "-0",
  "9".repeat(400),
  "null",
  "{}",
  "[]",
  "::uuid",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  "not-a-uuid",
  "ct1.99999999999999999999999999",
  "ct1.-1",
  "ct1.",
  "c1.AAAA.BBBB",
  " ",
  "\r\n\t",
  "\u202e\u0645\ud83d\ude00",
  "\ud800",
  "x".repeat(70_000),
];

/** Integers at the edges of int32, int64, uint64, JavaScript's safe range and a timestamp's range. */
export const extremeIntegers: readonly bigint[] = [
  0n,
  -1n,
  1n,
  13n,
  2n ** 31n - 1n,
  2n ** 31n,
  2n ** 32n,
  2n ** 53n + 1n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  -(2n ** 63n),
  253402300800n,
  -62135596801n,
];

export type Mutation = (prng: Prng, bytes: Uint8Array) => Uint8Array;

const byteMutations: Mutation[] = [
  function flipBit(prng, bytes) {
    if (bytes.length === 0) return prng.bytes(1);
    const out = bytes.slice();
    out[prng.int(0, out.length - 1)]! ^= 1 << prng.int(0, 7);
    return out;
  },
  function setByte(prng, bytes) {
    if (bytes.length === 0) return prng.bytes(1);
    const out = bytes.slice();
    out[prng.int(0, out.length - 1)] = prng.pick([0x00, 0xff, 0x7f, 0x80, 0x08, 0x12, prng.int(0, 255)]);
    return out;
  },
  function insertBytes(prng, bytes) {
    const at = prng.int(0, bytes.length);
    return concat(bytes.subarray(0, at), prng.bytes(prng.int(1, 16)), bytes.subarray(at));
  },
  function deleteRange(prng, bytes) {
    const at = prng.int(0, bytes.length);
    return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + prng.int(1, 16))));
  },
  function duplicateRange(prng, bytes) {
    const from = prng.int(0, bytes.length);
    const to = Math.min(bytes.length, from + prng.int(1, 32));
    return concat(bytes.subarray(0, to), bytes.subarray(from, to), bytes.subarray(to));
  },
  function truncate(prng, bytes) {
    return bytes.subarray(0, prng.int(0, Math.max(0, bytes.length - 1)));
  },
  function maximalVarint(prng, bytes) {
    const at = prng.int(0, bytes.length);
    return concat(bytes.subarray(0, at), new Uint8Array(prng.int(1, 12)).fill(0xff), bytes.subarray(at));
  },
];

type NodeMutation = (prng: Prng, node: WireNode, siblings: WireNode[]) => boolean;

const nodeMutations: NodeMutation[] = [
  function wrongWireType(prng, node) {
    node.wireType = prng.pick(
      [WireType.varint, WireType.fixed64, WireType.lengthDelimited, WireType.fixed32].filter(
        (t) => t !== node.wireType,
      ),
    );
    delete node.children;
    return true;
  },
  function invalidUtf8Text(prng, node) {
    if (!isTextLeaf(node)) return false;
    const at = prng.int(0, node.value.length);
    node.value = concat(node.value.subarray(0, at), prng.pick(invalidUtf8), node.value.subarray(at));
    return true;
  },
  function hostileText(prng, node) {
    if (!isTextLeaf(node)) return false;
    node.value = new TextEncoder().encode(prng.pick(hostileStrings));
    return true;
  },
  function extremeInteger(prng, node) {
    if (node.wireType !== WireType.varint) return false;
    node.value = varint(prng.pick(extremeIntegers));
    return true;
  },
  function deleteNode(_prng, node, siblings) {
    siblings.splice(siblings.indexOf(node), 1);
    return true;
  },
  function repeatNode(prng, node, siblings) {
    siblings.splice(
      siblings.indexOf(node),
      0,
      ...Array.from({ length: prng.int(1, 50) }, () => structuredClone(node)),
    );
    return true;
  },
  function unknownSibling(prng, node, siblings) {
    siblings.splice(siblings.indexOf(node), 0, unknownField(prng));
    return true;
  },
];

/** A field the schema does not have, of any wire type, groups included. */
export function unknownField(prng: Prng): WireNode {
  const field = prng.pick([prng.int(1, 60), prng.int(100, 20_000), 2 ** 29 - 1, 19_000 + prng.int(0, 999)]);
  switch (prng.int(0, 4)) {
    case 0:
      return { field, wireType: WireType.varint, value: varint(prng.pick(extremeIntegers)) };
    case 1:
      return { field, wireType: WireType.fixed64, value: prng.bytes(8) };
    case 2:
      return { field, wireType: WireType.fixed32, value: prng.bytes(4) };
    case 3:
      return { field, wireType: WireType.lengthDelimited, value: prng.bytes(prng.int(0, 64)) };
    default:
      // A group: start tag, nested groups, end tag (the value carries all but the start tag).
      return {
        field,
        wireType: WireType.startGroup,
        value: concat(nestedGroups(field + 1, prng.int(0, 20), true), tag(field, WireType.endGroup)),
      };
  }
}

/** One random mutation of a valid message: at the byte level, or on its fields when it parses. */
export function mutate(prng: Prng, bytes: Uint8Array): Uint8Array {
  if (prng.chance(0.4)) return prng.pick(byteMutations)(prng, bytes);
  return mutateFields(prng, bytes) ?? prng.pick(byteMutations)(prng, bytes);
}

/** A mutation on the fields: wrong wire types, bad strings, extreme integers, unknown or repeated fields. */
export function mutateFields(prng: Prng, bytes: Uint8Array, mutation?: NodeMutation): Uint8Array | undefined {
  const nodes = parseMessage(bytes);
  if (!nodes || nodes.length === 0) return undefined;
  const candidates = allNodes(nodes);
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const { node, siblings } = prng.pick(candidates);
    if ((mutation ?? prng.pick(nodeMutations))(prng, node, siblings)) return writeMessage(nodes);
  }
  return undefined;
}

export const fieldMutations = {
  invalidUtf8: nodeMutations[1]!,
  hostileText: nodeMutations[2]!,
  extremeInteger: nodeMutations[3]!,
  wrongWireType: nodeMutations[0]!,
  unknownSibling: nodeMutations[6]!,
};
