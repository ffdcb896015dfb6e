// A client socket on Bun's own sockets: the fastest path under Bun (measured
// in `bun run bench`: held-connection round trip, Bun vs node:net).

import type { Dialer } from "./dialer.ts";

export const dialBun: Dialer = async (path, events) => {
  const socket = await Bun.connect({
    unix: path,
    socket: {
      data: (_socket, chunk) => events.data(chunk),
      drain: () => events.drain(),
      close: () => events.close(),
      error: (_socket, error) => events.error(error),
    },
  });
  const fd = (socket as { fd?: unknown }).fd; // present at run time, missing from Bun's type declarations
  return {
    write: (bytes) => socket.write(bytes),
    end: () => void socket.end(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    destroy: () => socket.terminate(),
    fd: typeof fd === "number" && fd >= 0 ? fd : undefined,
  };
};
