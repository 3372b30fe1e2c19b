// Python's ways with values that the page must match to score as the grader does: round(), str() and repr().

/**
 * Python's round(value, digits): the multiple of 10^-digits nearest the exact binary value, ties to the even digit.
 * toFixed also rounds the exact value, but sends ties away from zero; a tie is exactly an odd multiple of 2^-(digits+1).
 * @param {number} value
 * @param {number} digits
 * @returns {number}
 */
export function pythonRound(value, digits) {
  if (!isFinite(value) || Math.abs(value) >= 1e21) return value;
  let units = BigInt(Math.abs(value).toFixed(digits).replace(".", ""));
  const scaled = value * 2 ** (digits + 1);
  if (Number.isInteger(scaled) && Math.abs(scaled) % 2 === 1 && units % 2n === 1n) units -= 1n;
  const text = units.toString().padStart(digits + 1, "0");
  const rounded = Number(text.slice(0, -digits) + "." + text.slice(-digits));
  return value < 0 ? -rounded : rounded;
}
/** @param {number} value */
export const round4 = (value) => pythonRound(value, 4);

// Characters Python's str.isprintable() refuses beyond ASCII: every "Other" and "Separator" category.
const UNPRINTABLE = /[\p{C}\p{Z}]/u;

/**
 * @param {number} code
 * @param {string} letter
 * @param {number} width
 */
const escaped = (code, letter, width) => "\\" + letter + code.toString(16).padStart(width, "0");

/**
 * Python's repr() of a string.
 * @param {string} text
 * @returns {string}
 */
function stringRepr(text) {
  const quote = text.includes("'") && !text.includes("\"") ? "\"" : "'";
  let out = quote;
  for (const character of text) {
    const code = /** @type {number} */ (character.codePointAt(0));
    if (character === quote || character === "\\") out += "\\" + character;
    else if (character === "\t") out += "\\t";
    else if (character === "\n") out += "\\n";
    else if (character === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += escaped(code, "x", 2);
    else if (code < 0x7f || !UNPRINTABLE.test(character)) out += character;
    else out += code <= 0xff ? escaped(code, "x", 2) : code <= 0xffff ? escaped(code, "u", 4) : escaped(code, "U", 8);
  }
  return out + quote;
}

/**
 * Python's repr() of a number that JSON carried: whole numbers as ints, others as floats
 * (shortest digits, as JavaScript's; exponent form below 0.0001, with two exponent digits at least).
 * @param {number} value
 * @returns {string}
 */
function numberRepr(value) {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1e-4) return String(value);
  return value.toExponential().replace(/e([+-])(\d)$/, (all, sign, digit) => "e" + sign + "0" + digit);
}

/**
 * Python's repr() of a value read from JSON: None, True, False, numbers, strings, lists and dicts.
 * @param {unknown} value
 * @returns {string}
 */
export function pythonRepr(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return numberRepr(value);
  if (typeof value === "string") return stringRepr(value);
  if (Array.isArray(value)) return "[" + value.map(pythonRepr).join(", ") + "]";
  const entries = Object.entries(/** @type {Record<string, unknown>} */ (value));
  return "{" + entries.map(([key, item]) => stringRepr(key) + ": " + pythonRepr(item)).join(", ") + "}";
}

/**
 * Python's str() of a value read from JSON, where scoring.py turns an id or an answer into text.
 * @param {unknown} value
 * @returns {string}
 */
export const pythonStr = (value) => (typeof value === "string" ? value : pythonRepr(value));
