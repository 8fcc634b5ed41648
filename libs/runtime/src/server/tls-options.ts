import { readFileSync } from "node:fs";
import type tls from "node:tls";
import type { TlsFiles } from "../limits/server-limits.ts";

/**
 * TLS server options from PEM files: ALPN offers h2 (gRPC) and http/1.1 (gRPC-Web, Connect). With a
 * CA file, clients must present a certificate it signed.
 */
export function tlsServerOptions(files: TlsFiles): tls.TlsOptions {
  return {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    ALPNProtocols: ["h2", "http/1.1"],
    ...(files.caFile ? { ca: readFileSync(files.caFile), requestCert: true, rejectUnauthorized: true } : {}),
  };
}
