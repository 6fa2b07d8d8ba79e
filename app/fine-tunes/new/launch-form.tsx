'use client';

import { useActionState, useState } from 'react';
import { useRouter } from 'next/navigation';
import { describedBy, FieldError, FormErrorSummary, inputClass } from '@/components/ui/form-errors';
import { formError, initialFormState, type FormState } from '@/lib/boundary/action-state';
import { launchFineTuneAction } from '../actions';

export interface VersionOption {
  id: number;
  label: string;
  trainable: boolean;
  cost: { nEpochs: number; billingTokens: number; examples: number } | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function LaunchForm(props: {
  providers: { id: string; name: string; configured: boolean; problem: string | null }[];
  provider: string;
  models: string[];
  modelsError: string | null;
  versions: VersionOption[];
  selectedVersion: number | null;
  prices: { model: string; usd: number }[];
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState<FormState, FormData>(launchFineTuneAction, initialFormState());
  const v = state.values ?? {};
  const e = state.fieldErrors;
  const [versionId, setVersionId] = useState<number | null>(v.datasetVersionId ? Number(v.datasetVersionId) : props.selectedVersion);
  const [model, setModel] = useState(v.baseModel ?? props.models[0] ?? '');
  const [epochs, setEpochs] = useState(v.nEpochs ?? 'auto');
  const [confirming, setConfirming] = useState(false);
  const version = props.versions.find((x) => x.id === versionId) ?? null;
  const described = (field: string) => describedBy(e, field);

  const nEpochs = /^\d+$/.test(epochs.trim()) ? Number(epochs) : (version?.cost?.nEpochs ?? null);
  const charged = version?.cost && nEpochs ? nEpochs * version.cost.billingTokens : null;
  const price = props.provider === 'local' ? 0 : (props.prices.find((p) => model.startsWith(p.model))?.usd ?? null);
  const usd = charged !== null && price !== null ? (charged / 1e6) * price : null;
  const costText = version?.cost
    ? `${fmt(version.cost.examples)} training examples × ${nEpochs ?? '?'} epochs${/^\d+$/.test(epochs.trim()) ? '' : ' (auto)'} × ${fmt(version.cost.billingTokens)} billed tokens ≈ ${charged !== null ? fmt(charged) : '?'} charged tokens${
        usd !== null ? ` ≈ $${usd.toFixed(2)}` : ' (no price on file for this model)'
      }`
    : 'Choose a dataset version to see the estimate.';

  const go = (provider: string, version: number | null) => router.push(`/fine-tunes/new?provider=${provider}${version ? `&version=${version}` : ''}`);
  const together = props.provider === 'together';
  const configured = props.providers.filter((p) => p.configured);
  const unconfigured = props.providers.filter((p) => !p.configured);
  const current = props.providers.find((p) => p.id === props.provider);
  const numberField = (name: string, label: string, fallback: string, hint?: string) => (
    <div className="text-sm">
      <label htmlFor={`ft-${name}`}>{label}</label>
      <input id={`ft-${name}`} name={name} defaultValue={v[name] ?? fallback} placeholder={hint} className={inputClass} {...described(name)} />
      <FieldError field={name} errors={e} />
    </div>
  );

  return (
    <form key={state.attempt} action={action} className="space-y-5" noValidate>
      <FormErrorSummary formError={formError(state)} errors={e} nothing="Nothing was launched." />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="text-sm">
          <label htmlFor="ft-version">Dataset version</label>
          <select
            id="ft-version"
            name="datasetVersionId"
            value={versionId ?? ''}
            onChange={(ev) => setVersionId(Number(ev.target.value))}
            className={inputClass}
            {...described('datasetVersionId')}
          >
            {props.versions.length === 0 && <option value="">No ready dataset versions</option>}
            {props.versions.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
                {o.trainable ? '' : ' (not trainable)'}
              </option>
            ))}
          </select>
          <FieldError field="datasetVersionId" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ft-provider">Provider</label>
          <select
            id="ft-provider"
            name="provider"
            defaultValue={props.provider}
            onChange={(ev) => go(ev.target.value, versionId)}
            className={inputClass}
            {...described('provider')}
          >
            {configured.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            {current && !current.configured && <option value={current.id}>{current.name} (not configured)</option>}
            {unconfigured.length > 0 && (
              <optgroup label="Not configured (an admin sets them up under Providers)">
                {unconfigured
                  .filter((p) => p.id !== current?.id)
                  .map((p) => (
                    <option key={p.id} value={p.id} disabled>
                      {p.name}
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
          <FieldError field="provider" errors={e} />
          {current && !current.configured && current.problem && (
            <p role="alert" className="mt-1 rounded bg-amber-50 p-2 text-amber-900">
              {current.problem}
            </p>
          )}
        </div>
        <div className="text-sm sm:col-span-2">
          <label htmlFor="ft-model">Base model</label>
          {props.modelsError ? (
            <p role="alert" className="mt-1 rounded bg-amber-50 p-2 text-amber-900">
              {props.modelsError}
            </p>
          ) : (
            <select
              id="ft-model"
              name="baseModel"
              value={model}
              onChange={(ev) => setModel(ev.target.value)}
              className={inputClass}
              {...described('baseModel')}
            >
              {props.models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
          <FieldError field="baseModel" errors={e} />
        </div>
      </div>
      <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-3">
        <legend className="px-1 text-sm font-medium">
          Hyperparameters (&quot;auto&quot; lets the provider choose{together ? '; Together AI’s own: a learning rate, LoRA settings' : ''})
        </legend>
        <div className="text-sm">
          <label htmlFor="ft-epochs">Epochs{together ? ' (1–20)' : ''}</label>
          <input id="ft-epochs" name="nEpochs" value={epochs} onChange={(ev) => setEpochs(ev.target.value)} className={inputClass} {...described('nEpochs')} />
          <FieldError field="nEpochs" errors={e} />
        </div>
        <div className="text-sm">
          <label htmlFor="ft-batch">Batch size{together ? ' (auto = max)' : ''}</label>
          <input id="ft-batch" name="batchSize" defaultValue={v.batchSize ?? 'auto'} className={inputClass} {...described('batchSize')} />
          <FieldError field="batchSize" errors={e} />
        </div>
        {together ? (
          <>
            {numberField('learningRate', 'Learning rate', 'auto', 'e.g. 0.00001')}
            <div className="flex items-center gap-2 text-sm">
              <input type="hidden" name="loraSent" value="1" />
              <input id="ft-lora" name="lora" type="checkbox" defaultChecked={v.loraSent ? v.lora === 'on' : true} {...described('lora')} />
              <label htmlFor="ft-lora">LoRA (off: full fine-tune)</label>
              <FieldError field="lora" errors={e} />
            </div>
            {numberField('loraR', 'LoRA rank', '', 'Together’s default')}
            {numberField('loraAlpha', 'LoRA alpha', '', 'Together’s default')}
            {numberField('loraDropout', 'LoRA dropout (0–1)', '', '0')}
            {numberField('warmupRatio', 'Warm-up ratio (0–1)', '', '0')}
          </>
        ) : (
          <div className="text-sm">
            <label htmlFor="ft-lr">Learning rate multiplier</label>
            <input
              id="ft-lr"
              name="learningRateMultiplier"
              defaultValue={v.learningRateMultiplier ?? 'auto'}
              className={inputClass}
              {...described('learningRateMultiplier')}
            />
            <FieldError field="learningRateMultiplier" errors={e} />
          </div>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="text-sm">
          <label htmlFor="ft-suffix">Suffix (in the model name)</label>
          <input id="ft-suffix" name="suffix" defaultValue={v.suffix ?? ''} placeholder="e.g. exit-advisor" className={inputClass} {...described('suffix')} />
          <FieldError field="suffix" errors={e} />
        </div>
        {!together && (
          <div className="text-sm">
            <label htmlFor="ft-seed">Seed (optional)</label>
            <input id="ft-seed" name="seed" defaultValue={v.seed ?? ''} inputMode="numeric" className={inputClass} {...described('seed')} />
            <FieldError field="seed" errors={e} />
          </div>
        )}
      </div>
      <section aria-labelledby="cost-title" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <h2 id="cost-title" className="font-medium">
          Cost estimate
        </h2>
        <p data-testid="launch-cost" className="text-slate-700">
          {costText}
        </p>
      </section>
      {!confirming ? (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          disabled={!version || !!props.modelsError || !current?.configured}
          className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Review launch
        </button>
      ) : (
        <div role="group" aria-label="Confirm launch" className="space-y-2 rounded-lg border border-indigo-300 bg-indigo-50 p-3 text-sm">
          <p>
            Launch <strong>{model}</strong> on <strong>{version?.label}</strong> ({props.providers.find((p) => p.id === props.provider)?.name}). {costText}.
          </p>
          <div className="flex gap-2">
            <button type="submit" disabled={pending} className="rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
              {pending ? 'Launching…' : 'Confirm and launch'}
            </button>
            <button type="button" onClick={() => setConfirming(false)} className="rounded border px-3 py-2 hover:bg-white">
              Back
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
