// GET /restapi/v1.0/account/~/extension/~/call-log: the signed-in user's calls, in RingCentral's shape
// (ringcentral-oauth.md §12: records, paging, navigation). Each demo user has the same calls on every load:
// generated from their extension id, at times counted back from the current hour. Paging as RingCentral
// pages: `page` from 1, `perPage` up to 1000 (100 by default), optional `direction` and `type` filters.
import type { Request } from 'express';
import { ApiError } from './emulator-errors.js';
import type { DemoUser } from './emulator-store.js';

const CALLS_PER_USER = 57;
const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 1_000;
const HOUR_MS = 3_600_000;

const RESULTS = {
  Inbound: ['Accepted', 'Accepted', 'Missed', 'Voicemail', 'Call connected'],
  Outbound: ['Call connected', 'Call connected', 'No Answer', 'Busy'],
} as const;
const NAMES = ['Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Dennis Ritchie', 'Barbara Liskov', ''];

export interface CallLogRecord {
  readonly uri: string;
  readonly id: string;
  readonly sessionId: string;
  readonly telephonySessionId: string;
  readonly startTime: string;
  readonly duration: number;
  readonly type: 'Voice';
  readonly direction: 'Inbound' | 'Outbound';
  readonly action: 'Phone Call' | 'VoIP Call';
  readonly result: string;
  readonly from: { readonly phoneNumber: string; readonly name?: string; readonly extensionNumber?: string };
  readonly to: { readonly phoneNumber: string; readonly name?: string; readonly extensionNumber?: string };
}

/** The answer for this request: its page of the user's calls, newest first. */
export function callLogPage(req: Request, user: DemoUser, now: number) {
  const perPage = positiveParam(req, 'perPage', DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = positiveParam(req, 'page', 1, Number.MAX_SAFE_INTEGER);
  const direction = req.query['direction'];
  const type = req.query['type'];
  const base = `${req.protocol}://${req.get('host') ?? 'localhost'}/restapi/v1.0/account/${user.accountId}/extension/${user.extensionId}/call-log`;
  const all = callsOf(user, now, base).filter(
    (call) =>
      (direction === undefined || call.direction === direction) && (type === undefined || call.type === type),
  );
  const totalPages = Math.max(1, Math.ceil(all.length / perPage));
  const start = (page - 1) * perPage;
  const records = all.slice(start, start + perPage);
  const pageUri = (n: number) => {
    const query = new URLSearchParams({ page: String(n), perPage: String(perPage) });
    return { uri: `${base}?${query.toString()}` };
  };
  return {
    uri: pageUri(page).uri,
    records,
    paging: {
      page,
      totalPages,
      perPage,
      totalElements: all.length,
      ...(records.length === 0 ? {} : { pageStart: start, pageEnd: start + records.length - 1 }),
    },
    navigation: {
      firstPage: pageUri(1),
      ...(page < totalPages ? { nextPage: pageUri(page + 1) } : {}),
      ...(page > 1 ? { previousPage: pageUri(Math.min(page - 1, totalPages)) } : {}),
      lastPage: pageUri(totalPages),
    },
  };
}

/** Invalid values answer as RingCentral does: 400 CMN-101 naming the parameter. */
function positiveParam(req: Request, name: string, fallback: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max))
    throw new ApiError(400, 'CMN-101', 'CMN-101', `Parameter [${name}] value is invalid.`);
  return value;
}

/** The same calls for a user on every load: a small seeded generator, times back from the current hour. */
function callsOf(user: DemoUser, now: number, base: string): CallLogRecord[] {
  const random = seeded(Number(user.extensionId));
  const anchor = Math.floor(now / HOUR_MS) * HOUR_MS;
  const own = {
    phoneNumber: `+1650555${user.extensionNumber.padStart(4, '0')}`,
    extensionNumber: user.extensionNumber,
  };
  const calls: CallLogRecord[] = [];
  let at = anchor;
  for (let i = 0; i < CALLS_PER_USER; i += 1) {
    at -= Math.floor(random() * 9 * HOUR_MS) + 60_000;
    const direction = random() < 0.55 ? 'Inbound' : 'Outbound';
    const results = RESULTS[direction];
    const result = results[Math.floor(random() * results.length)] ?? 'Accepted';
    const connected = result === 'Accepted' || result === 'Call connected';
    const name = NAMES[Math.floor(random() * NAMES.length)] ?? '';
    const other = {
      phoneNumber: `+1415555${String(1000 + Math.floor(random() * 9000))}`,
      ...(name === '' ? {} : { name }),
    };
    const id = `${user.extensionId}${String(i).padStart(4, '0')}`;
    calls.push({
      uri: `${base}/${id}`,
      id,
      sessionId: String(9_000_000_000 + Number(id.slice(-9))),
      telephonySessionId: `s-${id}`,
      startTime: new Date(at).toISOString().replace('.000Z', 'Z'),
      duration: connected ? 20 + Math.floor(random() * 1_200) : Math.floor(random() * 30),
      type: 'Voice',
      direction,
      action: random() < 0.5 ? 'Phone Call' : 'VoIP Call',
      result,
      from: direction === 'Inbound' ? other : own,
      to: direction === 'Inbound' ? own : other,
    });
  }
  return calls;
}

/** mulberry32: a tiny, well-known seeded generator; the data only needs to look varied and stay stable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
