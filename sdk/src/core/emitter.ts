/** A minimal typed emitter; handlers that throw are isolated so one bad listener cannot stop the rest. */
export type Handler<T> = (payload: T) => void;

export function createEmitter<Events extends Record<string, unknown>>(onHandlerError: (error: unknown) => void) {
  const handlers = new Map<keyof Events, Set<Handler<never>>>();
  return {
    on<K extends keyof Events>(event: K, handler: Handler<Events[K]>) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as Handler<never>);
    },
    off<K extends keyof Events>(event: K, handler: Handler<Events[K]>) {
      handlers.get(event)?.delete(handler as Handler<never>);
    },
    emit<K extends keyof Events>(event: K, payload: Events[K]) {
      handlers.get(event)?.forEach((handler) => {
        try {
          (handler as Handler<Events[K]>)(payload);
        } catch (error) {
          onHandlerError(error);
        }
      });
    },
  };
}
