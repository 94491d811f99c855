// Turns RingCentral's call-log records into the rows the call-log page shows: a time in UTC, who called
// whom, and a readable duration. The JSON answer is the records themselves (already cut to the documented
// fields by the client's schema), so this is for the page only.
import type { CallLogResponse } from '../ringcentral/ringcentral-types.js';
import { formatTime } from './dashboard-view.js';

export interface CallLogRow {
  readonly time: string;
  readonly direction: string;
  readonly from: PartyLabel;
  readonly to: PartyLabel;
  readonly result: string;
  readonly duration: string;
}

type CallParty = CallLogResponse['records'][number]['from'];

/** Who, as a name or extension, and their number on a second line; either may be empty. */
export interface PartyLabel {
  readonly who: string;
  readonly number: string;
}

export function toCallLogRows(records: CallLogResponse['records']): CallLogRow[] {
  return records.map((record) => {
    const started = Date.parse(record.startTime);
    return {
      time: Number.isNaN(started) ? record.startTime : formatTime(started),
      direction: record.direction,
      from: partyLabel(record.from),
      to: partyLabel(record.to),
      result: record.result ?? '—',
      duration: callDuration(record.duration),
    };
  });
}

/** "Grace Hopper" over "+14155551234", "ext. 101" over its number, or the number alone. */
function partyLabel(party: CallParty): PartyLabel {
  const number = party?.phoneNumber ?? '';
  const who = party?.name ?? (party?.extensionNumber === undefined ? '' : `ext. ${party.extensionNumber}`);
  return who === '' && number === '' ? { who: '—', number: '' } : { who, number };
}

/** "0 s", "45 s", "12 min 5 s", "1 h 2 min". */
function callDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds % 60} s`;
  return `${seconds} s`;
}
