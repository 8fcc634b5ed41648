import {
  create,
  createFileRegistry,
  type DescEnum,
  type DescExtension,
  type DescFile,
  type DescMessage,
  type DescService,
  type FileRegistry,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/** Lookups behind server reflection. Files come back serialized, followed by their transitive imports. */
export interface DescriptorIndex {
  /** Full names of the services, in registration order. */
  readonly serviceNames: readonly string[];
  fileByName(fileName: string): Uint8Array[] | undefined;
  /** A service, method, message, enum, extension, nested type (map entries too), or a field or oneof of a message. */
  fileContainingSymbol(symbol: string): Uint8Array[] | undefined;
  fileContainingExtension(extendee: string, fieldNumber: number): Uint8Array[] | undefined;
  /** Field numbers of the known extensions of message `extendee`; undefined for an unknown message. */
  extensionNumbersOf(extendee: string): number[] | undefined;
}

/** Indexes the files declaring `services` and everything they import (well-known types included). */
export function createDescriptorIndex(services: readonly DescService[]): DescriptorIndex {
  const files = importsFirst(services.map((service) => service.file));
  const registry = createFileRegistry(
    create(FileDescriptorSetSchema, { file: files.map((file) => file.proto) }),
  );
  const serialized = (file: DescFile | undefined) => file && importsFirst([file]).reverse().map(serialize);
  return {
    serviceNames: services.map((service) => service.typeName),
    fileByName: (fileName) => serialized(registry.getFile(fileName)),
    fileContainingSymbol: (symbol) => serialized(fileContainingSymbol(registry, symbol)),
    fileContainingExtension(extendee, fieldNumber) {
      const message = registry.getMessage(extendee);
      return serialized(message && registry.getExtensionFor(message, fieldNumber)?.file);
    },
    extensionNumbersOf(extendee) {
      if (!registry.getMessage(extendee)) return undefined;
      return [...registry].flatMap((type) =>
        type.kind === "extension" && type.extendee.typeName === extendee ? [type.number] : [],
      );
    },
  };
}

/** `files` and their transitive imports, each once, every file after the files it imports. */
function importsFirst(files: readonly DescFile[]): DescFile[] {
  const ordered = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (ordered.has(file.name)) return;
    file.dependencies.forEach(visit);
    ordered.set(file.name, file);
  };
  files.forEach(visit);
  return [...ordered.values()];
}

function fileContainingSymbol(registry: FileRegistry, symbol: string): DescFile | undefined {
  const type = registry.get(symbol);
  if (type) return type.file;
  const separator = symbol.lastIndexOf(".");
  const parent = registry.get(symbol.slice(0, separator));
  const member = symbol.slice(separator + 1);
  return parent && memberNames(parent).includes(member) ? parent.file : undefined;
}

/** Methods of a service; fields, oneofs and nested messages (map entries too) of a message. */
function memberNames(parent: DescMessage | DescEnum | DescExtension | DescService): string[] {
  if (parent.kind === "service") return parent.proto.method.map((method) => method.name);
  if (parent.kind !== "message") return [];
  const { field, oneofDecl, nestedType } = parent.proto;
  return [...field, ...oneofDecl, ...nestedType].map((member) => member.name);
}

function serialize(file: DescFile): Uint8Array {
  return toBinary(FileDescriptorProtoSchema, file.proto);
}
