import { expect, it } from 'vitest';
import { formatDurationSeconds } from './format-duration';

it('formats durations with at most two units', () => {
  expect(formatDurationSeconds(0)).toBe('0s');
  expect(formatDurationSeconds(2.34)).toBe('2.3s');
  expect(formatDurationSeconds(45)).toBe('45s');
  expect(formatDurationSeconds(130)).toBe('2m 10s');
  expect(formatDurationSeconds(3600)).toBe('1h');
  expect(formatDurationSeconds(3900)).toBe('1h 5m');
  expect(formatDurationSeconds(3 * 86_400 + 4 * 3600 + 59)).toBe('3d 4h');
  expect(formatDurationSeconds(Infinity)).toBe('∞');
});
