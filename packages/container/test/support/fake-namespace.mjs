// A fake DurableObjectNamespace: stubs keyed by name, each answering from a script. Stubs behave
// like workerd's RPC stubs: every property is a remote method (`bind`, `call` and `apply`
// included), arguments and results are structured-cloned, and a stub cannot be sent as an argument.

/** A workerd-like RPC stub over `target` (whose `fetch` is a real method, as on a Fetcher). */
export function rpcStub(target) {
  const stub = new Proxy(
    {},
    {
      get(_, prop) {
        if (prop === "fetch") return target.fetch.bind(target);
        if (typeof prop === "symbol" || prop === "then") return undefined;
        return remote([prop]);
      },
    },
  );
  const remote = (path) =>
    new Proxy(function () {}, {
      get(_, prop) {
        if (typeof prop === "symbol" || prop === "then") return undefined;
        return remote([...path, prop]);
      },
      async apply(_, _this, args) {
        if (args.includes(stub)) {
          throw new DOMException('Could not serialize object of type "DurableObject". This type does not support serialization.', "DataCloneError");
        }
        const [method, ...rest] = path;
        if (rest.length > 0 || typeof target[method] !== "function") {
          throw new TypeError(`The RPC receiver does not implement the method "${path.join(".")}".`);
        }
        return structuredClone(await target[method](...structuredClone(args)));
      },
    });
  return stub;
}

export function fakeNamespace(respond = () => new Response("ok")) {
  const sent = [];
  const rpc = [];
  const ns = {
    sent,
    rpc,
    respond,
    idFromName: (name) => ({ name }),
    get(id) {
      const name = id.name;
      const call = (method) => async (...args) => {
        rpc.push({ name, method, args });
        if (method === "lunoraGetState") return { status: "healthy", lastChange: 1 };
      };
      return rpcStub({
        async fetch(request) {
          sent.push({ name, request, url: request.url, port: request.headers.get("cf-container-target-port") });
          return ns.respond(request, name, sent.length);
        },
        lunoraStart: call("lunoraStart"),
        lunoraGetState: call("lunoraGetState"),
        lunoraStop: call("lunoraStop"),
        lunoraDestroy: call("lunoraDestroy"),
        lunoraEgress: call("lunoraEgress"),
      });
    },
  };
  return ns;
}

export function recordingSleep() {
  const delays = [];
  const sleep = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}
