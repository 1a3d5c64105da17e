'use strict';

// A proxy-integration function for the tests of package gateway: it
// answers its event as JSON; on a path ending in /binary it answers the
// request body's bytes, base64-encoded, and says in x-request-base64
// whether the body reached it base64-encoded.
exports.handler = async (event, context) => {
  const path = event.version === '2.0' ? event.rawPath : event.path;
  if (path.endsWith('/binary')) {
    const bytes = Buffer.from(event.body || '', event.isBase64Encoded ? 'base64' : 'utf8');
    return {
      statusCode: 200, isBase64Encoded: true, body: bytes.toString('base64'),
      headers: { 'content-type': 'application/octet-stream', 'x-request-base64': String(event.isBase64Encoded) },
    };
  }
  return {
    statusCode: 200, body: JSON.stringify(event),
    headers: { 'content-type': 'application/json', 'x-handler': 'node', 'x-function': context.functionName },
  };
};
