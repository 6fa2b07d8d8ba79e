'use server';

import { revalidatePath } from 'next/cache';
import { authedFormAction } from '@/lib/boundary/server-action';
import { labelingSettingsInput, updateLabelingSettings } from '@/lib/labeling/settings';

export const saveLabelingSettingsAction = authedFormAction(
  { name: 'saveLabelingSettings', roles: ['admin'], input: labelingSettingsInput, fields: ['reviewersPerTurn', 'blind'] },
  async (input, { actor }) => {
    const s = await updateLabelingSettings(actor, input);
    revalidatePath('/admin/labeling');
    return `Saved: ${s.reviewersPerTurn} reviewer${s.reviewersPerTurn === 1 ? '' : 's'} per turn, blind labeling ${s.blind ? 'on' : 'off'}.`;
  },
);
