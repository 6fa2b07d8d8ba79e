import type { Metadata } from 'next';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { ForbiddenError } from '@/lib/errors';
import { getLabelingSettingsForAdmin, MAX_REVIEWERS_PER_TURN } from '@/lib/labeling/settings';
import { leaseSeconds, leaseSummary } from '@/lib/labeling/lease';
import { Forbidden } from '@/components/ui/forbidden';
import { formatDateTime } from '@/components/ui/format-time';
import { LabelingSettingsForm } from './settings-form';

export const metadata: Metadata = { title: 'Labeling settings' };

export default async function LabelingSettingsPage() {
  const actor = await actorOrSignIn('/admin/labeling');
  let settings, held;
  try {
    [settings, held] = await Promise.all([getLabelingSettingsForAdmin(actor), leaseSummary(actor)]);
  } catch (e) {
    if (e instanceof ForbiddenError) return <Forbidden message={e.message} />;
    throw e;
  }
  const minutes = Math.round(leaseSeconds() / 60);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Labeling settings</h1>
        <p className="text-sm text-slate-600">
          How the team shares the work. &ldquo;Start labeling&rdquo; on Conversations (and <kbd>n</kbd> on a conversation) hands each reviewer the next
          conversation that still needs them and holds it for them for {minutes} minutes, renewed while they work, released when they leave.
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <LabelingSettingsForm
          reviewersPerTurn={settings.reviewersPerTurn}
          blind={settings.blindSetting === null ? 'auto' : settings.blindSetting ? 'on' : 'off'}
          max={MAX_REVIEWERS_PER_TURN}
        />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm" aria-label="Now">
        <h2 className="mb-2 font-medium">Now</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1">
          <dt className="text-slate-500">Reviewers per turn</dt>
          <dd data-testid="current-overlap">{settings.reviewersPerTurn}</dd>
          <dt className="text-slate-500">Blind labeling</dt>
          <dd data-testid="current-blind">
            {settings.blind ? 'on' : 'off'}
            {settings.blindSetting === null ? ' (automatic)' : ''}
          </dd>
          <dt className="text-slate-500">Held from the queue</dt>
          <dd>
            {held.conversations.toLocaleString('en-US')} conversation{held.conversations === 1 ? '' : 's'} by {held.reviewers.toLocaleString('en-US')} reviewer
            {held.reviewers === 1 ? '' : 's'}
          </dd>
          <dt className="text-slate-500">Last changed</dt>
          <dd>{settings.updatedAt ? `${formatDateTime(settings.updatedAt)}${settings.updatedBy ? ` by ${settings.updatedBy}` : ''}` : 'never (defaults)'}</dd>
        </dl>
      </section>
    </div>
  );
}
