// Where a CI alert's `logUrl` may be fetched from. The bot fetches it on an unauthenticated
// sender's word (well, a signed one, but CI secrets leak), so it must not become a way to read
// the bot's own network: only hosts the operator listed (CI_LOG_HOSTS; default the GitHub API
// host configured and gitlab.com) are fetched, and a redirect from there to any other host is
// followed only to public addresses — never loopback, private, link-local or other reserved
// ranges — unless CI_LOG_ALLOW_PRIVATE says otherwise.
import { lookup as dnsLookup } from "node:dns";
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from "node:dns";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import type { Config } from "../config/config.js";

export interface LogHostPolicy {
  /** `host` (any port) or `host:port`, lower case. */
  hosts: Set<string>;
  /** Follow redirects to private and loopback addresses too (tests, closed networks). */
  allowPrivate: boolean;
}

export function logHostPolicy(config: Pick<Config, "CI_LOG_HOSTS" | "CI_LOG_ALLOW_PRIVATE" | "GITHUB_API_URL">): LogHostPolicy {
  const listed = (config.CI_LOG_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  const hosts = listed.length ? listed : [new URL(config.GITHUB_API_URL).host.toLowerCase(), "gitlab.com"];
  return { hosts: new Set(hosts), allowPrivate: config.CI_LOG_ALLOW_PRIVATE };
}

/** Whether the operator listed the host of `url`. */
export function listedHost(policy: LogHostPolicy, url: URL): boolean {
  return policy.hosts.has(url.host.toLowerCase()) || policy.hosts.has(url.hostname.toLowerCase());
}

/** Public unicast addresses only (IPv4-mapped IPv6 judged as the IPv4 it maps). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

export class PrivateAddressError extends Error {
  override readonly name = "PrivateAddressError";
  readonly code = "EPRIVATEADDRESS";
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails when any address of the name is not public (checked where the socket connects: no DNS rebinding gap). */
function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new PrivateAddressError(`${hostname} resolves to ${bad.address}, a private or reserved address`), []);
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    const a = addresses[0]!;
    callback(null, a.address, a.family);
  });
}

/** Connections to hosts the operator did not list go through this agent. */
export const publicOnlyAgent = new Agent({ connect: { lookup: publicOnlyLookup as never } });
