import {
  create,
  type DescMethodBiDiStreaming,
  fromBinary,
  type MessageShape,
  toBinary,
  type DescMessage,
} from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import * as v1 from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@conveyor/proto/grpc/reflection/v1alpha/reflection_pb";
import type { DescriptorIndex } from "./descriptor-index.ts";
import { answerReflection } from "./reflection-answer.ts";

/** The reflection services this module serves, so reflection can list itself. */
export const reflectionServices = [v1.ServerReflection, v1alpha.ServerReflection] as const;

/** Routes serving grpc.reflection.v1 and v1alpha ServerReflection from one implementation. */
export function reflectionRoutes(index: DescriptorIndex): (router: ConnectRouter) => void {
  return (router) =>
    router
      .service(v1.ServerReflection, {
        serverReflectionInfo: reflect(v1.ServerReflection.method.serverReflectionInfo, index),
      })
      .service(v1alpha.ServerReflection, {
        serverReflectionInfo: reflect(v1alpha.ServerReflection.method.serverReflectionInfo, index),
      });
}

/** With REFLECTION=off: both reflection services answer UNIMPLEMENTED, saying why. */
export function reflectionTurnedOff(router: ConnectRouter): void {
  const refuse = () => {
    throw new ConnectError("server reflection is turned off (REFLECTION=off)", Code.Unimplemented);
  };
  router
    .service(v1.ServerReflection, { serverReflectionInfo: refuse })
    .service(v1alpha.ServerReflection, { serverReflectionInfo: refuse });
}

/** v1alpha messages are v1 messages under another package name: same fields, same wire format. */
function reflect<I extends DescMessage, O extends DescMessage>(
  method: DescMethodBiDiStreaming<I, O>,
  index: DescriptorIndex,
) {
  return async function* (requests: AsyncIterable<MessageShape<I>>): AsyncGenerator<MessageShape<O>> {
    for await (const request of requests) {
      const v1Request = fromBinary(v1.ServerReflectionRequestSchema, toBinary(method.input, request));
      const v1Response = create(v1.ServerReflectionResponseSchema, answerReflection(index, v1Request));
      yield fromBinary(method.output, toBinary(v1.ServerReflectionResponseSchema, v1Response));
    }
  };
}
