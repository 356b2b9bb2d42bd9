import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueueFullError } from '@/lib/store/write-queue';

// A bad request must be refused before anything is opened: each opener fails the test if reached.
const opened = vi.hoisted(() => ({
  store: vi.fn(() => Promise.reject(new Error('a bad request opened the store'))),
  dlq: vi.fn(() => Promise.reject(new Error('a bad request opened the DLQ services'))),
  lag: vi.fn(() => Promise.reject(new Error('a bad request opened the lag poller'))),
  bindings: vi.fn(() => Promise.reject(new Error('a bad request read the RabbitMQ bindings'))),
}));
vi.mock('@/lib/runtime', async (original) => ({
  ...(await original()),
  getStore: opened.store,
  getDlqServices: opened.dlq,
  getLagPoller: opened.lag,
  flowSources: async () => ({ store: await opened.store(), rabbitmqBindings: opened.bindings }),
}));

const anomalies = await import('./anomalies/route');
const flows = await import('./flows/route');
const edgeSeries = await import('./flows/series/route');
const journeys = await import('./journeys/route');
const lag = await import('./lag/route');
const lagHistory = await import('./lag/history/route');
const latency = await import('./latency/route');
const latencySeries = await import('./latency/series/route');
const search = await import('./search/route');
const dlqArchive = await import('./dlq/[id]/archive/route');
const dlqMessages = await import('./dlq/[id]/messages/route');
const dlqMessage = await import('./dlq/[id]/messages/[messageId]/route');
const dlqPurge = await import('./dlq/[id]/purge/route');
const dlqReplay = await import('./dlq/[id]/replay/route');

const TOKEN = 'bad-queries-test-token';
const url = (path: string) => `http://localhost${path}`;
const segments = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });
const operator = (method: string, body: string) =>
  new Request(url('/api/dlq/x'), { method, body, headers: { authorization: `Bearer ${TOKEN}` } });

async function answer(response: Promise<Response>) {
  const r = await response;
  return { status: r.status, error: ((await r.json()) as { error: string }).error };
}

beforeAll(() => {
  vi.stubEnv('SIGNALBOX_OPERATOR_TOKEN', TOKEN);
});

afterEach(() => {
  try {
    expect(opened.store).not.toHaveBeenCalled();
    expect(opened.dlq).not.toHaveBeenCalled();
    expect(opened.lag).not.toHaveBeenCalled();
  } finally {
    vi.clearAllMocks();
  }
});

describe('a bad query is a 400 naming the parameter, before anything is opened', () => {
  it.each([
    ['/api/anomalies?to=soon', anomalies.GET, /^to="soon" is not a time/],
    ['/api/flows?from=yesterday', flows.GET, /^from="yesterday" is not a time/],
    [`/api/flows?from=${'1'.repeat(65)}`, flows.GET, /^from must be at most 64 characters, not "1{65}"$/],
    ['/api/flows/series?from=1h', edgeSeries.GET, /^edge is required: an edge id from GET \/api\/flows$/],
    ['/api/flows/series?edge=e&step=often', edgeSeries.GET, /^step="often" is not a duration/],
    ['/api/latency?compareTo=whenever', latency.GET, /^compareTo="whenever" is not a time/],
    ['/api/latency/series?pathway=p&edge=e', latencySeries.GET, /^give exactly one of pathway .* or edge/],
    ['/api/journeys', journeys.GET, /^give exactly one of traceId, messageId or conversationId$/],
    ['/api/journeys?traceId=xyz', journeys.GET, /^traceId must be 32 hex characters .*, not "xyz"$/],
    ['/api/search?q=%20', search.GET, /^q is required: a trace id, message id or conversation id$/],
    [`/api/search?q=${'q'.repeat(513)}`, search.GET, /^q must be at most 512 characters, not "q+…"$/],
    ['/api/lag?system=mqtt&destination=a&group=b', lag.GET, /^system must be one of kafka, rabbitmq/],
    ['/api/lag?system=kafka', lag.GET, /destination is required with system/],
    ['/api/lag/history?points=1', lagHistory.GET, /^points must be a whole number from 2 to 2000, not "1"$/],
    ['/api/lag/history?points=5000', lagHistory.GET, /^points must be .* to 2000, not "5000"$/],
  ])('GET %s', async (path, handler, message) => {
    const { status, error } = await answer(handler(new Request(url(path))));
    expect(status).toBe(400);
    expect(error).toMatch(message);
  });
});

