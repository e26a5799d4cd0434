package dev.stockroom.load.audit;

/**
 * One invariant: a name, and a query that returns one row per violation (at most a few are printed).
 *
 * @param name     what must hold, as the report prints it
 * @param violations SQL returning a row per violation; no rows means the invariant holds
 */
record Check(String name, String violations) {
}
