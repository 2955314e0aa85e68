import type { FastifyRequest } from 'fastify';
import { actingRole } from '../auth/policy.ts';
import type { Actor } from '../audit/audit.ts';

/** The audit actor for a request: who, in which role, through which door. */
export const actorOf = (req: FastifyRequest): Actor => ({ userId: req.principal.userId, role: actingRole(req.principal), via: req.principal.via });
