"use client";

import { createContext, useContext, useMemo } from "react";
import { DEFAULT_LOCALE, languageOf, type Translate, translator } from "@/lib/i18n";

/**
 * The partner's locale for the client components of a page: the server page reads it (the
 * signed-in user's restaurant, the order's, the menu's) and wraps the screen in this provider.
 * Outside one everything is English.
 */
const LocaleContext = createContext<string>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: string; children: React.ReactNode }) {
  return (
    <LocaleContext.Provider value={locale}>
      {/* `lang` for screen readers and hyphenation; the root <html> cannot know the restaurant. */}
      <div lang={languageOf(locale)} className="contents">
        {children}
      </div>
    </LocaleContext.Provider>
  );
}

export const useLocale = () => useContext(LocaleContext);

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}
