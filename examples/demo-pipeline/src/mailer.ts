import { consumeReceipts } from './receipts.js';

// mailer: e-mails every receipt (queue receipts.mail, bound receipt.*).
await consumeReceipts('mailer', 'receipts.mail', 'receipt.*');
