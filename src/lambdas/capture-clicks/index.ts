// POST /clicks: {"clicks": [{click_id, impression_id, ad_id, occurred_at}, ...]}
// onto the clicks delivery stream, one JSON line per record.
import { captureHandler } from '../shared/capture';
import { CLICKS } from '../shared/records';

export const handler = captureHandler(CLICKS, 'CLICKS_DELIVERY_STREAM_NAME', 'Clicks');
