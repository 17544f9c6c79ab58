/**
 * Forwarding channels (issue 14): the list with each channel's delivery state, a form to add
 * or edit one (fields of its kind), delete, and "发送测试消息" with the platform's verdict.
 * Saving sends the whole list (the API's PUT semantics); secrets left empty are kept.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  CHANNEL_EVENT_KINDS, CHANNEL_KINDS,
  type ChannelDto, type ChannelEventKind, type ChannelInput, type ChannelKind, type Language,
} from '../../../preload/contract.js';
import { say, type MessageKey, fill } from '../i18n.js';
import { channelInputOf } from '../slices/channels-slice.js';
import { useParcel, useT } from '../store-context.js';
import { exactTime } from '../time-text.js';
import { Dialog } from './Dialog.js';

type Verdict = { ok: true } | { ok: false; text: string } | 'sending';

const kindKey = (k: ChannelKind): MessageKey => `kind_${k}` as MessageKey;
const eventKey = (e: ChannelEventKind): MessageKey => `ev_${e}` as MessageKey;

export function ChannelsPanel({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const channels = useParcel((s) => s.channels);
  const loadChannels = useParcel((s) => s.loadChannels);
  const saveChannels = useParcel((s) => s.saveChannels);
  const testChannel = useParcel((s) => s.testChannel);
  // null: the list; 'new:<kind>': adding one; an id: editing it.
  const [editing, setEditing] = useState<string | null>(null);
  const [newKind, setNewKind] = useState<ChannelKind>('wecom');
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadChannels();
  }, [loadChannels]);

  const list = channels ?? [];
  const current = editing && !editing.startsWith('new:') ? list.find((c) => c.id === editing) ?? null : null;

  const save = async (input: ChannelInput): Promise<string | null> => {
    const others = list.map(channelInputOf);
    const next = input.id ? others.map((c) => (c.id === input.id ? input : c)) : [...others, input];
    const r = await saveChannels(next);
    if (!r.ok) return say(lang, r.error.message, r.error.messageEn);
    setEditing(null);
    return null;
  };

  const remove = async (id: string): Promise<void> => {
    const r = await saveChannels(list.filter((c) => c.id !== id).map(channelInputOf));
    setConfirmDelete(null);
    setError(r.ok ? null : say(lang, r.error.message, r.error.messageEn));
  };

  const test = async (id: string): Promise<void> => {
    setVerdicts((v) => ({ ...v, [id]: 'sending' }));
    const r = await testChannel(id);
    const verdict: Verdict = !r.ok
      ? { ok: false, text: say(lang, r.error.message, r.error.messageEn) }
      : r.value.ok ? { ok: true } : { ok: false, text: say(lang, r.value.error ?? '', r.value.errorEn) };
    setVerdicts((v) => ({ ...v, [id]: verdict }));
  };

  if (editing) {
    return (
      <Dialog title={tr('channels')} onClose={onClose}>
        <ChannelForm
          key={editing}
          lang={lang}
          kind={current?.kind ?? (editing.slice(4) as ChannelKind)}
          channel={current}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      </Dialog>
    );
  }

  return (
    <Dialog title={tr('channels')} onClose={onClose}>
      <div className="settings channels" data-testid="channels-panel">
        <p className="muted">{tr('channelsHelp')}</p>
        {channels && !list.length && <p className="muted">{tr('channelsNone')}</p>}
        <ul className="channel-list">
          {list.map((c) => (
            <ChannelRow
              key={c.id}
              channel={c}
              lang={lang}
              verdict={verdicts[c.id] ?? null}
              confirming={confirmDelete === c.id}
              onEdit={() => setEditing(c.id)}
              onTest={() => void test(c.id)}
              onDelete={() => (confirmDelete === c.id ? void remove(c.id) : setConfirmDelete(c.id))}
              onCancelDelete={() => setConfirmDelete(null)}
            />
          ))}
        </ul>
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="actions">
          <select data-testid="channel-add-kind" aria-label={tr('channelAdd')} value={newKind} onChange={(e) => setNewKind(e.target.value as ChannelKind)}>
            {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{tr(kindKey(k))}</option>)}
          </select>
          <button type="button" className="primary" data-testid="channel-add" onClick={() => setEditing(`new:${newKind}`)}>{tr('channelAdd')}</button>
          <button type="button" onClick={onClose}>{tr('backToSettings')}</button>
        </div>
      </div>
    </Dialog>
  );
}

function ChannelRow(p: {
  channel: ChannelDto;
  lang: Language;
  verdict: Verdict | null;
  confirming: boolean;
  onEdit(): void;
  onTest(): void;
  onDelete(): void;
  onCancelDelete(): void;
}) {
  const tr = useT();
  const { channel: c, verdict } = p;
  const d = c.delivery;
  const target = c.kind === 'email' ? c.email?.to ?? '' : c.urlHint ?? '';
  return (
    <li className="channel-row" data-testid="channel-row" data-channel-id={c.id}>
      <div className="channel-head">
        <strong>{c.name}</strong> <span className="muted">{tr(kindKey(c.kind))} · {target}</span>
      </div>
      <div className="channel-state" data-testid="channel-state">
        {d.lastError
          ? <span className="field-error" data-testid="channel-error">{say(p.lang, d.lastError, d.lastErrorEn)}</span>
          : <span className={d.lastOkAt ? 'ok' : 'muted'}>{d.lastOkAt ? `${tr('lastOk')} ${exactTime(d.lastOkAt, p.lang)}` : tr('neverSent')}</span>}
        {d.queued > 0 && <span className="warn" data-testid="channel-queued"> · {fill(tr('queuedN'), { n: d.queued })}</span>}
        {d.nextAttemptAt && d.queued > 0 && <span className="muted"> · {tr('nextAttempt')} {exactTime(d.nextAttemptAt, p.lang)}</span>}
      </div>
      <div className="muted">{tr('channelEvents')}: {c.effectiveEvents.map((e) => tr(eventKey(e))).join('、')}{c.quietHours ? ` · ${c.quietHours.from}–${c.quietHours.to}` : ''}</div>
      <div className="actions">
        <button type="button" data-testid="channel-test" disabled={verdict === 'sending'} onClick={p.onTest}>
          {verdict === 'sending' ? tr('channelTesting') : tr('channelTest')}
        </button>
        <button type="button" data-testid="channel-edit" onClick={p.onEdit}>{tr('channelEdit')}</button>
        <button type="button" data-testid="channel-delete" onClick={p.onDelete}>{p.confirming ? tr('channelDeleteConfirm') : tr('channelDelete')}</button>
        {p.confirming && <button type="button" onClick={p.onCancelDelete}>{tr('cancel')}</button>}
        {verdict && verdict !== 'sending' && (
          <span role="status" data-testid="channel-test-result" className={verdict.ok ? 'ok' : 'field-error'}>
            {verdict.ok ? tr('channelTestOk') : verdict.text}
          </span>
        )}
      </div>
    </li>
  );
}

function ChannelForm(p: {
  lang: Language;
  kind: ChannelKind;
  channel: ChannelDto | null;
  onSave(input: ChannelInput): Promise<string | null>;
  onCancel(): void;
}) {
  const tr = useT();
  const c = p.channel;
  const kind = p.kind;
  const [name, setName] = useState(c?.name ?? tr(kindKey(kind)));
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [keyword, setKeyword] = useState(c?.keyword ?? '');
  const [format, setFormat] = useState<'markdown' | 'text'>(c?.format ?? 'markdown');
  const [host, setHost] = useState(c?.email?.host ?? '');
  const [port, setPort] = useState(String(c?.email?.port ?? 465));
  const [secure, setSecure] = useState(c?.email?.secure ?? true);
  const [user, setUser] = useState(c?.email?.user ?? '');
  const [pass, setPass] = useState('');
  const [from, setFrom] = useState(c?.email?.from ?? '');
  const [to, setTo] = useState(c?.email?.to ?? '');
  const [digest, setDigest] = useState(String(c?.email?.digestMinutes ?? 0));
  const [likeDesktop, setLikeDesktop] = useState(c ? c.events === null : true);
  const [events, setEvents] = useState<ChannelEventKind[]>(c?.effectiveEvents ?? []);
  const [quiet, setQuiet] = useState(c?.quietHours !== null && c?.quietHours !== undefined);
  const [quietFrom, setQuietFrom] = useState(c?.quietHours?.from ?? '22:00');
  const [quietTo, setQuietTo] = useState(c?.quietHours?.to ?? '08:00');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const input: ChannelInput = { name, kind, quietHours: quiet ? { from: quietFrom, to: quietTo } : null };
    if (c) input.id = c.id;
    if (!likeDesktop) input.events = events;
    if (kind === 'email') {
      input.email = { host, port: Number(port), secure, user, from, to, digestMinutes: Number(digest) };
      if (pass) input.email.pass = pass;
    } else {
      if (url.trim()) input.url = url.trim();
      if (secret.trim()) input.secret = secret.trim();
      if (keyword.trim()) input.keyword = keyword.trim();
      if (kind === 'wecom') input.format = format;
    }
    setBusy(true);
    const failed = await p.onSave(input);
    setBusy(false);
    setError(failed);
  };

  const secretHolder = (set: boolean | undefined): string => (set ? tr('secretSet') : '');

  return (
    <form className="settings channel-form" data-testid="channel-form" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>{tr(kindKey(kind))}</legend>
        <label>{tr('channelName')}<input data-testid="channel-name" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} /></label>
        {kind !== 'email' && (
          <label>{tr('webhookUrl')}
            <input data-testid="channel-url" autoComplete="off" value={url} placeholder={c?.hasUrl ? `${tr('secretSet')} · ${c.urlHint ?? ''}` : ''} onChange={(e) => setUrl(e.target.value)} />
          </label>
        )}
        {(kind === 'dingtalk' || kind === 'feishu') && (
          <>
            <label>{tr(kind === 'dingtalk' ? 'dingSecret' : 'feishuSecret')}
              <input data-testid="channel-secret" type="password" autoComplete="off" value={secret} placeholder={secretHolder(c?.hasSecret)} onChange={(e) => setSecret(e.target.value)} />
            </label>
            <label>{tr('channelKeyword')}<input data-testid="channel-keyword" value={keyword} onChange={(e) => setKeyword(e.target.value)} /></label>
          </>
        )}
        {kind === 'wecom' && (
          <label>{tr('wecomFormat')}
            <select data-testid="channel-format" value={format} onChange={(e) => setFormat(e.target.value as 'markdown' | 'text')}>
              <option value="markdown">{tr('formatMarkdown')}</option>
              <option value="text">{tr('formatText')}</option>
            </select>
          </label>
        )}
        {kind === 'email' && (
          <>
            <label>{tr('smtpHost')}<input data-testid="channel-smtp-host" value={host} onChange={(e) => setHost(e.target.value)} /></label>
            <label>{tr('smtpPort')}<input data-testid="channel-smtp-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} /></label>
            <label className="check"><input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} />{tr('smtpSecure')}</label>
            <label>{tr('smtpUser')}<input data-testid="channel-smtp-user" value={user} onChange={(e) => setUser(e.target.value)} /></label>
            <label>{tr('smtpPass')}
              <input data-testid="channel-smtp-pass" type="password" autoComplete="off" value={pass} placeholder={secretHolder(c?.email?.hasPass)} onChange={(e) => setPass(e.target.value)} />
            </label>
            <label>{tr('mailFrom')}<input data-testid="channel-mail-from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
            <label>{tr('mailTo')}<input data-testid="channel-mail-to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
            <label>{tr('digestMinutes')}<input data-testid="channel-digest" inputMode="numeric" value={digest} onChange={(e) => setDigest(e.target.value)} /></label>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{tr('channelEvents')}</legend>
        <label className="check"><input type="checkbox" checked={likeDesktop} onChange={(e) => setLikeDesktop(e.target.checked)} />{tr('eventsLikeDesktop')}</label>
        {!likeDesktop && (
          <div className="checks">
            {CHANNEL_EVENT_KINDS.map((ev) => (
              <label key={ev} className="check">
                <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} />
                {tr(eventKey(ev))}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{tr('quietHours')}</legend>
        <label className="check"><input type="checkbox" data-testid="channel-quiet" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />{tr('quietHours')}</label>
        {quiet && (
          <div className="checks">
            <label>{tr('quietFrom')} <input type="time" value={quietFrom} onChange={(e) => setQuietFrom(e.target.value)} /></label>
            <label>{tr('quietTo')} <input type="time" value={quietTo} onChange={(e) => setQuietTo(e.target.value)} /></label>
          </div>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" data-testid="channel-save" disabled={busy}>{tr('save')}</button>
        <button type="button" onClick={p.onCancel}>{tr('cancel')}</button>
        {error && <span className="field-error" role="alert" data-testid="channel-form-error">{error}</span>}
      </div>
    </form>
  );
}
