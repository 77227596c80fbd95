/** Free-form data the application attaches to media objects; never sent to the worker. */
export type AppData = Record<string, unknown>;
