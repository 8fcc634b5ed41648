import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { describe, expect, it } from "vitest";
import { createErrorInterceptor } from "../errors/error-interceptor.ts";
import { createLogger } from "../logger.ts";
import { accessOf, principalKey } from "./access.ts";
import { createAuthInterceptor } from "./auth-interceptor.ts";
import { loadAuthSettings, type AuthSettings } from "./auth-settings.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { sha256Hex } from "./token-hash.ts";

const settings = loadAuthSettings({
  AUTH_TOKENS: JSON.stringify({
    principals: [
      { name: "ops", tokenSha256: sha256Hex("ops-token"), permissions: ["bulk:*"] },
      {
        name: "slow",
        tokenSha256: sha256Hex("slow-token"),
        permissions: ["*"],
        rateLimit: { requestsPerSecond: 1, requestsBurst: 1 },
      },
    ],
  }),
});

/** A CommandService whose BatchExecute reports who called it and whether bulk operations are allowed. */
function serverWith(auth: AuthSettings, now: () => number = () => 0) {
  return createRouterTransport(
    (router) =>
      router
        .service(CommandService, {
          batchExecute(_request, context) {
            const access = accessOf(context);
            return {
              requestId: `${context.values.get(principalKey)} ${access.permissions.allowsAny("bulk")}`,
            };
          },
        })
        .service(Health, { check: () => ({ status: 1 }) }),
    {
      router: {
        interceptors: [
          createErrorInterceptor(createLogger("spec", { LOG_LEVEL: "silent" })),
          createAuthInterceptor(auth, new RateLimiter(now)),
        ],
      },
    },
  );
}

const call = (transport: ReturnType<typeof serverWith>, authorization?: string) =>
  createClient(CommandService, transport)
    .batchExecute({}, { headers: authorization ? { authorization } : {} })
    .then(
      (response) => response.requestId.split(" "),
      (error: unknown) => ConnectError.from(error),
    );

describe("createAuthInterceptor", () => {
  it("puts the principal of a known bearer token into the handler context", async () => {
    expect(await call(serverWith(settings), "Bearer ops-token")).toEqual(["ops", "true"]);
    expect(await call(serverWith(settings), "bearer   ops-token")).toEqual(["ops", "true"]);
  });

  it.each([
    [undefined, "missing credentials"],
    ["Bearer wrong-token", "unknown bearer token"],
    ["Basic b3BzOm9wcw==", "malformed authorization header"],
    ["Bearer", "malformed authorization header"],
  ])("refuses %s with UNAUTHENTICATED", async (authorization, message) => {
    const error = await call(serverWith(settings), authorization);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ code: Code.Unauthenticated });
    expect((error as ConnectError).rawMessage).toContain(message);
  });

  it("leaves health open", async () => {
    expect((await createClient(Health, serverWith(settings)).check({})).status).toBe(1);
  });

  it("limits each principal's requests on the clock it is given", async () => {
    let now = 0;
    const transport = serverWith(settings, () => now);
    expect(await call(transport, "Bearer slow-token")).toEqual(["slow", "true"]);
    expect(await call(transport, "Bearer slow-token")).toMatchObject({ code: Code.ResourceExhausted });
    expect(await call(transport, "Bearer ops-token")).toEqual(["ops", "true"]);
    now = 1_000;
    expect(await call(transport, "Bearer slow-token")).toEqual(["slow", "true"]);
  });

  it("with authentication disabled, everyone is anonymous with every permission", async () => {
    expect(await call(serverWith(loadAuthSettings({ AUTH_DISABLED: "true" })))).toEqual([
      "anonymous",
      "true",
    ]);
  });
});
