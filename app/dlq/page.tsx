import { Forbidden } from '@/components/layout/forbidden';
import { dlqResource } from '@/lib/auth/guard';
import { pageAccess } from '@/lib/auth/page-access';
import { allows, denialReason } from '@/lib/auth/principal';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ArchivePanel } from '@/components/dlq/archive-panel';
import { AuditLog } from '@/components/dlq/audit-log';
import { FilterForm } from '@/components/dlq/filter-form';
import { GroupTable } from '@/components/dlq/group-table';
import { dlqHref } from '@/components/dlq/links';
import { MessageDetail } from '@/components/dlq/message-detail';
import { MessageTable } from '@/components/dlq/message-table';
import { QueueList } from '@/components/dlq/queue-list';
import { ReplayPanel } from '@/components/dlq/replay-panel';
import { getDlqServices } from '@/lib/runtime';
import { type DlqFilter, isEmptyFilter } from '@/lib/dlq/filter';
import { parseSearchParams } from '@/lib/http/parse';
import { dlqMessagesQuery } from '@/lib/http/schemas/dlq';
import { type SearchParams, firstValues } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Dead letters' };
export const dynamic = 'force-dynamic';

function Skeleton({ label }: { label: string }) {
  return (
    <section className="panel" aria-busy="true" aria-label={label}>
      <div className="skeleton" style={{ height: 24, width: '30%' }} />
      <div className="skeleton" style={{ height: 120, marginTop: 16 }} />
    </section>
  );
}

async function Queues({ selected }: { selected: string | null }) {
  const { service } = await getDlqServices();
  const { queues, brokers } = await service.queues();
  return <QueueList queues={queues} brokers={brokers} selected={selected} />;
}

async function QueueContent({
  queueId,
  params,
  filter,
  canChange,
}: {
  queueId: string;
  params: Record<string, string>;
  filter: DlqFilter;
  canChange: boolean;
}) {
  const { service } = await getDlqServices();
  const { messages, groups, truncated, read } = await service.messages(queueId, filter);
  const selected = params.message ? messages.find((m) => m.id === params.message) : undefined;
  const scopes = [
    ...(!isEmptyFilter(filter)
      ? [{ label: `The ${messages.length} shown (current filter)`, body: { filter } }]
      : []),
    { label: 'Every message in the queue', body: { all: true as const } },
    ...(selected ? [{ label: `Only message ${selected.id}`, body: { messageIds: [selected.id] } }] : []),
  ];
  const system = queueId.slice(0, queueId.indexOf(':'));
  return (
    <>
      <section className="panel" aria-labelledby="dlq-groups-title">
        <h2 id="dlq-groups-title">{queueId}</h2>
        <FilterForm params={params} />
        {params.fingerprint ? (
          <p>
            Showing one failure group.{' '}
            <a href={dlqHref(params, { fingerprint: null, message: null })}>Show all groups</a>
          </p>
        ) : null}
        {truncated ? (
          <p className="notice">Only the first {read.toLocaleString('en-US')} messages were read.</p>
        ) : null}
        {system === 'rabbitmq' ? (
          <p className="muted">
            RabbitMQ has no peek: reading takes the messages and puts them back in place, marked redelivered.
          </p>
        ) : null}
        {messages.length === 0 ? (
          <p className="muted">
            No dead letter matches
            {isEmptyFilter(filter)
              ? ' — this queue is empty (replayed Kafka records are hidden).'
              : ' these filters.'}
          </p>
        ) : (
          <>
            <GroupTable groups={groups} params={params} />
            <MessageTable messages={messages} params={params} />
          </>
        )}
      </section>
      {canChange && (messages.length > 0 || params.replay) ? (
        // Keyed by the filter, not the scopes: the open message leaving the queue must not reset it.
        <ReplayPanel key={JSON.stringify(filter)} queueId={queueId} scopes={scopes} jobId={params.replay} />
      ) : null}
      {selected ? (
        <MessageDetail queueId={queueId} system={system} message={selected} canChange={canChange} />
      ) : null}
    </>
  );
}

async function Archive({ queueId }: { queueId: string }) {
  const { archiver } = await getDlqServices();
  const { messages, ...view } = await archiver.view(queueId, { goneOnly: true, limit: 25 });
  return <ArchivePanel {...view} gone={messages} />;
}

/** The latest jobs and audit rows, of the queues this person may read. */
async function Audit({ readable }: { readable: (queueId: string) => boolean }) {
  const { service } = await getDlqServices();
  const { audit, jobs } = await service.history({ jobs: 10, audit: 50 });
  return (
    <AuditLog
      entries={audit.filter((e) => e.queueId === '' || readable(e.queueId))}
      jobs={jobs.filter((j) => readable(j.queueId))}
    />
  );
}

/** Why a queue's messages are not shown: reading them needs the reader role, and has side effects on some brokers. */
function NoRead({ queueId, reason }: { queueId: string; reason: string }) {
  return (
    <section className="panel" aria-labelledby="dlq-no-read-title">
      <h2 id="dlq-no-read-title">{queueId}</h2>
      <p>{reason}</p>
      <p className="muted">
        Reading dead letters shows their payloads, and on some brokers it is not free of effects: RabbitMQ
        marks the messages redelivered, and SQS raises their receive count. So it needs the reader role.
      </p>
    </section>
  );
}

export default async function DlqPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await firstValues(searchParams);
  const queueId = params.queue ?? null;
  const { principal, denied } = await pageAccess(
    queueId ? `/dlq?queue=${encodeURIComponent(queueId)}` : '/dlq',
  );
  if (denied) return <Forbidden title="Dead letters" reason={denied} />;
  const resource = queueId ? dlqResource(queueId) : undefined;
  const canRead = resource ? allows(principal, 'read', resource) : false;
  const canChange = resource ? allows(principal, 'change', resource) : false;
  const readable = (id: string) => allows(principal, 'read', dlqResource(id));
  let filter: DlqFilter = {};
  let filterError: string | null = null;
  try {
    // The same reading as GET /api/dlq/{id}/messages, so the page and the API refuse alike.
    filter = parseSearchParams(new URLSearchParams(params), dlqMessagesQuery);
  } catch (error) {
    filterError = error instanceof Error ? error.message : String(error);
  }
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dead letters</h1>
          <p className="muted">Failures grouped by cause, with a dry run before every replay.</p>
        </div>
      </div>
      <Suspense fallback={<Skeleton label="Loading dead-letter queues" />}>
        <Queues selected={queueId} />
      </Suspense>
      {filterError ? (
        <p className="error-text" role="alert">
          Bad filter: {filterError}
        </p>
      ) : null}
      {queueId && !canRead ? (
        <NoRead queueId={queueId} reason={denialReason(principal, 'read', resource)} />
      ) : null}
      {queueId && canRead && !filterError ? (
        <Suspense key={JSON.stringify(params)} fallback={<Skeleton label="Loading dead letters" />}>
          <QueueContent queueId={queueId} params={params} filter={filter} canChange={canChange} />
        </Suspense>
      ) : null}
      {queueId && canRead ? (
        <Suspense fallback={<Skeleton label="Loading the archive" />}>
          <Archive queueId={queueId} />
        </Suspense>
      ) : null}
      {allows(principal, 'read') ? (
        <Suspense fallback={<Skeleton label="Loading the audit log" />}>
          <Audit readable={readable} />
        </Suspense>
      ) : null}
    </>
  );
}
