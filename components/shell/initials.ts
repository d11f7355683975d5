const graphemes = (s: string): string[] => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].map((g) => g.segment);

/**
 * Avatar initials by grapheme, not UTF-16 unit: "Ada Admin" → "AA", "🚀 Olga" → "🚀O"
 * (slicing code units split the emoji's surrogate pair and showed "�O").
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = (w: string) => graphemes(w)[0] ?? "";
  const letters = words.length > 1 ? first(words[0]!) + first(words.at(-1)!) : graphemes(words[0]!).slice(0, 2).join("");
  return letters.toUpperCase();
}
