// Short answers in the form the grader compares them (grader/grading/scoring.py normalise_text), Python's casefold included.

// The steps of normalise_text, in its order: NFKC; every dash (scoring.py's DASHES) and the minus sign as "-";
// curly quotes as straight ones; white space as Python's str.split() finds it, collapsed; then casefold.
const DASH = /[\u058a\u05be\u1400\u1806\u2010-\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\u{10ead}\u2212]/gu;
const SINGLE_QUOTE = /[\u2018-\u201b]/g;
const DOUBLE_QUOTE = /[\u201c-\u201f]/g;
// Python's str.isspace(), which differs from JavaScript's \s: \x1c to \x1f and \x85 are spaces there, \ufeff is not.
const PYTHON_SPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
// Cherokee is the one script whose case folding goes to capitals.
const CHEROKEE = /[\u13a0-\u13ff\uab70-\uabbf]/u;

/**
 * One character case-folded as Python's str.casefold() folds it.
 * JavaScript has no case folding; upper then lower case gives the same for every character but these:
 * Cherokee, the dotless i (which stays), and the capital sharp s (ẞ, which folds to "ss" as ß does).
 * @param {string} character  one code point
 * @returns {string}
 */
function foldCharacter(character) {
  if (CHEROKEE.test(character)) return character.toUpperCase();
  if (character === "\u0131") return character;
  if (character === "\u1e9e") return "ss";
  return character.toUpperCase().toLowerCase();
}

/**
 * Python's str.casefold(): character by character, so that no letter depends on the ones beside it (as the final
 * sigma does in toLowerCase).
 * @param {string} text
 * @returns {string}
 */
export function casefold(text) {
  let folded = "";
  for (const character of text) folded += foldCharacter(character);
  return folded;
}

/**
 * The grader's comparison form of a short answer: NFKC, dashes and quotes made plain, spaces collapsed, case folded.
 * @param {string} text
 * @returns {string}
 */
export function normaliseText(text) {
  const plain = text.normalize("NFKC").replace(DASH, "-").replace(SINGLE_QUOTE, "'").replace(DOUBLE_QUOTE, "\"");
  return casefold(plain.split(PYTHON_SPACE).filter(Boolean).join(" "));
}
