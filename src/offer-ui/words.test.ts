import { test, expect } from '@playwright/test'
import { rightToLeft, wordsFor } from './words.ts'

const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'sv', 'ja', 'zh', 'ko', 'he', 'ar', 'ru', 'tr']

test('every language the contract names has all six words, none empty, none left in English but the shared "Chat"', () => {
  const english = wordsFor('en')
  for (const language of LANGUAGES) {
    const words = wordsFor(language)
    expect(Object.keys(words), language).toEqual(['close', 'hide', 'cue', 'title', 'text', 'button'])
    for (const [key, word] of Object.entries(words)) {
      expect(word.trim(), `${language}.${key}`).not.toBe('')
      expect(word, `${language}.${key}`).not.toContain('|')
    }
    if (language !== 'en') {
      expect(words.close, language).not.toBe(english.close)
      expect(words.hide, language).not.toBe(english.hide)
      expect(words.text, language).not.toBe(english.text)
    }
  }
})

test('the engagement language wins, then the page language; regions and case fold to the language', () => {
  expect(wordsFor('fr-CA', 'de').close).toBe('Fermer')
  expect(wordsFor(undefined, 'de-AT').close).toBe('Schließen')
  expect(wordsFor('PT_br').close).toBe('Fechar')
  expect(wordsFor('xx-YY', 'ja').close).toBe('閉じる')
  expect(wordsFor('he-IL', 'en').hide).toBe('הסתרה')
})

test('no usable language is English, and prototype names are not languages', () => {
  for (const junk of [undefined, null, '', 42, {}, 'klingon', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    expect(wordsFor(junk, junk).close, String(junk)).toBe('Close')
  }
})

test('right to left: Hebrew, Arabic and their kin, with or without a region; nothing else', () => {
  for (const tag of ['he', 'he-IL', 'iw', 'ar', 'ar-SA', 'AR_eg', 'fa-IR', 'ur', 'yi', 'ps', 'ckb']) expect(rightToLeft(tag), tag).toBe(true)
  for (const tag of ['en', 'fr-FR', 'tr', 'arn', 'hebrew', '', undefined, 7, {}]) expect(rightToLeft(tag), String(tag)).toBe(false)
})
