// struct sockaddr_un for a path, and the constants of socket(2), for the
// system calls made through bun:ffi (fd passing, rushd -c's blocking
// sockets, connect-errno.ts). Linux values. Imports nothing.

export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
/** sun_path's size on Linux, its terminating NUL included. */
const SUN_PATH_BYTES = 108;

/** The address of the Unix socket at `path`, or undefined if the path is too long for one. */
export function unixAddress(path: string): Uint8Array | undefined {
  const bytes = new TextEncoder().encode(path);
  if (bytes.length >= SUN_PATH_BYTES) return undefined;
  const address = new Uint8Array(2 + SUN_PATH_BYTES);
  address[0] = AF_UNIX; // sa_family_t, little-endian on every architecture rushd is built for
  address.set(bytes, 2);
  return address;
}
