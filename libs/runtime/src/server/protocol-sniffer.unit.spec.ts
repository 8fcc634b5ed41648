import { describe, expect, it } from "vitest";
import { detectProtocol } from "./protocol-sniffer.ts";

const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

describe("detectProtocol", () => {
  it("recognises the HTTP/2 connection preface, with or without frames after it", () => {
    expect(detectProtocol(Buffer.from(preface))).toBe("h2");
    expect(detectProtocol(Buffer.from(`${preface}\x00\x00\x12\x04`))).toBe("h2");
  });

  it("waits while the bytes so far are a prefix of the preface", () => {
    expect(detectProtocol(Buffer.from("PRI * HTTP/2"))).toBeUndefined();
    expect(detectProtocol(Buffer.alloc(0))).toBeUndefined();
  });

  it("calls anything else HTTP/1, as soon as one byte differs", () => {
    expect(detectProtocol(Buffer.from("POST /conveyor.query.v1.QueryService/ExportUsers HTTP/1.1\r\n"))).toBe(
      "http1",
    );
    expect(detectProtocol(Buffer.from("PRO"))).toBe("http1");
  });
});
