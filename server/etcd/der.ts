/**
 * The few DER (ASN.1 distinguished encoding) shapes an X.509 certificate needs.
 * Each function returns one complete TLV; node:crypto does the key work.
 */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};

export const sequence = (...parts: Buffer[]) => tlv(0x30, ...parts);
export const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
export const octetString = (body: Buffer) => tlv(0x04, body);
export const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
export const booleanTrue = () => tlv(0x01, Buffer.from([0xff]));
/** An explicitly tagged, constructed context field ([n] EXPLICIT). */
export const explicit = (n: number, inner: Buffer) => tlv(0xa0 | n, inner);
/** An implicitly tagged, primitive context field ([n] IMPLICIT, e.g. a SAN entry). */
export const implicit = (n: number, body: Buffer) => tlv(0x80 | n, body);

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps it positive). */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A BIT STRING holding whole bytes (signatures, keys). */
export const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);

/** A BIT STRING of named flags (bit 0 = most significant bit of the first byte), trailing zero bits dropped as DER requires. */
export function flagBits(bits: number[]): Buffer {
  const size = Math.max(...bits) + 1;
  const bytes = Buffer.alloc(Math.ceil(size / 8));
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return tlv(0x03, Buffer.from([bytes.length * 8 - size]), bytes);
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5), to the second. */
export function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return at.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), "ascii")) : tlv(0x18, Buffer.from(iso, "ascii"));
}
