import type { Protocol } from '../../plan/index.js';

/**
 * The HTTP match that tells the two APIs apart on one host and port: gRPC requests carry
 * `content-type: application/grpc…` (the gRPC-over-HTTP/2 spec), REST requests never do. Matching the
 * content type rather than a path also keeps gRPC health checks and reflection on the gRPC side.
 */
const GRPC_CONTENT_TYPE = { 'content-type': { prefix: 'application/grpc' } };

export const protocolMatch = (protocol: Protocol) => (protocol === 'grpc' ? { headers: GRPC_CONTENT_TYPE } : { withoutHeaders: GRPC_CONTENT_TYPE });
