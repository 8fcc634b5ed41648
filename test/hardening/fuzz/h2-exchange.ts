import http2 from "node:http2";
import net from "node:net";

/** One hand-made request on an HTTP/2 stream: headers, body chunks as written, and how the client finishes. */
export interface H2Request {
  path: string;
  headers: Record<string, string>;
  chunks: Uint8Array[];
  /** "end": end the stream; "reset": cancel it after the chunks; "stall": leave it open. */
  finish: "end" | "reset" | "stall";
}

/** What came back: the gRPC status (from headers, trailers or a gRPC-Web trailer frame) or the HTTP status. */
export interface H2Response {
  httpStatus?: number;
  grpcStatus?: number;
  grpcMessage?: string;
  /** The Connect protocol's error code (JSON body), e.g. "invalid_argument". */
  connectCode?: string;
  /** The stream was reset by the server (the RST_STREAM code), or the session failed. */
  reset?: number;
  error?: string;
  timedOut?: boolean;
}

/** An HTTP/2 connection that reconnects when the server closed it, counting how often it had to. */
export class H2Connection {
  private session: http2.ClientHttp2Session | undefined;
  reconnects = 0;

  constructor(private readonly origin: string) {}

  private current(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    if (this.session) this.reconnects += 1;
    const session = http2.connect(this.origin);
    session.on("error", () => undefined);
    this.session = session;
    return session;
  }

  exchange(request: H2Request, timeoutMs: number): Promise<H2Response> {
    const stream = this.current().request(
      { ":method": "POST", ":path": request.path, te: "trailers", ...request.headers },
      { endStream: false },
    );
    return new Promise<H2Response>((resolve) => {
      const response: H2Response = {};
      const body: Buffer[] = [];
      const timer = setTimeout(() => {
        response.timedOut = true;
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }, timeoutMs);
      stream.on("response", (headers) => readHeaders(response, headers));
      stream.on("trailers", (trailers: http2.IncomingHttpHeaders) => readHeaders(response, trailers));
      stream.on("data", (chunk: Buffer) => body.push(chunk));
      stream.on("error", (error: Error) => (response.error = error.message));
      stream.on("close", () => {
        clearTimeout(timer);
        if (stream.rstCode !== undefined && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR)
          response.reset = stream.rstCode;
        readBody(response, Buffer.concat(body));
        resolve(response);
      });
      for (const chunk of request.chunks) stream.write(chunk);
      if (request.finish === "end") stream.end();
      if (request.finish === "reset") stream.close(http2.constants.NGHTTP2_CANCEL);
    });
  }

  close(): void {
    this.session?.close();
  }
}

/** Writes `bytes` on a fresh TCP connection and waits until the server closes it (or `timeoutMs`). */
export function rawTcp(port: number, bytes: Uint8Array, timeoutMs: number): Promise<"closed" | "open"> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("open");
    }, timeoutMs);
    socket.on("error", () => undefined);
    socket.on("data", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve("closed");
    });
    socket.write(bytes);
  });
}

function readHeaders(response: H2Response, headers: http2.IncomingHttpHeaders): void {
  const status = headers[":status"];
  if (status !== undefined) response.httpStatus = Number(status);
  const grpcStatus = headers["grpc-status"];
  if (grpcStatus !== undefined) response.grpcStatus = Number(grpcStatus);
  const message = headers["grpc-message"];
  if (typeof message === "string") response.grpcMessage = decodeURIComponent(message);
}

// gRPC-Web sends its trailers as the body's last frame (flag 0x80); Connect unary errors are a JSON body,
// and Connect streams end with a JSON end-stream frame (flag 0x02).
function readBody(response: H2Response, body: Buffer): void {
  let at = 0;
  while (at + 5 <= body.length) {
    const flags = body[at]!;
    const length = body.readUInt32BE(at + 1);
    const payload = body.subarray(at + 5, at + 5 + length);
    if (flags & 0x80) readTrailerFrame(response, payload.toString("latin1"));
    if (flags & 0x02) readConnectError(response, payload);
    at += 5 + length;
  }
  if (response.httpStatus !== undefined && response.httpStatus !== 200) readConnectError(response, body);
}

function readTrailerFrame(response: H2Response, text: string): void {
  for (const line of text.split("\r\n")) {
    const [name, ...rest] = line.split(":");
    const value = rest.join(":").trim();
    if (name?.toLowerCase() === "grpc-status") response.grpcStatus = Number(value);
    if (name?.toLowerCase() === "grpc-message") response.grpcMessage = decodeURIComponent(value);
  }
}

function readConnectError(response: H2Response, payload: Buffer): void {
  try {
    const parsed = JSON.parse(payload.toString("utf8")) as {
      code?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    const code = parsed.code ?? parsed.error?.code;
    if (typeof code === "string") response.connectCode = code;
    const message = (parsed as { message?: unknown }).message ?? parsed.error?.message;
    if (typeof message === "string") response.grpcMessage = message;
  } catch {
    // Not JSON: no Connect error.
  }
}
