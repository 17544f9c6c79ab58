/** The forwarding channels as the window holds them: loaded when the panel opens, then kept current by 'channels' events. */
import type { ChannelDto, ChannelInput, ChannelTestResultDto, Result } from '../../../preload/contract.js';
import type { Slice, SliceContext } from './slice.js';

export interface ChannelsSlice {
  /** null until first loaded. */
  channels: ChannelDto[] | null;
  loadChannels(): Promise<void>;
  /** Replaces the whole list (the API's PUT semantics). */
  saveChannels(inputs: ChannelInput[]): Promise<Result<ChannelDto[]>>;
  testChannel(id: string): Promise<Result<ChannelTestResultDto>>;
}

/** What the API takes back for a channel as it is: secrets omitted, so the stored ones are kept. */
export function channelInputOf(c: ChannelDto): ChannelInput {
  const input: ChannelInput = { id: c.id, name: c.name, kind: c.kind, quietHours: c.quietHours };
  if (c.keyword) input.keyword = c.keyword;
  if (c.kind === 'wecom') input.format = c.format;
  if (c.events) input.events = [...c.events];
  if (c.email) {
    const { hasPass: _hasPass, ...email } = c.email;
    input.email = email;
  }
  return input;
}

export const createChannelsSlice = ({ api }: SliceContext): Slice<ChannelsSlice> => (set) => ({
  channels: null,

  async loadChannels() {
    const r = await api.listChannels();
    if (r.ok) set({ channels: r.value });
  },

  async saveChannels(inputs) {
    const r = await api.replaceChannels(inputs);
    if (r.ok) set({ channels: r.value });
    return r;
  },

  testChannel: (id) => api.testChannel(id),
});
