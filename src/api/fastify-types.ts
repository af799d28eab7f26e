/**
 * What the API adds to Fastify's request and route-config types.
 */
import type { Principal, Role } from './auth/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (set by the auth hook before any handler runs). */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Route needs no token (health, readiness, metrics, docs). */
    public?: boolean;
    /** Weakest role that may call the route (default viewer). */
    minRole?: Role;
  }
}
