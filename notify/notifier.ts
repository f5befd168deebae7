/** Where new findings go once a run has written them: SNS and EventBridge in AWS, the terminal locally. */
import type { Finding } from '../core/findings.ts';

export interface Notifier {
  /**
   * Announces each finding once. Called with the run's NEW findings only (ids the lake did not hold before),
   * so a re-run of the same window announces nothing. Throws when a finding could not be announced, after
   * trying every one of them.
   */
  notify(findings: readonly Finding[]): Promise<void>;
}
