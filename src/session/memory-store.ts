// The in-process session store, for one instance: at most `maxSessions` sessions, the least recently used
// dropped first, each ending after `idleTimeoutMs` without activity. A thin express-session Store over
// lru-cache, which keeps the order of use exactly (reads count as use; sweeping expired entries does not).
// It replaced memorystore, whose once-a-minute sweep read every entry and so reversed that order.
import { Store, type SessionData } from 'express-session';
import { LRUCache } from 'lru-cache';

type Done = (error?: unknown) => void;

export interface MemoryStoreOptions {
  readonly maxSessions: number;
  readonly idleTimeoutMs: number;
  /** How many destroyed sessions are remembered: a late save comes within seconds of the destroy. */
  readonly maxEnded: number;
}

/** Sessions age in wall-clock time, as they do in Redis (whose TTLs no app clock can move). */
const wallClock = { now: () => Date.now() };

export class MemorySessionStore extends Store {
  /** Stored as JSON, so a request's changes reach the store only when it saves them. */
  readonly #sessions: LRUCache<string, string>;
  /**
   * Sessions destroyed within the idle timeout. A request that loaded a session before it was destroyed
   * (logged out) must not write it back when it ends.
   */
  readonly #ended: LRUCache<string, true>;

  constructor({ maxSessions, idleTimeoutMs, maxEnded }: MemoryStoreOptions) {
    super();
    this.#sessions = new LRUCache<string, string>({ max: maxSessions, ttl: idleTimeoutMs, perf: wallClock });
    this.#ended = new LRUCache<string, true>({ max: maxEnded, ttl: idleTimeoutMs, perf: wallClock });
  }

  override get(sid: string, done: (error: unknown, session?: SessionData | null) => void): void {
    const json = this.#sessions.get(sid);
    done(null, json === undefined ? null : (JSON.parse(json) as SessionData));
  }

  override set(sid: string, session: SessionData, done?: Done): void {
    if (!this.#ended.has(sid)) this.#sessions.set(sid, JSON.stringify(session));
    done?.();
  }

  /** Activity: the idle time starts again. The data is left as it is (the caller's copy may be older). */
  override touch(sid: string, _session: SessionData, done?: Done): void {
    this.#sessions.get(sid, { updateAgeOnGet: true });
    done?.();
  }

  override destroy(sid: string, done?: Done): void {
    if (this.#sessions.delete(sid)) this.#ended.set(sid, true);
    done?.();
  }

  override length(done: (error: unknown, length?: number) => void): void {
    done(null, this.#sessions.size);
  }

  override all(done: (error: unknown, sessions?: Record<string, SessionData> | null) => void): void {
    const all: Record<string, SessionData> = {};
    for (const [sid, json] of this.#sessions.entries()) all[sid] = JSON.parse(json) as SessionData;
    done(null, all);
  }

  override clear(done?: Done): void {
    this.#sessions.clear();
    done?.();
  }

  /** Frees the memory of expired sessions, without changing which session is used least recently. */
  prune(): void {
    this.#sessions.purgeStale();
    this.#ended.purgeStale();
  }
}
