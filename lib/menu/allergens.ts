/**
 * The 14 allergens EU Regulation 1169/2011 requires a restaurant to declare (SPEC §2b), by the
 * codes Pass stores and sends. Lists are kept in this order everywhere, so two lines with the
 * same allergens render identically on every screen and slip.
 */
export const ALLERGENS = [
  "gluten",
  "crustaceans",
  "eggs",
  "fish",
  "peanuts",
  "soybeans",
  "milk",
  "nuts",
  "celery",
  "mustard",
  "sesame",
  "sulphites",
  "lupin",
  "molluscs",
] as const;
export type AllergenCode = (typeof ALLERGENS)[number];

/** What a guest or a cook reads for each code (English, as the regulation's Annex II names them). */
export const ALLERGEN_NAMES: Record<AllergenCode, string> = {
  gluten: "Gluten",
  crustaceans: "Crustaceans",
  eggs: "Eggs",
  fish: "Fish",
  peanuts: "Peanuts",
  soybeans: "Soy",
  milk: "Milk",
  nuts: "Tree nuts",
  celery: "Celery",
  mustard: "Mustard",
  sesame: "Sesame",
  sulphites: "Sulphites",
  lupin: "Lupin",
  molluscs: "Molluscs",
};

/** A code's readable name; an unknown code is shown as it is. */
export const allergenName = (code: string): string => ALLERGEN_NAMES[code as AllergenCode] ?? code;

const ORDER = new Map<string, number>(ALLERGENS.map((code, i) => [code, i]));

export const isAllergen = (code: string): code is AllergenCode => ORDER.has(code);

/** Deduplicated and in the regulation's order. */
export function sortAllergens(codes: Iterable<string>): AllergenCode[] {
  return [...new Set(codes)].filter(isAllergen).sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);
}

/** Reads a stored JSON list; anything unreadable is an empty list rather than a crash on a screen. */
export function readAllergens(json: string | null | undefined): AllergenCode[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json);
    return Array.isArray(list) ? sortAllergens(list.filter((c): c is string => typeof c === "string")) : [];
  } catch {
    return [];
  }
}

/** What a guest declared: allergen codes and, for anything else, their own words. */
export type DeclaredAllergies = { codes: AllergenCode[]; note: string | null };

/** Free-text notes that speak of an allergy ("nut allergy", "allergic to shellfish"). */
const ALLERGY_WORDS = /\ballerg/i;

/**
 * An order the kitchen must acknowledge with a tap before bumping, and that shows the red band:
 * the guest declared allergies, or a line's own note speaks of one (docs/architecture.md
 * "Allergies"). Allergens a dish merely contains are shown on the line, not banded — nearly
 * every burger contains gluten and milk.
 */
export function needsAllergyAck({ allergies, notes }: { allergies: DeclaredAllergies | null; notes: readonly (string | null)[] }): boolean {
  if (allergies && (allergies.codes.length > 0 || allergies.note)) return true;
  return notes.some((n) => n !== null && ALLERGY_WORDS.test(n));
}
