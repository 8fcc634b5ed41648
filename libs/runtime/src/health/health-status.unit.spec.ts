import { describe, expect, it } from "vitest";
import { createHealthStatus, ServingStatus } from "./health-status.ts";

describe("createHealthStatus", () => {
  it("starts every registered service SERVING and knows no others", () => {
    const health = createHealthStatus(["", "conveyor.query.v1.QueryService"]);
    expect(health.get("")).toBe(ServingStatus.SERVING);
    expect(health.get("conveyor.query.v1.QueryService")).toBe(ServingStatus.SERVING);
    expect(health.get("nope.Service")).toBeUndefined();
  });

  it("marks everything NOT_SERVING on shutdown and ignores later changes", () => {
    const health = createHealthStatus(["", "a.A"]);
    health.shutdown();
    health.set("a.A", ServingStatus.SERVING);
    expect([...health.all().values()]).toEqual([ServingStatus.NOT_SERVING, ServingStatus.NOT_SERVING]);
  });

  it("watch yields the current status, then each change, and ends when its signal aborts", async () => {
    const health = createHealthStatus(["a.A"]);
    const stop = new AbortController();
    const watch = health.watch("a.A", stop.signal);
    expect(await watch.next()).toEqual({ done: false, value: ServingStatus.SERVING });
    health.set("a.A", ServingStatus.NOT_SERVING);
    expect(await watch.next()).toEqual({ done: false, value: ServingStatus.NOT_SERVING });
    const ended = watch.next();
    stop.abort();
    expect(await ended).toEqual({ done: true, value: undefined });
  });

  it("watch reports SERVICE_UNKNOWN until the service is registered", async () => {
    const health = createHealthStatus([]);
    const watch = health.watch("late.Service", new AbortController().signal);
    expect((await watch.next()).value).toBe(ServingStatus.SERVICE_UNKNOWN);
    health.set("late.Service", ServingStatus.SERVING);
    expect((await watch.next()).value).toBe(ServingStatus.SERVING);
  });

  it("watch does not miss a change made while the consumer was busy", async () => {
    const health = createHealthStatus(["a.A"]);
    const watch = health.watch("a.A", new AbortController().signal);
    await watch.next();
    health.set("a.A", ServingStatus.NOT_SERVING);
    health.set("a.A", ServingStatus.SERVING);
    health.set("a.A", ServingStatus.NOT_SERVING);
    expect((await watch.next()).value).toBe(ServingStatus.NOT_SERVING);
  });
});
