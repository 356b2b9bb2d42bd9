import { Masker } from './masker';
import { NO_MASKING } from './rules';

/** For tests about something else than masking: a masker that hides nothing. */
export const unmasked = new Masker(NO_MASKING);
