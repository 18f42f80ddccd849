import type { IncomingHttpHeaders } from 'node:http';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { presentedTokens, tokenCookie, tokenCookieName, tokensMatch } from './access-token.js';
import { allowedHostNames, parseHostHeader } from './allowed-hosts.js';

/** How the server decides who may talk to it. */
export interface AccessPolicyOptions {
  /** The address the server is bound to. */
  bindHost: string;
  /** The port it listens on, read when a request arrives (it is known only after `listen`). */
  port: () => number;
  /** When set, every request and upgrade must present this token. */
  token?: string | undefined;
  /** More names a `Host` header may carry (`--allow-host`). */
  allowHosts?: readonly string[];
  /** More origins allowed to change state, exactly as a browser sends them (`http://host:port`). */
  allowOrigins?: readonly string[];
}

/** What a request looks like to the policy: the same for HTTP requests and socket upgrades. */
export interface AccessRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** A WebSocket upgrade: always checked like a state-changing request. */
  upgrade: boolean;
}

/** The policy's answer for an accepted request. */
export interface AccessGrant {
  /** The request came with `?token=` and no cookie: set the cookie. */
  tokenFromQuery: boolean;
}

export interface AccessPolicy {
  readonly token: string | undefined;
  /**
   * The `Set-Cookie` value that keeps a browser signed in to this server: the token in a cookie
   * named after the port (`civtag_token_4747`). `undefined` when no token is required.
   */
  tokenCookie(): string | undefined;
  /**
   * Accepts a request, or throws `FORBIDDEN` (Host or Origin refused) or `UNAUTHORIZED`
   * (no valid token). One function for HTTP and upgrades, so the two cannot drift apart.
   */
  authorize(request: AccessRequest): AccessGrant;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Builds the Host / Origin / token policy of DESIGN §5. */
export function createAccessPolicy(options: AccessPolicyOptions): AccessPolicy {
  const hostNames = allowedHostNames(options.bindHost, options.allowHosts);
  const extraOrigins = new Set((options.allowOrigins ?? []).map((origin) => origin.toLowerCase()));

  function checkHost(header: string | undefined): string {
    const host = header === undefined ? undefined : parseHostHeader(header);
    if (host === undefined || !hostNames.has(host.name)) {
      throw new CivtagError(
        ErrorCode.FORBIDDEN,
        `Host "${header ?? ''}" is not allowed. Open civtag by one of its names (${[...hostNames].join(', ')}) or start it with --allow-host NAME.`,
      );
    }
    return header!.trim().toLowerCase();
  }

  function originAllowed(origin: string, requestHost: string): boolean {
    const lower = origin.toLowerCase();
    if (extraOrigins.has(lower)) return true;
    const match = /^(https?):\/\/(.+)$/.exec(lower);
    if (match === null) return false;
    const host = parseHostHeader(match[2]!);
    if (host === undefined || !hostNames.has(host.name)) return false;
    // Same origin as the (already allowed) Host header, or the server's own port on an allowed name.
    return match[2] === requestHost || host.port === options.port();
  }

  function checkOrigin(request: AccessRequest, requestHost: string): void {
    if (!request.upgrade && SAFE_METHODS.has(request.method.toUpperCase())) return;
    const origin = request.headers.origin;
    // No Origin: not a browser (curl, scripts, Node clients); browsers always send one here.
    if (origin === undefined) return;
    if (!originAllowed(origin, requestHost)) {
      throw new CivtagError(
        ErrorCode.FORBIDDEN,
        `Origin "${origin}" may not change this dataset: only pages served by this civtag server may.`,
      );
    }
  }

  function checkToken(request: AccessRequest): AccessGrant {
    const expected = options.token;
    if (expected === undefined) return { tokenFromQuery: false };
    const presented = presentedTokens(
      request.url,
      request.headers,
      tokenCookieName(options.port()),
    );
    const valid = presented.find((token) => tokensMatch(expected, token.value));
    if (valid === undefined) {
      throw new CivtagError(
        ErrorCode.UNAUTHORIZED,
        presented.length === 0
          ? 'This civtag server needs its access token: open the URL it printed (with ?token=…) or send "Authorization: Bearer <token>".'
          : 'The access token is wrong: use the token civtag printed when it started.',
      );
    }
    return {
      tokenFromQuery:
        valid.source === 'query' &&
        !presented.some((t) => t.source === 'cookie' && t.value === valid.value),
    };
  }

  return {
    token: options.token,
    tokenCookie() {
      return options.token === undefined ? undefined : tokenCookie(options.token, options.port());
    },
    authorize(request) {
      const requestHost = checkHost(request.headers.host);
      checkOrigin(request, requestHost);
      return checkToken(request);
    },
  };
}