describe('DLQ routes refuse a bad segment, query or body with a 400 naming it, before opening the services', () => {
  const queue = segments({ id: 'kafka%3Aorders.DLT' });

  it.each([
    ['limit=0', /^limit must be a whole number from 1 to 10000, not "0"$/],
    ['limit=20000', /^limit must be a whole number from 1 to 10000, not "20000"$/],
    ['limit=ten', /^limit must be a whole number from 1 to 10000, not "ten"$/],
    ['gone=yes', /^gone must be 1 .* or 0, not "yes"$/],
  ])('archive ?%s', async (query, message) => {
    const { status, error } = await answer(
      dlqArchive.GET(new Request(url(`/api/dlq/q/archive?${query}`)), queue),
    );
    expect(status).toBe(400);
    expect(error).toMatch(message);
  });

  it('a message filter naming the bad field', async () => {
    const request = new Request(url('/api/dlq/q/messages?fingerprint=zz&from=yesterday'));
    expect(await answer(dlqMessages.GET(request, queue))).toEqual({
      status: 400,
      error:
        'fingerprint must be 16 hex digits (a failure group\'s fingerprint), not "zz"; ' +
        'from must be an ISO-8601 time with a UTC offset, like 2026-01-31T09:00:00Z, not "yesterday"',
    });
  });

  it('a broken percent-encoding in the id or message id', async () => {
    const request = new Request(url('/api/dlq/%E0%A4%A/messages'));
    expect(await answer(dlqMessages.GET(request, segments({ id: '%E0%A4%A' })))).toEqual({
      status: 400,
      error: 'id must be percent-encoded UTF-8 (encodeURIComponent), not "%E0%A4%A"',
    });
    const remove = dlqMessage.DELETE(operator('DELETE', ''), segments({ id: 'q', messageId: '%zz' }));
    expect(await answer(remove)).toEqual({
      status: 400,
      error: 'messageId must be percent-encoded UTF-8 (encodeURIComponent), not "%zz"',
    });
  });

  it.each([
    ['{not json', /^the body must be JSON$/],
    ['{}', /^give exactly one of messageIds, filter or all$/],
    ['{"all":true,"ratePerSecond":-5}', /^ratePerSecond must be more than 0, not -5$/],
    ['{"all":true,"dryRun":"yes"}', /^dryRun must be a boolean, not "yes"$/],
    ['{"all":true,"speed":1}', /^the body has unknown fields: speed$/],
    ['{"filter":{"fingerprint":"zz"}}', /^filter\.fingerprint must be 16 hex digits .*, not "zz"$/],
  ])('a replay body %s', async (body, message) => {
    const { status, error } = await answer(dlqReplay.POST(operator('POST', body), queue));
    expect(status).toBe(400);
    expect(error).toMatch(message);
  });

  it('a purge body', async () => {
    expect(await answer(dlqPurge.POST(operator('POST', '{"confirm":5}'), queue))).toEqual({
      status: 400,
      error: 'confirm must be a string, not 5',
    });
  });
});

describe('a full store write queue', () => {
  it('answers 429 with Retry-After', async () => {
    opened.store.mockRejectedValueOnce(new QueueFullError(2));
    const response = await flows.GET(new Request(url('/api/flows?from=1h')));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    opened.store.mockClear(); // opening it was the point here
  });
});
