import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../../src/nlu/normalize.js';
import { normalize } from '../../src/nlu/index.js';

describe('normalize', () => {
  it('folds full width and case', () => {
    expect(normalize('ＳＦ１２３ ＯＫ')).toBe('sf123 ok');
  });

  it('converts traditional to simplified characters', () => {
    expect(normalize('衣服有線頭，顏色也不對')).toBe('衣服有线头,颜色也不对');
    expect(normalize('轉人工')).toBe('转人工');
  });

  it('collapses repeated punctuation, emoji and whitespace', () => {
    expect(normalize('在吗？？？！！！   怎么还没到😡😡😡')).toBe('在吗?! 怎么还没到😡');
    expect(normalize('好的👍🏻👍🏻')).toBe('好的👍');
  });

  it('drops invisible characters', () => {
    expect(normalize('退\u200b款')).toBe('退款');
  });

  it('caps very long text and never splits an emoji', () => {
    expect(normalize('差'.repeat(10_000)).length).toBe(MAX_TEXT_CHARS);
    const s = normalize(`${'a'.repeat(MAX_TEXT_CHARS - 1)}😀tail`);
    expect(s.endsWith('\ud83d')).toBe(false);
  });

  it('returns empty for empty input', () => {
    expect(normalize('')).toBe('');
    expect(normalize('   ')).toBe('');
  });
});
