/** Where new findings go once a run has written them: SNS and EventBridge in AWS, the terminal locally. */
import type { Finding } from '../core/findings.ts';
import type { IdentityMap } from '../core/identity-context.ts';
import type { CascadeNotice } from './cascade-message.ts';

/** What a run knows about its findings besides the findings themselves. */
export interface NotifyContext {
  /**
   * The identities of the users the findings are about, by lower-cased login (core/identity-context.ts
   * `findingIdentities`): a user finding whose login is here carries an identity line. @default none
   */
  readonly identities?: IdentityMap;
}

export interface Notifier {
  /**
   * Announces each finding once. Called with the run's NEW findings only (ids the lake did not hold before),
   * so a re-run of the same window announces nothing. Throws when a finding could not be announced, after
   * trying every one of them.
   */
  notify(findings: readonly Finding[], context?: NotifyContext): Promise<void>;
  /**
   * The near-time cascade: one message about a user (the finding that escalated, every check they fail now, the new
   * ones marked) instead of one per new finding (notify/cascade-message.ts); each new finding still goes on the event
   * bus on its own. Announces nothing when `notice.newFindings` is empty. A notifier without it gets
   * `notify(notice.newFindings)`.
   */
  notifyCascade?(notice: CascadeNotice, context?: NotifyContext): Promise<void>;
}
