import type { FunnelStage, FunnelTemperature, InquiryChannel, SourceKind } from '@beckon/sdk/protocol';
import { temperatureLabel } from '../leads';
import { t } from './i18n';

const channelKeys = {
  chat: 'channelChat',
  callback: 'channelCallback',
  form: 'channelForm',
  offline: 'channelOffline',
  invitation: 'channelInvitation',
  trigger: 'channelTrigger',
} as const satisfies Record<InquiryChannel, string>;
export const channelLabel = (channel: InquiryChannel) => t(channelKeys[channel]);

const sourceKindKeys = {
  paid: 'kindPaid',
  utm: 'kindUtm',
  referral: 'kindReferral',
  direct: 'kindDirect',
} as const satisfies Record<SourceKind, string>;
export const sourceKindLabel = (kind: SourceKind) => t(sourceKindKeys[kind]);

const stageKeys = {
  new: 'stageNew',
  contacted: 'stageContacted',
  qualified: 'stageQualified',
  won: 'stageWon',
  lost: 'stageLost',
} as const satisfies Record<FunnelStage, string>;
export const stageLabel = (stage: FunnelStage) => t(stageKeys[stage]);

export const temperatureName = (temperature: FunnelTemperature) =>
  temperature === 'unknown' ? t('temperatureUnknown') : temperatureLabel(temperature);

/** "google / cpc / spring-sale", leaving out the empty parts; "—" for none. */
export const sourcePath = (...parts: string[]) => parts.filter(Boolean).join(' / ') || t('noSource');
