/** Pure rules for co-operative membership. */

export const MEMBERSHIP_STATUSES = { active: 'Active', lapsed: 'Lapsed', withdrawn: 'Withdrawn' } as const;
export type MembershipStatus = keyof typeof MEMBERSHIP_STATUSES;

/** How a membership ends: the member leaves (withdrawn) or the co-op lets it lapse (no longer resident, say). */
export const END_KINDS = ['lapsed', 'withdrawn'] as const;
export type EndKind = (typeof END_KINDS)[number];
export const isEndKind = (v: string): v is EndKind => (END_KINDS as readonly string[]).includes(v);

/** Why a person cannot join now, or null if they can. One membership per person means one vote. */
export function joinProblem(current: { status: string } | null): string | null {
  if (current?.status === 'active') return 'You are already a member of this co-operative';
  return null;
}

export function endProblem(current: { status: string } | null): string | null {
  if (!current) return 'This person is not a member';
  if (current.status !== 'active') return `This membership has already ended (${current.status})`;
  return null;
}
