import { hostname as machineHostname, networkInterfaces } from 'node:os';

/** The names every civtag server answers to, whatever it is bound to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Bind addresses that mean "every interface". */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * True when `host` is a loopback address or name: `localhost`, `127.0.0.0/8`, `::1`.
 * A server bound to such a host is reachable from this machine only, so it may run without a token.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** True when `host` binds every interface (`0.0.0.0`, `::`). */
export function isWildcardHost(host: string): boolean {
  return WILDCARD_HOSTS.has(host.toLowerCase());
}

/** Writes a host the way it appears in a `Host` header or a URL: IPv6 in brackets, lower case. */
export function formatHostName(host: string): string {
  const name = host.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/**
 * The host names a `Host` header may carry (the DNS-rebinding guard): the loopback names, the
 * bound host, every `--allow-host`, and, when bound to every interface, this machine's name and
 * addresses.
 */
export function allowedHostNames(
  bindHost: string,
  extraHosts: readonly string[] = [],
): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (isWildcardHost(bindHost)) {
    names.add(machineHostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(formatHostName(address.address));
    }
  } else {
    names.add(formatHostName(bindHost));
  }
  for (const host of extraHosts) names.add(formatHostName(host));
  return names;
}

/**
 * Splits a `Host` header into its name and port: `[::1]:4747` → `{ name: '[::1]', port: 4747 }`.
 * Returns `undefined` for a header that is not a plain host (userinfo, a path, spaces…).
 */
export function parseHostHeader(
  header: string,
): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(header.trim());
  if (match === null) return undefined;
  const name = match[1]!.toLowerCase().replace(/\.$/, '');
  return { name, port: match[2] === undefined ? undefined : Number(match[2]) };
}
