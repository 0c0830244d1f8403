// vue-i18n set up with English and 简体中文, defaulting to the system language; the settings dialogs may add their own messages.
import { createI18n } from 'vue-i18n';
import { en, type MessageSchema } from './en';
import { zhCN } from './zh-cn';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
const STORAGE_KEY = 'vmnetlab.locale';

/** The language a person's system asks for: 简体中文 for any zh other than Traditional, else English. */
export function localeFor(languages: readonly string[]): Locale {
  for (const l of languages) {
    const low = l.toLowerCase();
    if (low.startsWith('zh')) return /hant|tw|hk|mo/.test(low) ? 'en' : 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'en';
}

function stored(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : null;
  } catch {
    return null;
  }
}

function systemLanguages(): string[] {
  const n = globalThis.navigator;
  if (!n) return [];
  return n.languages && n.languages.length > 0 ? [...n.languages] : n.language ? [n.language] : [];
}

export function makeI18n(locale: Locale = stored() ?? localeFor(systemLanguages())) {
  const i18n = createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
    missingWarn: false,
    fallbackWarn: false,
  });
  // Messages of modules that ship their own (the settings dialogs): `export const en = {…}; export const zhCN = {…}`.
  const extra = import.meta.glob<{ en?: Record<string, unknown>; zhCN?: Record<string, unknown> }>('../settings/locales/*.ts', { eager: true });
  for (const m of Object.values(extra)) {
    if (m.en) i18n.global.mergeLocaleMessage('en', m.en);
    if (m.zhCN) i18n.global.mergeLocaleMessage('zh-CN', m.zhCN);
  }
  setDocumentLanguage(locale);
  return i18n;
}

export type AppI18n = ReturnType<typeof makeI18n>;

function setDocumentLanguage(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Remembers the language for the next start and tells the page (the composer's `locale` switches it now). */
export function persistLocale(locale: Locale): void {
  setDocumentLanguage(locale);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // A browser that refuses storage still switches for this session.
  }
}
