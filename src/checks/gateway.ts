import type { Check } from './context.js';

/**
 * The gateway settings make a server Istio accepts and the install can reach: nothing of a shared
 * Gateway's own set here, TLS settings exactly on HTTPS, and a port the gateway's Service exposes.
 */
export const gateway: Check = ({ plan, report }) => {
  const g = plan.gateway;
  // Flagger's VirtualService carries the Canary's hosts to the mesh as well, where Istio refuses `*`.
  if (plan.mode === 'flagger' && g.hosts.includes('*')) {
    report('SV233', `a flagger rollout needs concrete gateway hosts: Flagger routes them for in-mesh callers too, and Istio refuses host "*" there`, g.origins.hosts.path, {
      ...(g.origins.hosts.given ? {} : { at: 'key' as const }),
      hint: `write gateway.hosts: [${plan.name}.example.com] (a name clients use for this model)`,
    });
  }
  if (g.kind === 'shared') {
    for (const field of ['port', 'protocol', 'tlsSecret', 'selector'] as const) {
      const origin = g.origins[field];
      if (!origin.given) continue;
      report('SV230', `gateway.${field} cannot be set with gateway.ref: the shared Gateway ${g.reference} decides it`, origin.path, {
        at: 'key',
        hint: `remove gateway.${field}, or remove gateway.ref to have servec write a Gateway of the service's own`,
        labels: [{ path: g.origins.ref.path, message: 'the routes attach to this Gateway' }],
      });
    }
    return;
  }
  if (g.tlsSecret && g.protocol !== 'HTTPS') {
    report('SV231', `gateway.tlsSecret is set on a ${g.protocol} port: Istio refuses TLS settings on plain-text HTTP ports`, g.origins.protocol.path, {
      hint: 'write protocol: HTTPS (gRPC works over HTTPS), or remove tlsSecret to serve plain text',
      labels: [{ path: g.origins.tlsSecret.path, message: 'the certificate' }],
    });
  }
  if (!g.tlsSecret && g.protocol === 'HTTPS') {
    report('SV231', 'gateway.protocol is HTTPS but no certificate is given', g.origins.protocol.path, {
      hint: 'add tlsSecret: the name of the Secret holding the certificate, in the gateway pods\' namespace',
    });
  }
  // With a selector of the user's, the gateway and its Service are theirs too.
  if (!g.origins.selector.given && !g.clientPorts.includes(g.port)) {
    report('SV310', `port ${g.port} is not on the standard Service of ${g.installTitle} (ports ${g.clientPorts.join(', ')}): clients cannot reach it`, g.origins.port.path, {
      hint: `use ${g.protocol === 'HTTPS' ? 443 : 80}, or add ${g.port} to the gateway Service (its ports list replaces the default one; the istioctl demo profile also exposes 31400 and 15443)`,
    });
  }
};
