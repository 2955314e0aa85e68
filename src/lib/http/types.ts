import type { Principal, Action } from '../auth/policy.ts';
import type { Authority } from '../../modules/places/service.ts';

export interface RouteEntry {
  method: string;
  url: string;
  action: Action;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with the policy action it performs (assets excepted). */
    routeTable: RouteEntry[];
  }
  interface FastifyReply {
    /** Values every page template sees (principal, authority, CSP nonce, CSRF token). */
    locals?: Record<string, unknown>;
  }
  interface FastifyRequest {
    principal: Principal;
    /** The authority named in the URL (/a/:authority/…), resolved before the policy check. */
    authority: Authority | null;
    /** The authority's audit sequence number when the request began: the version of its public pages. */
    authorityChangeSeq: number | null;
  }
  interface FastifyContextConfig {
    /** The policy action this route performs. Every route must name one. */
    action?: Action;
    /**
     * A public page that, for a signed-out visitor, depends only on its URL and its authority's
     * data, so the rendered page may be served again until that authority next changes.
     */
    publicPage?: boolean;
  }
}
