import { CivtagError, CloseCode, ErrorCode } from '@civtag/ws-protocol';

const codeFor: Record<number, ErrorCode> = {
  [CloseCode.POLICY_VIOLATION]: ErrorCode.FORBIDDEN,
  [CloseCode.UNAUTHORIZED]: ErrorCode.UNAUTHORIZED,
  [CloseCode.PROTOCOL_VERSION_MISMATCH]: ErrorCode.PROTOCOL,
  [CloseCode.REPLACED]: ErrorCode.CONFLICT,
};

const adviceFor: Record<number, string> = {
  [CloseCode.POLICY_VIOLATION]: 'the server refuses this client (Host or Origin check)',
  [CloseCode.UNAUTHORIZED]: 'the token is missing or wrong; reload with a valid token',
  [CloseCode.PROTOCOL_VERSION_MISMATCH]:
    'the server speaks another protocol version; reload the page or update the client',
  [CloseCode.REPLACED]:
    'another connection with the same client id took its place; give each tab its own client id',
};

/** The error a client stops with after a close code that forbids reconnecting. */
export function finalCloseError(code: number, reason: string): CivtagError {
  const said = reason === '' ? '' : ` ("${reason}")`;
  return new CivtagError(
    codeFor[code] ?? ErrorCode.PROTOCOL,
    `The server closed the connection for good with code ${code}${said}: ${adviceFor[code] ?? 'reconnecting cannot help'}. The client has stopped.`,
    { details: { closeCode: code, reason } },
  );
}
