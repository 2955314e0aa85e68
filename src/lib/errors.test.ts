import { describe, expect, it } from 'vitest';
import { ConflictError, FieldChecker, NotFoundError, ValidationError, optionalText, text } from './errors.ts';

describe('ValidationError', () => {
  it('carries the field errors and a default message', () => {
    const err = new ValidationError({ name: 'Enter a name' });
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('There is a problem');
    expect(err.fields).toEqual({ name: 'Enter a name' });
  });

  it('takes a message', () => {
    expect(new ValidationError({}, 'Check the file').message).toBe('Check the file');
  });
});

describe('ConflictError', () => {
  it('carries a message and, optionally, field errors', () => {
    const bare = new ConflictError('That slug is taken');
    expect(bare.message).toBe('That slug is taken');
    expect(bare.fields).toEqual({});
    expect(new ConflictError('Taken', { slug: 'Choose another slug' }).fields).toEqual({ slug: 'Choose another slug' });
  });

  it('is not a validation or not-found error', () => {
    const err: Error = new ConflictError('x');
    expect(err).not.toBeInstanceOf(ValidationError);
    expect(err).not.toBeInstanceOf(NotFoundError);
  });
});

describe('FieldChecker', () => {
  it('throws nothing when every check passes', () => {
    const check = new FieldChecker();
    check.check(true, 'name', 'Enter a name');
    expect(() => check.throwIfAny()).not.toThrow();
    expect(check.errors).toEqual({});
  });

  it('throws every failed field at once, in the order checked', () => {
    const check = new FieldChecker();
    check.check(false, 'name', 'Enter a name');
    check.check(true, 'type', 'Select a type');
    check.check(false, 'email', 'Enter an email address');
    check.add('postcode', 'Enter a postcode');
    let thrown: unknown;
    try {
      check.throwIfAny();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const fields = (thrown as ValidationError).fields;
    expect(fields).toEqual({ name: 'Enter a name', email: 'Enter an email address', postcode: 'Enter a postcode' });
    expect(Object.keys(fields)).toEqual(['name', 'email', 'postcode']);
  });

  it('keeps the first message for a field', () => {
    const check = new FieldChecker();
    check.check(false, 'password', 'Enter a password');
    check.check(false, 'password', 'Password must be 10 characters or more');
    check.add('password', 'Something else');
    expect(check.errors).toEqual({ password: 'Enter a password' });
  });
});

describe('text and optionalText', () => {
  it('trims strings', () => {
    expect(text('  Brixton  ')).toBe('Brixton');
    expect(text('\tline\n')).toBe('line');
    expect(optionalText('  Brixton ')).toBe('Brixton');
  });

  it.each([[undefined], [null], [42], [true], [['a']], [{ a: 1 }]])('treats %j as no text', (value) => {
    expect(text(value)).toBe('');
    expect(optionalText(value)).toBeNull();
  });

  it('gives null for blank text', () => {
    expect(optionalText('')).toBeNull();
    expect(optionalText('   ')).toBeNull();
    expect(text('   ')).toBe('');
  });
});
