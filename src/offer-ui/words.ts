/**
 * The words the tag itself shows or puts in an accessible name (contract section 6), in the
 * visitor's language: the close control's name, the open slide-out tab's "Hide", the peeling
 * corner's cue, and the look a catalog leaves out (title, text, button). Wording a chat widget uses
 * in each language (as Intercom, Zendesk and Chatwoot word theirs), one line per language:
 * `close|hide|cue|title|text|button`.
 */
const WORDS: Record<string, string> = {
  __proto__: null as never,
  en: 'Close|Hide|Chat|Questions?|We are online and happy to help.|Chat now',
  es: 'Cerrar|Ocultar|Chat|¿Tienes preguntas?|Estamos en línea y encantados de ayudarte.|Chatear ahora',
  fr: 'Fermer|Masquer|Chat|Des questions\u00a0?|Nous sommes en ligne et ravis de vous aider.|Discuter maintenant',
  de: 'Schließen|Ausblenden|Chat|Fragen?|Wir sind online und helfen gern.|Jetzt chatten',
  it: 'Chiudi|Nascondi|Chat|Domande?|Siamo online e felici di aiutarti.|Chatta ora',
  pt: 'Fechar|Ocultar|Chat|Dúvidas?|Estamos online e prontos para ajudar.|Conversar agora',
  nl: 'Sluiten|Verbergen|Chat|Vragen?|We zijn online en helpen je graag.|Nu chatten',
  pl: 'Zamknij|Ukryj|Czat|Masz pytania?|Jesteśmy online i chętnie pomożemy.|Czatuj teraz',
  sv: 'Stäng|Dölj|Chatt|Frågor?|Vi är online och hjälper gärna till.|Chatta nu',
  ja: '閉じる|非表示|チャット|ご質問はありますか？|オンラインで対応しています。お気軽にどうぞ。|チャットを始める',
  zh: '关闭|隐藏|聊天|有疑问吗？|我们在线，随时乐意为您提供帮助。|立即聊天',
  ko: '닫기|숨기기|채팅|궁금한 점이 있으신가요?|지금 온라인 상태이며 기꺼이 도와드리겠습니다.|지금 채팅하기',
  he: 'סגירה|הסתרה|צ׳אט|יש לכם שאלות?|אנחנו זמינים ונשמח לעזור.|לצ׳אט עכשיו',
  ar: 'إغلاق|إخفاء|دردشة|هل لديك أسئلة؟|نحن متصلون ويسعدنا مساعدتك.|ابدأ الدردشة',
  ru: 'Закрыть|Скрыть|Чат|Есть вопросы?|Мы на связи и с радостью поможем.|Начать чат',
  tr: 'Kapat|Gizle|Sohbet|Sorularınız mı var?|Çevrimiçiyiz ve yardımcı olmaktan memnuniyet duyarız.|Şimdi sohbet et',
}

export interface Words {
  close: string
  hide: string
  cue: string
  title: string
  text: string
  button: string
}

/** The primary language subtag of a BCP 47 tag, lower-cased: `pt-BR` → `pt`. */
const primary = (tag: unknown) => (typeof tag === 'string' ? tag.split(/[-_]/)[0]!.toLowerCase() : '')

/** The words for the first of `languages` that has them (the engagement's, then the page's), else English. */
export function wordsFor(...languages: unknown[]): Words {
  const line = languages.map((tag) => WORDS[primary(tag)]).find(Boolean) ?? WORDS.en!
  const [close, hide, cue, title, text, button] = line.split('|') as [string, string, string, string, string, string]
  return { close, hide, cue, title, text, button }
}

/** Whether a language is written right to left (Arabic, Hebrew, Persian, Urdu and their kin). */
export const rightToLeft = (tag: unknown): boolean => /^(ar|he|iw|fa|ur|yi|ps|sd|ug|dv|ckb)$/.test(primary(tag))
