import { ArgumentMetadata } from '@nestjs/common';
import { IsString } from 'class-validator';
import { ValidationProblem } from './problem.filter';
import { PageQuery } from './shared.dto';
import { validationPipe } from './validation';

class RequiredQuery {
  @IsString()
  q!: string;
}

const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('validationPipe', () => {
  it('turns an empty query into a fresh DTO with its defaults every time', async () => {
    const pipe = validationPipe();
    const first = (await pipe.transform({}, asQuery(PageQuery))) as PageQuery;
    first.limit = 7; // a handler changing its DTO must not change the next request's
    const second = (await pipe.transform({}, asQuery(PageQuery))) as PageQuery;
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).toEqual(Object.assign(new PageQuery(), { limit: 50 }));
    expect(second).not.toBe(first);
  });

  it('still rejects an empty query that the DTO does not allow, every time', async () => {
    const pipe = validationPipe();
    for (let i = 0; i < 2; i++)
      await expect(pipe.transform({}, asQuery(RequiredQuery))).rejects.toBeInstanceOf(ValidationProblem);
  });

  it('validates a query with fields in full: values transformed, unknown fields refused', async () => {
    const pipe = validationPipe();
    await pipe.transform({}, asQuery(PageQuery));
    expect(await pipe.transform({ limit: '20' }, asQuery(PageQuery))).toMatchObject({ limit: 20 });
    await expect(pipe.transform({ limit: '0' }, asQuery(PageQuery))).rejects.toBeInstanceOf(
      ValidationProblem,
    );
    await expect(pipe.transform({ colour: 'red' }, asQuery(PageQuery))).rejects.toBeInstanceOf(
      ValidationProblem,
    );
  });

  it('validates an empty body in full', async () => {
    const pipe = validationPipe();
    for (let i = 0; i < 2; i++)
      await expect(pipe.transform({}, { type: 'body', metatype: RequiredQuery })).rejects.toBeInstanceOf(
        ValidationProblem,
      );
  });
});
