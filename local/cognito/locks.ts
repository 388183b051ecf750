/**
 * Which calls wait for which. Cognito serves different users' calls independently, and one user's in
 * an order its rules depend on: a TOTP code is spent once, a refresh token rotated once, a lockout
 * counter counts every failure. So a call holds its user's key (`user:<name>`, or `name:<lower-cased
 * name>` for a name no user has yet) from its first read to its commit, and calls on other keys run
 * meanwhile. Calls that touch records shared between users (groups, the pool, a user's deletion)
 * run alone: they wait for every call under way, and every later call waits for them.
 */

/** A key to hold, '' for none (the call reads only), or EXCLUSIVE to run alone. */
export type Scope = string;
export const EXCLUSIVE = '\0exclusive';

type Waiter = { exclusive: boolean; grant: () => void };

export class CallLocks {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: Waiter[] = [];
  /** Per key, the end of the chain of calls holding or waiting for it. */
  private readonly keys = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<unknown>>();

  /**
   * Runs `task` once its scope is held. The scope is found again after the key is taken: if what it
   * names changed meanwhile (the user was created or deleted), the call waits for the new key instead.
   */
  async run<T>(scopeOf: () => Promise<Scope>, task: () => Promise<T>): Promise<T> {
    const run = this.hold(scopeOf, task);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  private async hold<T>(scopeOf: () => Promise<Scope>, task: () => Promise<T>): Promise<T> {
    let scope = await scopeOf();
    if (scope === EXCLUSIVE) {
      await this.enter(true);
      try {
        return await task();
      } finally {
        this.leave(true);
      }
    }
    await this.enter(false);
    try {
      for (;;) {
        const release = scope === '' ? () => undefined : await this.take(scope);
        let again: Scope;
        try {
          again = await scopeOf();
        } catch (error) {
          release();
          throw error;
        }
        if (again === scope) {
          try {
            return await task();
          } finally {
            release();
          }
        }
        release();
        if (again === EXCLUSIVE) return await this.exclusively(task);
        scope = again;
      }
    } finally {
      this.leave(false);
    }
  }

  /** From a shared hold to an exclusive one (a scope that turned exclusive while waiting). */
  private async exclusively<T>(task: () => Promise<T>): Promise<T> {
    this.leave(false);
    try {
      await this.enter(true);
      try {
        return await task();
      } finally {
        this.leave(true);
      }
    } finally {
      await this.enter(false);
    }
  }

  /** Waits for the calls ahead on this key; resolves with the function that hands it on. */
  private async take(k: string): Promise<() => void> {
    const ahead = this.keys.get(k) ?? Promise.resolve();
    let handOn!: () => void;
    const mine = new Promise<void>((resolve) => (handOn = resolve));
    const tail = ahead.then(() => mine);
    this.keys.set(k, tail);
    await ahead;
    return () => {
      handOn();
      // The last in line cleans up, so the map holds only keys in use.
      if (this.keys.get(k) === tail) this.keys.delete(k);
    };
  }

  private enter(exclusive: boolean): Promise<void> {
    // First come, first served: a call never overtakes one already waiting.
    if (this.waiting.length === 0 && (exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive)) {
      this.admit(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ exclusive, grant }));
  }

  private admit(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  private leave(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    while (this.waiting.length > 0 && !this.exclusive) {
      const next = this.waiting[0] as Waiter;
      if (next.exclusive && this.shared > 0) break;
      this.waiting.shift();
      this.admit(next.exclusive);
      next.grant();
      if (next.exclusive) break;
    }
  }

  /** Resolves once every call under way has finished (close()). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
