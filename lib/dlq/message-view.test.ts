import { describe, expect, it } from 'vitest';
import type { DlqRecord } from '@/lib/brokers/dlq-types';
import { DEFAULT_MASKING, Masker } from '@/lib/masking';
import { messageView, remaskView } from './message-view';

const masker = new Masker(DEFAULT_MASKING);

function record(body: Buffer, headers: Record<string, string> = {}): DlqRecord {
  const all = {
    'signalbox-dlq-version': '1',
    'signalbox-dlq-reason': 'error',
    'signalbox-dlq-original-system': 'rabbitmq',
    'signalbox-dlq-original-destination': 'payments',
    'signalbox-dlq-error-type': 'CardDeclined',
    'signalbox-dlq-error-message': 'card 4111 1111 1111 1111 declined for jane@example.com',
    ...headers,
  };
  return { key: 'k1', headers: all, rawHeaders: all, body, messageKey: null, timestamp: null };
}

describe('a DLQ message view', () => {
  it('masks headers, body and failure text, keeping the size and fingerprint of the original', () => {
    const body = Buffer.from(
      JSON.stringify({ card: { number: '4111 1111 1111 1111' }, email: 'jane@example.com' }),
    );
    const original = messageView(
      'rabbitmq',
      'payments.dlq',
      record(body),
      new Masker({ ...DEFAULT_MASKING, defaults: false }),
    );
    const view = messageView(
      'rabbitmq',
      'payments.dlq',
      record(body, { authorization: 'Basic Z3Vlc3Q=' }),
      masker,
    );
    expect(view.body).toMatchObject({
      encoding: 'json',
      sizeBytes: body.length,
      masked: true,
      truncated: false,
    });
    expect(JSON.parse(view.body.preview)).toEqual({
      card: { number: '[masked:card]' },
      email: '[masked:email]',
    });
    expect(view.headers.authorization).toBe('[masked:header]');
    expect(view.failure.errorMessage).toBe('card [masked:card] declined for [masked:email]');
    expect(view.fingerprint).toBe(original.fingerprint);
    expect(JSON.stringify(view)).not.toMatch(/4111|jane@|Z3Vlc3Q/);
  });

  it('cuts the masked body, so a card number at the cut is hidden too', () => {
    const body = Buffer.from(`${'x'.repeat(64 * 1024 - 10)} 4111 1111 1111 1111 end`);
    const view = messageView('rabbitmq', 'payments.dlq', record(body), masker);
    expect(view.body).toMatchObject({
      encoding: 'text',
      truncated: true,
      masked: true,
      sizeBytes: body.length,
    });
    expect(view.body.preview).not.toMatch(/\d/);
  });

  it('shows binary bodies as they are', () => {
    const body = Buffer.from([0x00, 0xff, 0x34, 0x31, 0x31]);
    expect(messageView('rabbitmq', 'payments.dlq', record(body), masker).body).toMatchObject({
      encoding: 'base64',
      preview: body.toString('base64'),
      masked: false,
    });
  });

  it('masks an archived view again by the current rules, and a masked one stays as it is', () => {
    const body = Buffer.from(JSON.stringify({ to: 'jane@example.com', note: 'ok' }));
    const raw = record(body, { authorization: 'Basic Z3Vlc3Q=' });
    const archivedUnmasked = messageView(
      'rabbitmq',
      'payments.dlq',
      raw,
      new Masker({ ...DEFAULT_MASKING, defaults: false }),
    );
    const again = remaskView(archivedUnmasked, masker);
    expect(again).toEqual(messageView('rabbitmq', 'payments.dlq', raw, masker));
    expect(remaskView(again, masker)).toEqual(again);
  });

  it('masks the text it shows of a body that is not UTF-8 past the preview', () => {
    const body = Buffer.concat([
      Buffer.from(`jane@example.com ${'x'.repeat(70_000)}`),
      Buffer.from([0xff, 0xfe]),
    ]);
    const view = messageView('rabbitmq', 'payments.dlq', record(body), masker);
    expect(view.body).toMatchObject({ encoding: 'text', truncated: true, masked: true });
    expect(view.body.preview.startsWith('[masked:email] x')).toBe(true);
  });
});
