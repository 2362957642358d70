// A fake DurableObjectNamespace: stubs keyed by name, each answering from a script.
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
      return {
        async fetch(request) {
          sent.push({ name, request, url: request.url, port: request.headers.get("cf-container-target-port") });
          return ns.respond(request, name, sent.length);
        },
        lunoraStart: call("lunoraStart"),
        lunoraGetState: call("lunoraGetState"),
        lunoraStop: call("lunoraStop"),
        lunoraDestroy: call("lunoraDestroy"),
        lunoraEgress: call("lunoraEgress"),
      };
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
