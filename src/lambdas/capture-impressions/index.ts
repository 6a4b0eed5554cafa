// POST /impressions: {"impressions": [{impression_id, ad_id, occurred_at}, ...]}
// onto the impressions delivery stream, one JSON line per record.
import { captureHandler } from '../shared/capture';
import { IMPRESSIONS } from '../shared/records';

export const handler = captureHandler(IMPRESSIONS, 'IMPRESSIONS_DELIVERY_STREAM_NAME', 'Impressions');
