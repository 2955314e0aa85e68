/** Shared pieces of the JSON API: the error shape, pagination, and parameters. */
import { Type, type TSchema } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Record(Type.String(), Type.String()),
    }),
  },
  { $id: 'Error' },
);

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
};

export const paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() });

export const AuthorityParam = Type.Object({ authority: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$', description: 'The authority’s slug, e.g. lambeth' }) });

/** Standard error responses to declare on every API route. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const pageOf = (q: { page?: number; pageSize?: number }) => {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 25;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
};
