/**
 * JSON.parse, but a malformed file is reported by line and column. Node's own messages give the
 * position for some mistakes and not others ("Unexpected token '}', … is not valid JSON"), so on
 * failure a small scanner walks the text to the first thing JSON does not allow.
 */

export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

export function parseJsonText(text: string): unknown {
  // Editors on Windows may start a UTF-8 file with a byte order mark, which JSON.parse refuses.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const found = firstError(body);
    if (!found) throw err;
    const before = body.slice(0, found.offset).split('\n');
    throw new JsonSyntaxError(found.message, before.length, before.at(-1)!.length + 1);
  }
}

interface Found {
  offset: number;
  message: string;
}

class Stop {
  readonly found: Found;
  constructor(found: Found) {
    this.found = found;
  }
}

/** Where the text first stops being JSON (RFC 8259), or null if it is JSON after all. */
function firstError(text: string): Found | null {
  let i = 0;
  const stop = (message: string): never => {
    throw new Stop({ offset: i, message: i >= text.length ? `${message}, but the file ends` : message });
  };
  const space = () => {
    while (' \t\n\r'.includes(text[i] ?? '.')) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else stop('Expected a value (an object, array, string, number, true, false or null)');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) stop('Expected a number');
    i += match![0].length;
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('Expected the closing " of a string');
      if (c === '"') break;
      if (c! < ' ') stop('A line break or control character inside a string must be escaped');
      if (c === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}/.test(text.slice(i + 1, i + 5))) i += 4;
        else if (!'"\\/bfnrt'.includes(text[i] ?? '.')) stop('Unknown escape in a string');
      }
      i++;
    }
    i++;
  };
  const list = (close: string, item: () => void) => {
    i++; // the opening bracket
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') stop(`Expected , or ${close}`);
      i++;
      space();
    }
  };
  const member = () => {
    if (text[i] !== '"') stop('Expected a property name in double quotes');
    string();
    space();
    if (text[i] !== ':') stop('Expected : after a property name');
    i++;
    space();
    value();
  };
  const value = (): void => {
    const c = text[i];
    if (c === '{') list('}', member);
    else if (c === '[') list(']', value);
    else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else literal('null');
  };
  try {
    space();
    value();
    space();
    if (i < text.length) stop('Unexpected text after the end of the JSON value');
    return null;
  } catch (err) {
    if (err instanceof Stop) return err.found;
    throw err;
  }
}
