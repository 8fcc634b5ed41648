// Copies the .proto files of gRPC health and reflection out of the npm packages that ship them,
// so that `buf generate` can produce their code locally (the Buf Schema Registry is out of reach).
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const here = dirname(new URL(import.meta.url).pathname);
const target = join(here, "..", "grpc");

const copies = [
  [join(packageDir("grpc-health-check"), "proto/health/v1/health.proto"), "health/v1/health.proto"],
  [
    join(packageDir("@grpc/reflection"), "build/proto/grpc/reflection/v1/reflection.proto"),
    "reflection/v1/reflection.proto",
  ],
  [
    join(packageDir("@grpc/reflection"), "build/proto/grpc/reflection/v1alpha/reflection.proto"),
    "reflection/v1alpha/reflection.proto",
  ],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(join(target, to)), { recursive: true });
  cpSync(from, join(target, to));
}
