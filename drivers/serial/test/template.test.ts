import { describe, expect, it } from 'vitest';
import { parseHex, toHex, unescape } from '../src/bytes.js';
import { parseTemplate, renderTemplate, type Template } from '../src/template.js';

function render(source: string, value: unknown, encoding: BufferEncoding = 'utf8'): string {
  const template = parseTemplate(source, encoding) as Template;
  expect(template).not.toHaveProperty('error');
  const out = renderTemplate(template, value, encoding);
  if (!Buffer.isBuffer(out)) throw new Error(out.error);
  return out.toString('hex');
}
const hex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

describe('command templates', () => {
  it('substitute ${value} as text: numbers with String(), booleans 1/0, strings as they are', () => {
    expect(render('SET ${value}\\r\\n', 21.5)).toBe(hex('SET 21.5\r\n'));
    expect(render('RELAY ${value}\\n', true)).toBe(hex('RELAY 1\n'));
    expect(render('NAME=${value};', 'boiler')).toBe(hex('NAME=boiler;'));
    expect(render('${value}${value}', 7)).toBe(hex('77'));
  });

  it('never evaluate the value or the template as code', () => {
    expect(render('SET ${value}\\n', '${process.exit(1)}')).toBe(hex('SET ${process.exit(1)}\n'));
    expect(render('`${value}`', '1 + 1')).toBe(hex('`1 + 1`'));
  });

  it('apply escapes: \\r \\n \\t \\0 \\\\ \\$ and \\xHH as raw bytes', () => {
    expect(render('\\x02R\\x03', 0)).toBe('025203');
    expect(render('a\\tb\\0c\\\\d', 0)).toBe(hex('a\tb\0c\\d'));
    expect(render('cost \\${value} = ${value}', 3)).toBe(hex('cost ${value} = 3'));
    expect(render('\\xff', 0, 'utf8')).toBe('ff'); // a raw byte is not UTF-8 encoded
    expect(render('é', 0, 'utf8')).toBe('c3a9');
    expect(render('é', 0, 'latin1')).toBe('e9');
  });

  it('write binary placeholders big-endian by default, le on request, and check the range', () => {
    expect(render('\\x06\\x02${value:int16}', 235)).toBe('060200eb');
    expect(render('${value:uint16le}', 0x1234)).toBe('3412');
    expect(render('${value:int8}', -1)).toBe('ff');
    expect(render('${value:float32}', 1.5)).toBe('3fc00000');
    const template = parseTemplate('${value:uint8}') as Template;
    expect(renderTemplate(template, 300)).toEqual({ error: '300 is out of range for uint8 (0..255)' });
    expect(renderTemplate(template, 1.5)).toEqual({ error: '1.5 is not an integer (uint8)' });
    expect(renderTemplate(template, 'x')).toEqual({ error: '${value:uint8} needs a number, got string' });
  });

  it('write packed BCD (bcd8/16/32), most significant digits first unless le', () => {
    expect(render('${value:bcd16}', 1234)).toBe('1234');
    expect(render('${value:bcd32le}', 12345678)).toBe('78563412');
    expect(render('${value:bcd8}', 7)).toBe('07');
    expect(renderTemplate(parseTemplate('${value:bcd16}') as Template, 10000)).toEqual({
      error: '10000 is out of range for bcd16 (0..9999)',
    });
  });

  it('refuse unknown placeholders, formats, escapes and unclosed placeholders, with the reason', () => {
    expect(parseTemplate('SET ${val}')).toEqual({
      error: 'unknown placeholder ${val} (known: ${value}, ${value:<type>[be|le]})',
    });
    expect(parseTemplate('${value:int12}')).toEqual({
      error:
        'unknown format "int12" in ${value:int12} (types: uint8, int8, uint16, int16, uint32, int32, float32, float64, bcd8, bcd16, bcd32, with be or le)',
    });
    expect(parseTemplate('SET ${value')).toEqual({ error: 'unclosed placeholder "${" (write \\${ for a literal one)' });
    expect(parseTemplate('\\q')).toEqual({ error: 'unknown escape \\q at 0 (known: \\r \\n \\t \\0 \\\\ \\$ \\xHH)' });
    expect(parseTemplate('ab\\x4')).toEqual({ error: 'bad escape \\x4 at 2: expected two hex digits' });
    expect(parseTemplate('ab\\')).toEqual({ error: 'ends with a lone backslash (at 2)' });
  });
});

describe('bytes in configuration', () => {
  it('parse hex with or without separators and 0x', () => {
    expect(toHex(parseHex('02')!)).toBe('02');
    expect(toHex(parseHex('0x0D 0x0A')!)).toBe('0d 0a');
    expect(toHex(parseHex('aa:55-01,ff')!)).toBe('aa 55 01 ff');
    expect(toHex(parseHex('AA55')!)).toBe('aa 55');
    for (const bad of ['', 'zz', '123', '0x', 'g1']) expect(parseHex(bad)).toBeUndefined();
  });

  it('split text at escapes', () => {
    expect(unescape('a\\x01\\x02b\\n')).toEqual({ parts: [{ text: 'a' }, { bytes: [1, 2] }, { text: 'b\n' }] });
  });
});
