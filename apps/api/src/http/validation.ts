import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationProblem } from './problem.filter';

/** Whitelisted, transformed DTOs; unknown fields are an error rather than silently dropped. */
export function validationPipe(): ValidationPipe {
  return new EmptyQueryOncePipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

/**
 * An empty query string, which most reads have, becomes the same DTO every time: it is validated once per DTO
 * class and then copied, instead of going through class-validator on every request (about a twelfth of the
 * API's CPU on the cached `GET /v1/levels`). Anything else, and an empty query that fails, goes the full way.
 */
class EmptyQueryOncePipe extends ValidationPipe {
  private readonly emptyQueries = new WeakMap<Type, object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'query' || !type || !isEmptyObject(value)) return super.transform(value, metadata);
    const known = this.emptyQueries.get(type);
    if (known)
      // Kept only when it holds primitives alone (below): a shallow copy is a whole one.
      return Object.assign(Object.create(type.prototype as object) as object, known);
    const result: unknown = await super.transform(value, metadata);
    if (
      result &&
      typeof result === 'object' &&
      Object.values(result).every((v) => v === null || typeof v !== 'object')
    )
      this.emptyQueries.set(type, Object.freeze({ ...result }));
    return result;
  }
}

const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts each message with the property name; the field says it already.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
