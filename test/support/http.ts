/** What a test sees of an HTTP answer's body: its JSON, or `{ raw: text }` when it is not JSON (a 404 page, a proxy's error). */
export const jsonOrRaw = (text: string): any => {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
};
