/** The one structured logger of the Lambda handlers (JSON lines, level from POWERTOOLS_LOG_LEVEL). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'okta-log-lake' });
