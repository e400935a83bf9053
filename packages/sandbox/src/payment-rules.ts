import type { SandboxApp } from './model.js';

/** CONTRACT §4's test number whose payer approves at once: the session ends `success`. */
export const APPROVING_NUMBER = '0780000001';
/** CONTRACT §4's test number whose payer declines: the session ends `cancelled`. */
export const DECLINING_NUMBER = '0780000002';
/**
 * CONTRACT §4's test number whose payer never answers: the session stays `open`, awaiting
 * approval, until the approval window passes; then it ends `cancelled`.
 */
export const SILENT_NUMBER = '0780000003';

/**
 * An app's approved numbers when its registration names none (CONTRACT §4): the three test
 * numbers, so an unverified app can pay with each of them at once.
 *
 * @example
 * createSandbox().registerApp({ name, callback_url, return_url }).approved_numbers;
 * // ['0780000001', '0780000002', '0780000003']
 */
export const DEFAULT_APPROVED_NUMBERS: readonly string[] = [
  APPROVING_NUMBER,
  DECLINING_NUMBER,
  SILENT_NUMBER,
];

/** The provider's troubleshooting hint, shown with "Phone number not found". */
export const PHONE_NOT_FOUND_HINT =
  'Unverified accounts can only use up to 3 phone numbers. Register the phone number under ' +
  'Approved Numbers in your dashboard, or verify your account to unlock all numbers.';

/** `+250 780 000 001`, `250780000001` and `0780000001` are the same Rwandan number. */
export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '').replace(/^\+/, '');
  return digits.startsWith('250') && digits.length === 12 ? `0${digits.slice(3)}` : digits;
}

/** What paying from `phone` comes to for `app`: `pending` waits for the payer's phone. */
export type PaymentDecision = 'success' | 'cancelled' | 'pending' | 'phone_number_not_found';

/**
 * The provider's rules: an unverified app is paid only from its approved numbers (at most
 * 3); the declining test number ends the session cancelled, the silent one leaves it
 * awaiting approval; any other allowed number pays at once.
 *
 * @example
 * decidePayment(app, '+250 780 000 003'); // 'pending'
 */
export function decidePayment(app: SandboxApp, rawPhone: string): PaymentDecision {
  const phone = normalisePhone(rawPhone);
  if (!app.verified && !app.approved_numbers.map(normalisePhone).includes(phone))
    return 'phone_number_not_found';
  if (phone === DECLINING_NUMBER) return 'cancelled';
  return phone === SILENT_NUMBER ? 'pending' : 'success';
}

/**
 * The provider's words when a payer's earlier payment still awaits approval: the pay page's
 * alert, and the start of `payment_pending`'s message.
 *
 * @example
 * error.message.startsWith(PAYMENT_PENDING_MESSAGE); // a 409 payment_pending
 */
export const PAYMENT_PENDING_MESSAGE = 'Payer already has an unfinalized transaction';
