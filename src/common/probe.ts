// Is a daemon answering on this socket? Used before listening (stale socket
// detection) and by clients before auto-starting one.

export type SocketProbe = "alive" | "dead";

export async function probeSocket(path: string): Promise<SocketProbe> {
  try {
    const socket = await Bun.connect({ unix: path, socket: { data() {} } });
    socket.end();
    return "alive";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ECONNREFUSED" || code === "ENOTSOCK") return "dead";
    throw error;
  }
}
