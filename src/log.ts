/** Structured logs: one JSON object per line on stdout, so operators can ship them as they are. */
export type Log = (message: string, fields?: Record<string, unknown>) => void;

export const jsonLog =
  (base: Record<string, unknown> = {}): Log =>
  (message, fields = {}) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg: message, ...base, ...fields })}\n`);
  };

export const silentLog: Log = () => undefined;
