/**
 * Whether a value names one of a record's own keys: the guard for every enumeration kept as a
 * record of labels. Object.hasOwn, not `in`, so "toString" and "constructor" never pass.
 */
export const isKeyOf = <T extends object>(record: T, value: unknown): value is keyof T & string => typeof value === 'string' && Object.hasOwn(record, value);
