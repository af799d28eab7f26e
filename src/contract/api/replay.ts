/**
 * Parts of the answers that replay a policy change over the stored flows (`/fixes`,
 * `/recommendations`): the verdict-change counts and the groups of flows by ends and verdicts.
 */
import { Type, type Static } from 'typebox';
import { Nullable, StringEnum, Verdict } from './schema-parts.ts';

/** The counts every replay reports (spread into the answers' `replay` objects). */
export const ReplayCountsOut = {
  scanned: Type.Integer(),
  evaluated: Type.Integer(),
  unchanged: Type.Integer(),
  allow_to_deny: Type.Integer(),
  deny_to_allow: Type.Integer(),
  skipped_unknown_protocol: Type.Integer(),
  skipped_unresolved: Type.Integer({ description: 'Reports with an end that has neither a stored address nor a representative (see unresolved).' }),
  skipped_error: Type.Integer(),
  by_address: Type.Integer({ description: 'Evaluated with their stored addresses.' }),
  by_identity: Type.Integer({ description: 'Evaluated with representative addresses resolved from the ends\' identities.' }),
};

/** One end of a group: namespace and aggregated name (as /denied groups them). */
const ReplayPeer = Type.Object({ namespace: Nullable(Type.String()), name: Nullable(Type.String()) }, { additionalProperties: false });

/** The flows of one pair of ends, protocol, port and verdict change. */
export const ReplayGroupOut = {
  key: Type.String({ description: '`srcns/srcname → dstns/dstname proto/port current→candidate` (stable, for matching).' }),
  source: ReplayPeer,
  destination: ReplayPeer,
  protocol: Type.String({ description: 'Protocol name (tcp) or number.' }),
  port: Nullable(Type.Integer()),
  current: Verdict,
  candidate: Verdict,
  flows: Type.Integer(),
  sample: Type.Object({
    src_ip: Type.String(), dst_ip: Type.String(), time: Nullable(Type.String()),
    by: StringEnum(['address', 'identity'] as const, 'identity: the report kept no address; the ips are representatives of its ends.'),
  }, { additionalProperties: false, description: 'The group\'s newest scanned flow: what a caller re-explains.' }),
  first_seen: Nullable(Type.String()),
  last_seen: Nullable(Type.String()),
};

export const ReplayGroup = Type.Object(ReplayGroupOut, { additionalProperties: false });
export type ReplayGroup = Static<typeof ReplayGroup>;
