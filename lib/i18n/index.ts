/**
 * The screens' words, one catalogue per language (docs/architecture.md#messages): English is
 * the source of the keys (./en.ts), every other catalogue is typed `Catalogue` so a missing key
 * is a type error. `t(locale, key, params)` takes the partner's BCP 47 locale ("fr-FR"): the
 * language picks the catalogue, the whole tag the plural rules and number digits. Pure: server
 * components, client components and tests share it.
 */
import { type Catalogue, en, type MessageKey } from "./en";
import { fr } from "./fr";
import { formatMessage, type MessageParams } from "./format";

export type { Catalogue, MessageKey, MessageParams };
export { placeholdersOf } from "./format";

export const CATALOGUES = { en, fr } satisfies Record<string, Catalogue>;
export type Language = keyof typeof CATALOGUES;
export const DEFAULT_LOCALE = "en-US";

/** The catalogue's language for a locale tag: "fr-FR" → fr; anything without a catalogue → en. */
export function languageOf(locale: string | null | undefined): Language {
  const lang = (locale ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return lang in CATALOGUES ? (lang as Language) : "en";
}

export function t(locale: string | null | undefined, key: MessageKey, params?: MessageParams): string {
  const tag = locale || DEFAULT_LOCALE;
  const message: string = CATALOGUES[languageOf(tag)][key] ?? en[key];
  return formatMessage(message, params, safeTag(tag));
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const translator =
  (locale: string | null | undefined): Translate =>
  (key, params) =>
    t(locale, key, params);

/** Intl throws on a malformed tag; a stored locale was validated, but a screen never crashes on one. */
const canonical = new Map<string, string>();
function safeTag(tag: string): string {
  let c = canonical.get(tag);
  if (c === undefined) {
    try {
      c = Intl.getCanonicalLocales(tag)[0] ?? DEFAULT_LOCALE;
    } catch {
      c = DEFAULT_LOCALE;
    }
    canonical.set(tag, c);
  }
  return c;
}

/** An allergen's name in the locale's language (unknown codes as they are). */
export function allergenLabel(locale: string | null | undefined, code: string): string {
  const key = `allergen.${code}` as MessageKey;
  return key in en ? t(locale, key) : code;
}
