// One-at-a-time per key. BotService's counters, votes, rate limits and dedupe entries are
// read-modify-write on the store, and chat SDKs run handlers concurrently: two clicks or two
// pastes handled at once would lose an update. Within one process they take turns per key.
// (Across processes sharing Redis this does not help; see Store.add for what is atomic.)

export type Serial = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function keyedQueue(): Serial {
  const last = new Map<string, Promise<void>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const result = (last.get(key) ?? Promise.resolve()).then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    last.set(key, settled);
    void settled.then(() => {
      if (last.get(key) === settled) last.delete(key);
    });
    return result;
  };
}
