import type { HandlerLog } from '../../../handlers/runtime.ts';

/** A handler log that keeps its lines (message and fields) instead of printing them. */
export const silentLog = (): HandlerLog & { lines: { message: string; fields: Record<string, unknown> }[] } => {
  const lines: { message: string; fields: Record<string, unknown> }[] = [];
  const record = (message: string, fields: Record<string, unknown>) => void lines.push({ message, fields });
  return { lines, info: record, warn: record, error: record };
};
