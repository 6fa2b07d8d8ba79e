import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { Forbidden } from '@/components/ui/forbidden';
import { UploadForm } from '@/components/imports/upload-form';
import { CSV_FIELDS } from '@/lib/imports/csv-mapping';
import { maxUploadBytes, UPLOAD_CHUNK_BYTES } from '@/lib/imports/uploads/limits';

export const metadata: Metadata = { title: 'Import conversations' };

export default async function NewImportPage() {
  const actor = await actorOrSignIn('/imports/new');
  if (actor.role !== 'admin' && actor.role !== 'ml_lead') return <Forbidden message="Importing conversations needs the ML lead or admin role." />;
  return (
    <div className="max-w-3xl space-y-4">
      <Link href="/conversations" className="text-sm text-slate-600 underline">
        ← All conversations
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">Import conversations</h1>
        <p className="text-sm text-slate-600">
          Upload a JSON, JSON Lines or CSV file. The whole file is checked first: if anything is wrong you see every problem with its line, and nothing is
          imported. Importing a conversation id that already exists updates that conversation.
        </p>
      </div>
      <UploadForm maxBytes={maxUploadBytes()} chunkBytes={UPLOAD_CHUNK_BYTES} />
      <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <summary className="cursor-pointer font-medium">What the file should look like</summary>
        <div className="mt-2 space-y-2 text-slate-700">
          <p>
            <strong>CSV:</strong> a header row, then one row per message; the rows of one conversation next to each other, in message order. You choose which
            column holds what in the next step. Columns: <code>{CSV_FIELDS.join(', ')}</code> (sent_at, candidate_name, job_title and label are optional).
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">
            {`conversation_id,sender,text,sent_at,candidate_name,job_title,label
c-1,recruiter,"Hi Dana, forklift role at $21/hr. Interested?",2026-10-01T15:00:00Z,Dana R.,Forklift Operator,CONTINUE
c-1,candidate,yes! can I interview friday?,2026-10-01T15:20:00Z,,,
c-1,recruiter,Booked you Friday 10am.,2026-10-01T15:30:00Z,,,SCHEDULE`}
          </pre>
          <p>
            <strong>JSON / JSON Lines:</strong> the Studio&apos;s interchange format (<code>conversations.schema.json</code>):{' '}
            <code>{'{"conversations": [...]}'}</code> or one conversation object per line.
          </p>
          <p>
            Labels in the file are stored as the reviewer &quot;Import: &lt;file name&gt;&quot;. Larger files: <code>npm run import -- file</code>.
          </p>
        </div>
      </details>
    </div>
  );
}
