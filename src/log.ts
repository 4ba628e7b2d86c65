/**
 * Structured logs: one JSON object per line (pino), so operators can ship
 * them as they are. Tokens never reach a log: the Authorization header and
 * anything named token or secret are redacted.
 */
import pino from 'pino';

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (message: string, fields?: Record<string, unknown>, level?: LogLevel) => void;

export const jsonLog = (base: Record<string, unknown> = {}, destination: pino.DestinationStream = pino.destination({ sync: true })): Log => {
  const logger = pino(
    {
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: ['authorization', 'headers.authorization', 'token', '*.token', 'secret', '*.secret'], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return (message, fields = {}, level = 'info') => logger[level](fields, message);
};

export const silentLog: Log = () => undefined;
