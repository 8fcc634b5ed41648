import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, createGrpcJsClient } from "../testing/grpc-js-client.ts";
import { startStubServer, stubUser } from "../testing/stub-app.ts";
import type { GrpcServer } from "./start-grpc-server.ts";

/** A throwaway CA, a server certificate for localhost/127.0.0.1 and a client certificate, made by openssl. */
function makeCertificates(dir: string) {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...newKey,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=test-ca",
  );
  const issue = (name: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl("req", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
    );
  };
  issue("server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  issue("client", "extendedKeyUsage=clientAuth\n");
  return {
    ca: file("ca.pem"),
    serverCert: file("server.pem"),
    serverKey: file("server.key"),
    clientCert: file("client.pem"),
    clientKey: file("client.key"),
  };
}

let dir: string;
let certs: ReturnType<typeof makeCertificates>;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "conveyor-tls-"));
  certs = makeCertificates(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (err: grpc.ServiceError) => err,
  );

describe("TLS_CERT_FILE + TLS_KEY_FILE", () => {
  let server: GrpcServer;
  let address: string;
  beforeAll(async () => {
    server = await startStubServer({
      limits: { tls: { certFile: certs.serverCert, keyFile: certs.serverKey } },
    });
    address = `localhost:${server.port}`;
  });
  afterAll(() => server.close());

  it("serves gRPC over HTTP/2 with TLS to a grpc-js client trusting the CA, unary and streaming", async () => {
    const credentials = grpc.credentials.createSsl(readFileSync(certs.ca));
    const commands = createGrpcJsClient(CommandService, address, credentials);
    const queries = createGrpcJsClient(QueryService, address, credentials);
    try {
      expect(await commands.bulkUpdate({ requestId: "tls" })).toMatchObject({
        requestId: "tls",
        updated: 2n,
      });
      const chunks = await collect(queries.exportUsers({}));
      expect(chunks.flatMap((chunk) => chunk.rows.map((row) => row.email))).toEqual([stubUser.email]);
    } finally {
      commands.close();
      queries.close();
    }
  });

  it("serves Connect and gRPC-Web over HTTP/1.1 with TLS (ALPN http/1.1)", async () => {
    const nodeOptions = { ca: readFileSync(certs.ca) };
    const baseUrl = `https://${address}`;
    for (const transport of [
      createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
      createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
    ]) {
      const commands = createClient(CommandService, transport);
      expect(await commands.bulkUpdate({ requestId: "h1" })).toMatchObject({ requestId: "h1" });
    }
  });

  it("does not talk to a cleartext client", async () => {
    const commands = createGrpcJsClient(CommandService, address);
    const error = await failure(
      commands.bulkUpdate({ requestId: "plain" }, new grpc.Metadata(), { deadline: Date.now() + 10_000 }),
    );
    commands.close();
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
  });
});

describe("TLS_CA_FILE (client certificates)", () => {
  let server: GrpcServer;
  let address: string;
  beforeAll(async () => {
    server = await startStubServer({
      limits: { tls: { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.ca } },
    });
    address = `localhost:${server.port}`;
  });
  afterAll(() => server.close());

  it("serves a client presenting a certificate the CA signed", async () => {
    const credentials = grpc.credentials.createSsl(
      readFileSync(certs.ca),
      readFileSync(certs.clientKey),
      readFileSync(certs.clientCert),
    );
    const commands = createGrpcJsClient(CommandService, address, credentials);
    expect(await commands.bulkUpdate({ requestId: "mtls" })).toMatchObject({ requestId: "mtls" });
    commands.close();
  });

  it("refuses a client without a certificate", async () => {
    const commands = createGrpcJsClient(
      CommandService,
      address,
      grpc.credentials.createSsl(readFileSync(certs.ca)),
    );
    const error = await failure(
      commands.bulkUpdate({ requestId: "anonymous" }, new grpc.Metadata(), { deadline: Date.now() + 10_000 }),
    );
    commands.close();
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
  });
});
