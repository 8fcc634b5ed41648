import type { Socket } from "node:net";

/** What a cleartext connection speaks: HTTP/2 with prior knowledge (h2c), or HTTP/1.x. */
export type WireProtocol = "h2" | "http1";

const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** Classifies the first bytes of a connection; undefined until enough bytes have arrived to tell. */
export function detectProtocol(firstBytes: Buffer): WireProtocol | undefined {
  const compared = Math.min(firstBytes.length, HTTP2_PREFACE.length);
  if (!firstBytes.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared))) return "http1";
  return compared === HTTP2_PREFACE.length ? "h2" : undefined;
}

/** As Node's http `headersTimeout`: a connection that says nothing for this long is dropped. */
const FIRST_BYTES_TIMEOUT_MS = 60_000;

/**
 * Reads from `socket` until its protocol is known, puts the bytes back, and hands the paused
 * socket to `route`, which must give it to a server that reads it from the start.
 */
export function sniffProtocol(socket: Socket, route: (protocol: WireProtocol) => void): void {
  let received = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    const protocol = detectProtocol(received);
    if (!protocol) return;
    socket.off("data", onData).off("error", drop).off("timeout", drop).setTimeout(0).pause();
    socket.unshift(received);
    route(protocol);
  };
  const drop = () => socket.destroy();
  socket.on("data", onData).on("error", drop).setTimeout(FIRST_BYTES_TIMEOUT_MS, drop);
}
