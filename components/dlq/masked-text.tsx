import { Fragment } from 'react';

// The markers lib/masking puts where it hid something: `[masked:card]`, `[masked:header]`, ...
const MARKER = /(\[masked:[a-z0-9-]+\])/;

/** Text with masking markers set apart, so a hidden value is not read as the message's own text. */
export function MaskedText({ text }: { text: string }) {
  return (
    <>
      {text.split(MARKER).map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="masked" title="hidden by a masking rule (see README, Masking)">
            {part}
          </mark>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
