import packageJson from '../package.json' with { type: 'json' };

/** The version of this civtag server, as `GET /api/health` and the socket's `welcome` report it. */
export const SERVER_VERSION: string = packageJson.version;
