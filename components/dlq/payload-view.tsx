import type { BodyView } from '@/lib/dlq/message-view';
import { MaskedText } from './masked-text';

function hexDump(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const lines: string[] = [];
  for (let at = 0; at < Math.min(bytes.length, 4096); at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The payload: pretty JSON, text, or a hex dump for binary, with its size. */
export function PayloadView({ body }: { body: BodyView }) {
  const kind = body.encoding === 'base64' ? 'binary (hex)' : body.encoding === 'json' ? 'JSON' : 'text';
  return (
    <figure className="dlq-payload">
      <figcaption className="muted">
        Payload: {kind}, {body.sizeBytes.toLocaleString('en-US')} bytes
        {body.truncated ? ' (preview cut)' : ''}
        {body.masked ? ', some values masked' : ''}
      </figcaption>
      <pre tabIndex={0}>
        {body.encoding === 'base64' ? (
          hexDump(body.preview)
        ) : (
          <MaskedText text={body.encoding === 'json' ? pretty(body.preview) : body.preview} />
        )}
      </pre>
    </figure>
  );
}
