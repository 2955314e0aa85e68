/** Every table, for Drizzle and its migrations. Each module owns its own tables.ts. */
export * from './modules/places/tables.ts';
export * from './lib/auth/tables.ts';
export * from './lib/audit/tables.ts';
export * from './lib/outbox/tables.ts';
export * from './modules/organisations/tables.ts';
export * from './modules/membership/tables.ts';
export * from './modules/outcomes/tables.ts';
export * from './modules/catalogue/tables.ts';
export * from './modules/budgets/tables.ts';
export * from './modules/transparency/tables.ts';
export * from './modules/grants/tables.ts';
export * from './modules/right-to-challenge/tables.ts';
export * from './modules/commissioning/tables.ts';
export * from './modules/payment-by-results/tables.ts';
export * from './modules/place-budgets/tables.ts';
export * from './modules/procurement/tables.ts';
