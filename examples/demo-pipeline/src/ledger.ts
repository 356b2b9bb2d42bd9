import { consumeReceipts } from './receipts.js';

// ledger: books every billing event (queue receipts.ledger, bound receipt.#).
await consumeReceipts('ledger', 'receipts.ledger', 'receipt.#');
